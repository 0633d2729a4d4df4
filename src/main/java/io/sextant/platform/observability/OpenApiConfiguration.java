package io.sextant.platform.observability;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI 3.1 document: security schemes (bearer JWT or API key, OAuth2 client credentials) and
 * the problem responses every operation can give.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String PROBLEM = "Problem";
    private static final Map<String, String> COMMON_PROBLEMS = Map.of(
            "400", "Invalid request: the problem's errors name each field and why",
            "401", "Missing, invalid, expired or revoked credentials",
            "403", "The credentials lack the permission this operation needs",
            "413", "Request body too large",
            "429", "Rate limit exceeded; see Retry-After",
            "500", "Unexpected error; quote the requestId");

    @Bean
    OpenAPI sextantOpenApi() {
        Schema<?> problem = new ObjectSchema()
                .description("RFC 9457 problem details")
                .addProperty("type", new StringSchema().format("uri").example("urn:sextant:problem:validation"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema().format("uri-reference"))
                .addProperty("requestId", new StringSchema())
                .addProperty(
                        "errors",
                        new io.swagger.v3.oas.models.media.ArraySchema()
                                .items(new ObjectSchema()
                                        .addProperty("field", new StringSchema())
                                        .addProperty("reason", new StringSchema())));
        return new OpenAPI()
                .info(new Info()
                        .title("Sextant API")
                        .version("v1")
                        .description("Positions, geofences, events, workflows and access control in space and time."
                                + " Errors are RFC 9457 problem documents; lists are cursor-paginated.")
                        .license(new License().name("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes(
                                "bearer",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .bearerFormat("JWT or sxk_ API key")
                                        .description("An access token from the embedded issuer or the configured"
                                                + " OIDC provider, or an API key"))
                        .addSecuritySchemes(
                                "oauth2",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.OAUTH2)
                                        .description("Service accounts: client credentials at the embedded issuer")
                                        .flows(new OAuthFlows()
                                                .clientCredentials(new OAuthFlow().tokenUrl("/oauth2/token"))))
                        .addSchemas(PROBLEM, problem))
                .addSecurityItem(new SecurityRequirement().addList("bearer"))
                .addSecurityItem(new SecurityRequirement().addList("oauth2"));
    }

    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> openApi.getPaths()
                .values()
                .forEach(path -> path.readOperations().forEach(operation -> {
                    COMMON_PROBLEMS.forEach((status, description) -> {
                        if (operation.getResponses().get(status) == null) {
                            operation.getResponses().addApiResponse(status, problemResponse(description));
                        }
                    });
                    if (operation.getParameters() != null
                            && operation.getParameters().stream().anyMatch(p -> "id".equals(p.getName()))
                            && operation.getResponses().get("404") == null) {
                        operation
                                .getResponses()
                                .addApiResponse("404", problemResponse("No such resource in your tenant"));
                    }
                }));
    }

    private static ApiResponse problemResponse(String description) {
        return new ApiResponse()
                .description(description)
                .content(new Content()
                        .addMediaType(
                                "application/problem+json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
    }
}
