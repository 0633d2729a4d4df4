package io.sextant.identity;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * Presents service accounts to the authorization server as OAuth2 clients that may use the
 * client-credentials grant. Revoked accounts are unknown clients.
 */
final class ServiceAccountClients implements RegisteredClientRepository {

    private final ServiceAccounts accounts;
    private final Duration tokenTtl;

    ServiceAccountClients(ServiceAccounts accounts, Duration tokenTtl) {
        this.accounts = accounts;
        this.tokenTtl = tokenTtl;
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException("service accounts are managed through /api/v1/service-accounts");
    }

    @Override
    public @Nullable RegisteredClient findById(String id) {
        return findByClientId(id);
    }

    @Override
    public @Nullable RegisteredClient findByClientId(String clientId) {
        return accounts.findActive(clientId)
                .map(credentials -> RegisteredClient.withId(
                                credentials.account().clientId())
                        .clientId(credentials.account().clientId())
                        .clientName(credentials.account().name())
                        .clientSecret(credentials.secretHash())
                        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                        .tokenSettings(TokenSettings.builder()
                                .accessTokenTimeToLive(tokenTtl)
                                .build())
                        .build())
                .orElse(null);
    }
}
