package io.sextant.workflow;

import static io.sextant.testing.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Instances under the caller's grants (issue 10): an instance is reached when every asset and zone
 * bound to it is; one out of reach answers 404 to a read and a command like a missing one, and lists
 * skip it. A caller cannot bind what it does not reach.
 */
class WorkflowVisibilityIT extends SextantIT {

    private static final String INSTANCES = "/api/v1/workflows/instances";

    @Test
    void a_caller_scoped_to_tagged_assets_sees_and_commands_only_the_instances_bound_to_them() {
        TenantFixture tenant = newTenant();
        String admin = tenant.adminToken();
        assertThat(api.post("/api/v1/workflows/definitions")
                        .bearer(admin)
                        .body("application/yaml", """
                                key: errand
                                initial: open
                                states:
                                  open:
                                    on:
                                      - command: close
                                        target: closed
                                  closed:
                                    type: final
                                """)
                        .send()
                        .status())
                .isEqualTo(201);
        String north =
                createAsset(admin, "north-1", "van", List.of("north")).get("id").asString();
        String south =
                createAsset(admin, "south-1", "van", List.of("south")).get("id").asString();
        String northInstance = start(admin, Map.of("vehicle", north));
        String southInstance = start(admin, Map.of("vehicle", south));
        String mixed = start(admin, Map.of("lead", north, "second", south));
        String unbound = start(admin, Map.of());

        String name = "scoped-" + tenant.slug();
        Response user = api.post("/api/v1/tenants/" + tenant.id() + "/users")
                .bearer(admin)
                .json(Map.of("username", name, "password", "password-of-" + name, "roles", List.of()))
                .send();
        assertThat(user.status()).as("%s", user).isEqualTo(201);
        Response granted = api.post("/api/v1/grants")
                .bearer(admin)
                .json(Map.of(
                        "subject",
                        "user:" + user.json().get("id").asString(),
                        "role",
                        "operator",
                        "scope",
                        Map.of("assetTags", List.of("north"))))
                .send();
        assertThat(granted.status()).as("%s", granted).isEqualTo(201);
        String scoped = api.signIn(name, "password-of-" + name);

        List<String> listed = new ArrayList<>();
        api.get(INSTANCES + "?limit=1")
                .bearer(scoped)
                .send()
                .json()
                .get("items")
                .forEach(i -> listed.add(i.get("id").asString()));
        assertThat(listed).containsExactly(northInstance);
        List<String> all = new ArrayList<>();
        api.get(INSTANCES)
                .bearer(admin)
                .send()
                .json()
                .get("items")
                .forEach(i -> all.add(i.get("id").asString()));
        assertThat(all).containsExactly(northInstance, southInstance, mixed, unbound);

        assertThat(api.get(INSTANCES + "/" + northInstance)
                        .bearer(scoped)
                        .send()
                        .status())
                .isEqualTo(200);
        for (String hidden : List.of(southInstance, mixed, unbound)) {
            assertProblem(api.get(INSTANCES + "/" + hidden).bearer(scoped).send(), 404, INSTANCES + "/" + hidden);
            assertProblem(
                    api.get(INSTANCES + "/" + hidden + "/history")
                            .bearer(scoped)
                            .send(),
                    404,
                    INSTANCES + "/" + hidden + "/history");
            Response command = api.post(INSTANCES + "/" + hidden + "/commands/close")
                    .bearer(scoped)
                    .json(Map.of())
                    .send();
            assertProblem(command, 404, INSTANCES + "/" + hidden + "/commands/close");
        }
        Response closed = api.post(INSTANCES + "/" + northInstance + "/commands/close")
                .bearer(scoped)
                .json(Map.of())
                .send();
        assertThat(closed.status()).as("%s", closed).isEqualTo(200);
        for (String untouched : List.of(southInstance, mixed, unbound)) {
            assertThat(api.get(INSTANCES + "/" + untouched)
                            .bearer(admin)
                            .send()
                            .json()
                            .get("state")
                            .asString())
                    .isEqualTo("open");
        }

        Response binding = api.post(INSTANCES)
                .bearer(scoped)
                .json(Map.of("definition", "errand", "assets", Map.of("vehicle", south)))
                .send();
        assertProblem(binding, 400, INSTANCES);
        assertThat(binding.json().get("errors").get(0).get("field").asString()).isEqualTo("assets.vehicle");
        assertThat(api.post(INSTANCES)
                        .bearer(scoped)
                        .json(Map.of("definition", "errand", "assets", Map.of("vehicle", north)))
                        .send()
                        .status())
                .isEqualTo(201);
    }

    private String start(String token, Map<String, String> assets) {
        Response created = api.post(INSTANCES)
                .bearer(token)
                .json(Map.of("definition", "errand", "assets", assets))
                .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        return created.json().get("id").asString();
    }
}
