package io.sextant.asset;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AssetApiIT extends SextantIT {

    @Test
    void an_asset_is_created_read_replaced_and_deleted() {
        TenantFixture tenant = newTenant();
        Response created = api.post("/api/v1/assets")
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "externalId", "truck-7",
                        "name", "Truck 7",
                        "type", "vehicle",
                        "tags", List.of("fleet-north", "diesel"),
                        "attributes", Map.of("plate", "AB-123", "axles", 3),
                        "classification", "confidential"))
                .send();
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(created.header("Location")).isEqualTo("/api/v1/assets/" + id);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat(created.json().get("attributes").get("axles").asInt()).isEqualTo(3);
        assertThat(created.json().get("classification").asString()).isEqualTo("confidential");

        Response read =
                api.get("/api/v1/assets/" + id).bearer(tenant.adminToken()).send();
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("externalId").asString()).isEqualTo("truck-7");

        Response replaced = api.put("/api/v1/assets/" + id)
                .bearer(tenant.adminToken())
                .header("If-Match", "\"1\"")
                .json(Map.of("externalId", "truck-7", "name", "Truck Seven", "type", "vehicle"))
                .send();
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.header("ETag")).isEqualTo("\"2\"");
        assertThat(replaced.json().get("name").asString()).isEqualTo("Truck Seven");
        assertThat(replaced.json().get("tags").size()).isZero();

        assertThat(api.delete("/api/v1/assets/" + id)
                        .bearer(tenant.adminToken())
                        .send()
                        .status())
                .isEqualTo(204);
        Response gone =
                api.get("/api/v1/assets/" + id).bearer(tenant.adminToken()).send();
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.isProblem()).isTrue();
    }

    @Test
    void an_update_without_if_match_is_428_and_with_a_stale_one_412_and_changes_nothing() {
        TenantFixture tenant = newTenant();
        String id = createAsset(tenant.adminToken(), "van-1", "vehicle", List.of())
                .get("id")
                .asString();
        Map<String, Object> body = Map.of("externalId", "van-1", "name", "Renamed", "type", "vehicle");

        Response missing = api.put("/api/v1/assets/" + id)
                .bearer(tenant.adminToken())
                .json(body)
                .send();
        assertThat(missing.status()).isEqualTo(428);
        assertThat(missing.json().get("type").asString()).isEqualTo("urn:sextant:problem:precondition-required");

        Response stale = api.put("/api/v1/assets/" + id)
                .bearer(tenant.adminToken())
                .header("If-Match", "\"7\"")
                .json(body)
                .send();
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.isProblem()).isTrue();

        Response staleDelete = api.delete("/api/v1/assets/" + id)
                .bearer(tenant.adminToken())
                .header("If-Match", "\"7\"")
                .send();
        assertThat(staleDelete.status()).isEqualTo(412);

        Response unchanged =
                api.get("/api/v1/assets/" + id).bearer(tenant.adminToken()).send();
        assertThat(unchanged.json().get("name").asString()).isEqualTo("Asset van-1");
        assertThat(unchanged.header("ETag")).isEqualTo("\"1\"");
    }

    @Test
    void a_read_with_the_current_etag_in_if_none_match_is_304() {
        TenantFixture tenant = newTenant();
        String id = createAsset(tenant.adminToken(), "bike-1", "bike", List.of())
                .get("id")
                .asString();
        Response notModified = api.get("/api/v1/assets/" + id)
                .bearer(tenant.adminToken())
                .header("If-None-Match", "\"1\"")
                .send();
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
    }

    @Test
    void a_second_asset_with_the_same_external_id_is_409() {
        TenantFixture tenant = newTenant();
        createAsset(tenant.adminToken(), "dup-1", "vehicle", List.of());
        Response duplicate = api.post("/api/v1/assets")
                .bearer(tenant.adminToken())
                .json(Map.of("externalId", "dup-1", "name", "Again", "type", "vehicle"))
                .send();
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.json().get("detail").asString()).contains("dup-1");
    }

    @Test
    void lists_are_cursor_paginated_without_gaps_or_repeats() {
        TenantFixture tenant = newTenant();
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            created.add(createAsset(tenant.adminToken(), "unit-" + i, "robot", List.of())
                    .get("id")
                    .asString());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = api.get("/api/v1/assets?limit=3" + (cursor == null ? "" : "&cursor=" + cursor))
                    .bearer(tenant.adminToken())
                    .send();
            assertThat(page.status()).isEqualTo(200);
            page.json().get("items").forEach(item -> seen.add(item.get("id").asString()));
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(7).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(created);
    }

    @Test
    void lists_filter_by_type_and_by_every_tag_given() {
        TenantFixture tenant = newTenant();
        createAsset(tenant.adminToken(), "d1", "drone", List.of("north", "night"));
        createAsset(tenant.adminToken(), "d2", "drone", List.of("north"));
        createAsset(tenant.adminToken(), "v1", "vehicle", List.of("north", "night"));

        assertThat(externalIds("/api/v1/assets?type=drone", tenant)).containsExactly("d1", "d2");
        assertThat(externalIds("/api/v1/assets?tag=north&tag=night", tenant)).containsExactly("d1", "v1");
        assertThat(externalIds("/api/v1/assets?type=drone&tag=night", tenant)).containsExactly("d1");
    }

    @Test
    void invalid_assets_are_400_naming_each_field_and_nothing_is_stored() {
        TenantFixture tenant = newTenant();
        Response invalid = api.post("/api/v1/assets")
                .bearer(tenant.adminToken())
                .json(Map.of("externalId", " bad id", "name", "", "type", "Vehicle", "tags", List.of("OK", "ok", "ok")))
                .send();
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("type").asString()).isEqualTo("urn:sextant:problem:validation");
        List<String> fields = new ArrayList<>();
        invalid.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        assertThat(fields).contains("externalId", "name", "type", "tags");
        assertThat(externalIds("/api/v1/assets", tenant)).isEmpty();
    }

    @Test
    void attributes_over_the_size_limit_are_refused() {
        TenantFixture tenant = newTenant();
        Response tooBig = api.post("/api/v1/assets")
                .bearer(tenant.adminToken())
                .json(Map.of(
                        "externalId",
                        "big",
                        "name",
                        "Big",
                        "type",
                        "vehicle",
                        "attributes",
                        Map.of("blob", "x".repeat(20_000))))
                .send();
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.json().get("errors").get(0).get("field").asString()).isEqualTo("attributes");
    }

    @Test
    void a_page_size_over_the_maximum_is_400_naming_the_limit() {
        Response response =
                api.get("/api/v1/assets?limit=501").bearer(adminToken).send();
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains("limit").contains("500");
    }

    @Test
    void a_forged_cursor_is_400() {
        Response response = api.get("/api/v1/assets?cursor=bm90LWEtdXVpZA")
                .bearer(adminToken)
                .send();
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("cursor");
    }

    private List<String> externalIds(String path, TenantFixture tenant) {
        List<String> ids = new ArrayList<>();
        api.get(path)
                .bearer(tenant.adminToken())
                .send()
                .json()
                .get("items")
                .forEach(item -> ids.add(item.get("externalId").asString()));
        return ids;
    }
}
