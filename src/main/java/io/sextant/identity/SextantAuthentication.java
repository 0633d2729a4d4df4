package io.sextant.identity;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A verified {@link SextantPrincipal}, with its permissions as granted authorities. */
public final class SextantAuthentication extends AbstractAuthenticationToken {

    private static final long serialVersionUID = 1L;

    private final SextantPrincipal principal;
    private final String credentials;

    public SextantAuthentication(SextantPrincipal principal, String credentials) {
        super(principal.permissions().stream()
                .map(p -> new SimpleGrantedAuthority(p.authority()))
                .toList());
        this.principal = principal;
        this.credentials = credentials;
        setAuthenticated(true);
    }

    @Override
    public SextantPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public String getCredentials() {
        return credentials;
    }

    List<String> authorityNames() {
        return getAuthorities().stream()
                .map(a -> String.valueOf(a.getAuthority()))
                .toList();
    }
}
