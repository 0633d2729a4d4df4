package io.sextant.identity;

/** The claims the embedded issuer adds to its tokens. */
final class TokenClaims {

    static final String TENANT = "tenant_id";
    static final String ROLES = "roles";
    static final String KIND = "sxt_kind";
    static final String NAME = "name";
    static final String KIND_USER = "user";
    static final String KIND_SERVICE = "service";

    private TokenClaims() {}
}
