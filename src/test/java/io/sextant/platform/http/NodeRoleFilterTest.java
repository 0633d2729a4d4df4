package io.sextant.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.shared.NodeRoles;
import org.junit.jupiter.api.Test;

class NodeRoleFilterTest {

    @Test
    void ingest_endpoints_belong_to_the_ingest_role() {
        assertThat(NodeRoleFilter.roleOf("POST", "/api/v1/positions")).isEqualTo(NodeRoles.Role.INGEST);
        assertThat(NodeRoleFilter.roleOf("POST", "/ingest/owntracks")).isEqualTo(NodeRoles.Role.INGEST);
        assertThat(NodeRoleFilter.roleOf("GET", "/ingest/osmand")).isEqualTo(NodeRoles.Role.INGEST);
    }

    @Test
    void queries_of_positions_and_the_rest_of_the_api_belong_to_the_api_role() {
        assertThat(NodeRoleFilter.roleOf("GET", "/api/v1/positions/latest")).isEqualTo(NodeRoles.Role.API);
        assertThat(NodeRoleFilter.roleOf("POST", "/api/v1/positions/latest/search"))
                .isEqualTo(NodeRoles.Role.API);
        assertThat(NodeRoleFilter.roleOf("GET", "/api/v1/assets")).isEqualTo(NodeRoles.Role.API);
        assertThat(NodeRoleFilter.roleOf("GET", "/api/v1/events/stream")).isEqualTo(NodeRoles.Role.API);
    }

    @Test
    void sign_in_discovery_keys_and_health_are_served_by_every_node() {
        assertThat(NodeRoleFilter.roleOf("POST", "/api/v1/auth/token")).isNull();
        assertThat(NodeRoleFilter.roleOf("GET", "/.well-known/openid-configuration"))
                .isNull();
        assertThat(NodeRoleFilter.roleOf("GET", "/oauth2/jwks")).isNull();
        assertThat(NodeRoleFilter.roleOf("GET", "/actuator/health/readiness")).isNull();
    }

    @Test
    void roles_parse_from_a_list_or_all_and_refuse_what_is_not_a_role() {
        assertThat(NodeRoles.parse("all")).isEqualTo(NodeRoles.ALL);
        assertThat(NodeRoles.parse("")).isEqualTo(NodeRoles.ALL);
        NodeRoles apiWorker = NodeRoles.parse(" api , worker ");
        assertThat(apiWorker.api()).isTrue();
        assertThat(apiWorker.worker()).isTrue();
        assertThat(apiWorker.ingest()).isFalse();
        assertThat(apiWorker.all()).isFalse();
        assertThat(apiWorker).hasToString("api,worker");
        assertThat(NodeRoles.parse("api,ingest,worker").all()).isTrue();
        assertThatThrownBy(() -> NodeRoles.parse("api,reporting"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'reporting' is not a role");
    }
}
