package org.fenghuo.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.fenghuo.connectors.elasticsearch.ElasticsearchConnection;
import org.fenghuo.connectors.elasticsearch.IndexBootstrap;
import org.fenghuo.core.config.Settings;
import org.fenghuo.core.feed.Topics;
import org.fenghuo.core.json.Json;
import org.fenghuo.core.region.Region;
import org.fenghuo.core.region.RegionLevel;
import org.fenghuo.dashboards.DashboardConfig;
import org.fenghuo.dashboards.DashboardServer;
import org.fenghuo.dashboards.auth.PasswordHasher;
import org.fenghuo.dashboards.auth.Role;
import org.fenghuo.dashboards.auth.User;
import org.fenghuo.dashboards.auth.UsersFile;
import org.fenghuo.localservices.LocalServices;
import org.fenghuo.simulator.city.DemoCity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards API on real Elasticsearch and Kafka: region scope on every list, read, action and export; roles;
 * CSRF; login throttling; bad input; live push by scope. The documents are seeded the way the jobs write them.
 */
@ExtendWith(LocalServicesExtension.class)
class DashboardApiIT {
    private static final String PASSWORD = "it-password-123";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    @TempDir
    static Path dir;
    static LocalServices services;
    static DashboardServer server;
    static String base;
    static Elastic elastic;
    static String districtA, districtB, gridA, gridB, tag, entA;
    static String alertA1, alertA2, alertB1;

    @BeforeAll
    static void setUp(LocalServices s) throws Exception {
        services = s;
        services.createTopics(Map.of(Topics.ALERTS, 3, Topics.ALERT_ACTIONS, 3));
        IndexBootstrap.run(ElasticsearchConnection.of(s.elasticsearchUrl()), 0);
        elastic = new Elastic(s.elasticsearchUrl());
        DemoCity city = DemoCity.generate(11);
        Path regions = dir.resolve("regions.geojson");
        city.writeGeoJson(regions);
        List<Region> districts = city.districts();
        districtA = districts.get(0).code();
        districtB = districts.get(1).code();
        gridA = firstGrid(city, districtA);
        gridB = firstGrid(city, districtB);
        tag = Long.toString(System.nanoTime(), 36);
        entA = "ENT:91UITEST" + tag.toUpperCase();

        Path users = dir.resolve("users.json");
        String hash = PasswordHasher.hash(PASSWORD, 4);
        UsersFile.write(users, List.of(new User("admin", Role.ADMIN, "", hash), new User("analyst", Role.ANALYST, "", hash),
                new User("duty-a", Role.DUTY_OFFICER, districtA, hash), new User("duty-b", Role.DUTY_OFFICER, districtB, hash),
                new User("throttled", Role.DUTY_OFFICER, districtA, hash)));
        Map<String, String> conf = new HashMap<>();
        conf.put(DashboardConfig.KAFKA.name(), s.kafkaBootstrapServers());
        conf.put(DashboardConfig.ES_HOSTS.name(), s.elasticsearchUrl());
        conf.put(DashboardConfig.REGIONS.name(), regions.toString());
        conf.put(DashboardConfig.USERS.name(), users.toString());
        conf.put(DashboardConfig.PORT.name(), "0");
        conf.put(DashboardConfig.LOGIN_MAX_FAILURES.name(), "3");
        conf.put(DashboardConfig.LOGIN_LOCKOUT.name(), "3s");
        server = DashboardServer.start(DashboardConfig.from(Settings.of(conf)));
        base = "http://127.0.0.1:" + server.port();

        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        alertA1 = "petition.collective:" + entA + ":" + ID_TIME.format(t.minusSeconds(600));
        alertA2 = "grid.dispute-hotspot:REG:" + gridA.substring(0, 12) + ":" + ID_TIME.format(t.minusSeconds(1200));
        alertB1 = "petition.collective:ENT:91UITESTB" + tag.toUpperCase() + ":" + ID_TIME.format(t.minusSeconds(300));
        StringBuilder bulk = new StringBuilder();
        index(bulk, "fenghuo-alerts", alertA1, alert(alertA1, "RED", "NEW", entA, gridA, t.minusSeconds(600), "petition:P-" + tag + "-1"));
        index(bulk, "fenghuo-alerts", alertA2, alert(alertA2, "YELLOW", "ACKNOWLEDGED", "REG:" + gridA.substring(0, 12), gridA, t.minusSeconds(1200), "grid-report:G-" + tag + "-1"));
        index(bulk, "fenghuo-alerts", alertB1, alert(alertB1, "ORANGE", "NEW", "ENT:91UITESTB" + tag.toUpperCase(), gridB, t.minusSeconds(300), "petition:P-" + tag + "-2"));
        index(bulk, "fenghuo-events", "petition:P-" + tag + "-1", event("petition", "P-" + tag + "-1", gridA, t.minusSeconds(900), entA));
        index(bulk, "fenghuo-events", "grid-report:G-" + tag + "-1", event("grid-report", "G-" + tag + "-1", gridA, t.minusSeconds(1300), entA));
        index(bulk, "fenghuo-events", "petition:P-" + tag + "-2", event("petition", "P-" + tag + "-2", gridB, t.minusSeconds(400), "ENT:91UITESTB" + tag.toUpperCase()));
        ObjectNode signal = Json.mapper().createObjectNode().put("signalId", "entity.risk:" + entA + ":score").put("ruleId", "entity.risk")
                .put("kind", "RISK_SCORE").put("title", "风险分变化").put("triggeredAt", t.minusSeconds(800).toString())
                .put("raisedAt", t.toString()).put("score", 42.0).put("delta", 12.0);
        signal.putObject("subject").put("type", "ENTERPRISE").put("key", entA).put("display", "测试企业" + tag);
        signal.set("region", region(gridA));
        index(bulk, "fenghuo-signals", "entity.risk:" + entA + ":score", signal);
        elastic.request("POST", "/_bulk?refresh=true", bulk.toString());
    }

    @AfterAll
    static void tearDown() {
        if (server != null) server.close();
    }

    @Test
    void loginSetsAnHttpOnlySameSiteCookieWithExpiry() {
        DashboardClient c = new DashboardClient(base);
        DashboardClient.Reply r = c.login("duty-a", PASSWORD);
        assertThat(r.status()).isEqualTo(200);
        String cookie = r.raw().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("FENGHUO_SESSION=").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict")
                .containsIgnoringCase("Max-Age=43200").contains("Path=/");
        assertThat(r.json().path("user").path("scope").asText()).isEqualTo(districtA);
        assertThat(r.json().path("csrfToken").asText()).hasSizeGreaterThan(30);
        assertThat(c.get("/api/session").status()).isEqualTo(200);
        assertThat(new DashboardClient(base).get("/api/alerts").status()).as("no cookie").isEqualTo(401);
        assertThat(c.send("DELETE", "/api/session", null, true).status()).isEqualTo(204);
        assertThat(c.get("/api/alerts").status()).as("after logout").isEqualTo(401);
    }

    @Test
    void repeatedFailedLoginsAreLockedOutForAWhileThenAllowedAgain() throws Exception {
        DashboardClient c = new DashboardClient(base);
        for (int i = 0; i < 3; i++) assertThat(c.login("throttled", "wrong-" + i).status()).isEqualTo(401);
        DashboardClient.Reply locked = c.login("throttled", PASSWORD);
        assertThat(locked.status()).as("even the right password waits out the lockout").isEqualTo(429);
        assertThat(locked.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(locked.json().path("error").asText()).contains("次数过多");
        Thread.sleep(3_200);
        assertThat(c.login("throttled", PASSWORD).status()).isEqualTo(200);
        assertThat(new DashboardClient(base).get("/metrics").body()).contains("fenghuo_dashboard_login_failures_total");
    }

    @Test
    void aDutyOfficerListsOnlyAlertsOfTheirDistrict() {
        DashboardClient a = new DashboardClient(base).as("duty-a", PASSWORD);
        JsonNode list = a.get("/api/alerts?size=200").json();
        List<String> ids = ids(list, "alertId");
        assertThat(ids).contains(alertA1, alertA2).doesNotContain(alertB1);
        list.path("items").forEach(i -> assertThat(i.path("region").path("district").asText()).isEqualTo(districtA));
        assertThat(ids.indexOf(alertA1)).as("RED before YELLOW").isLessThan(ids.indexOf(alertA2));
        assertThat(a.get("/api/alerts?region=" + districtB).status()).as("another district").isEqualTo(403);
        assertThat(ids(new DashboardClient(base).as("admin", PASSWORD).get("/api/alerts?size=200&q=" + tag).json(), "alertId"))
                .contains(alertA1, alertA2, alertB1);
        assertThat(ids(a.get("/api/events?size=200&q=" + tag).json(), "eventId")).containsExactlyInAnyOrder(
                "petition:P-" + tag + "-1", "grid-report:G-" + tag + "-1");
    }

    @Test
    void anAlertOutsideTheScopeDoesNotExistForTheUser() {
        DashboardClient a = new DashboardClient(base).as("duty-a", PASSWORD);
        assertThat(a.get("/api/alerts/" + DashboardClient.enc(alertB1)).status()).isEqualTo(404);
        JsonNode detail = a.get("/api/alerts/" + DashboardClient.enc(alertA1)).json();
        assertThat(detail.path("alert").path("alertId").asText()).isEqualTo(alertA1);
        assertThat(ids(detail.path("evidenceEvents"), "eventId")).containsExactly("petition:P-" + tag + "-1");
        assertThat(detail.path("actions").isArray()).isTrue();
    }

    @Test
    void actionsAreScopedRoleCheckedCsrfProtectedAndWrittenToKafka() throws Exception {
        DashboardClient a = new DashboardClient(base).as("duty-a", PASSWORD);
        String ack = "{\"action\":\"ACKNOWLEDGE\",\"note\":\"已电话联系，回拨13812345678\"}";
        assertThat(a.post("/api/alerts/" + DashboardClient.enc(alertB1) + "/actions", ack).status()).as("other district").isEqualTo(404);
        assertThat(a.postWithoutCsrf("/api/alerts/" + DashboardClient.enc(alertA1) + "/actions", ack).status()).as("no CSRF token").isEqualTo(403);
        DashboardClient analyst = new DashboardClient(base).as("analyst", PASSWORD);
        assertThat(analyst.post("/api/alerts/" + DashboardClient.enc(alertA1) + "/actions", ack).status()).as("read-only role").isEqualTo(403);
        DashboardClient.Reply noUnit = a.post("/api/alerts/" + DashboardClient.enc(alertA1) + "/actions", "{\"action\":\"DISPATCH\"}");
        assertThat(noUnit.status()).isEqualTo(400);
        assertThat(noUnit.json().path("error").asText()).contains("unit");

        DashboardClient.Reply ok = a.post("/api/alerts/" + DashboardClient.enc(alertA1) + "/actions", ack);
        assertThat(ok.status()).isEqualTo(202);
        String actionId = ok.json().path("actionId").asText();

        List<JsonNode> sent = actionsOnTopic(List.of(alertA1, alertB1), Duration.ofSeconds(20), actionId);
        assertThat(sent).extracting(n -> n.path("alertId").asText()).containsOnly(alertA1);
        JsonNode action = sent.stream().filter(n -> n.path("actionId").asText().equals(actionId)).findFirst().orElseThrow();
        assertThat(action.path("actor").asText()).isEqualTo("duty-a");
        assertThat(action.path("actorRole").asText()).isEqualTo("DUTY_OFFICER");
        assertThat(action.path("action").asText()).isEqualTo("ACKNOWLEDGE");
        assertThat(action.path("note").asText()).as("a phone number in a note is masked").contains("138****5678").doesNotContain("13812345678");
        assertThat(new DashboardClient(base).get("/metrics").body()).contains("fenghuo_dashboard_actions_total{action=\"ACKNOWLEDGE\"");
    }

    @Test
    void exportsHoldOnlyTheUsersScope() {
        DashboardClient a = new DashboardClient(base).as("duty-a", PASSWORD);
        DashboardClient.Reply csv = a.get("/api/alerts.csv?q=" + tag);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.raw().headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(csv.body()).startsWith("\uFEFF告警编号,").contains(alertA1).doesNotContain(alertB1);
        DashboardClient.Reply events = a.get("/api/events.csv?q=" + tag);
        assertThat(events.body()).contains("P-" + tag + "-1").doesNotContain("P-" + tag + "-2");
        assertThat(new DashboardClient(base).as("duty-b", PASSWORD).get("/api/events.csv?region=" + districtA).status()).isEqualTo(403);
    }

    @Test
    void badParametersAre400sThatNameTheProblem() {
        DashboardClient a = new DashboardClient(base).as("admin", PASSWORD);
        assertThat(error(a.get("/api/alerts?level=PURPLE"))).contains("level 'PURPLE'");
        assertThat(error(a.get("/api/alerts?size=1000"))).contains("size '1000'");
        assertThat(error(a.get("/api/events?from=yesterday"))).contains("from 'yesterday'");
        assertThat(error(a.get("/api/events?colour=red"))).contains("unknown parameter 'colour'");
        assertThat(error(a.get("/api/stats/trend?range=1y"))).contains("range '1y'");
        assertThat(error(a.get("/api/entities/nobody/timeline"))).contains("entity key 'nobody'");
        assertThat(error(a.get("/api/entities/" + DashboardClient.enc(entA) + "/timeline?size=2001"))).contains("size '2001'");
        assertThat(error(a.post("/api/alerts/" + DashboardClient.enc(alertA1) + "/actions", "not json"))).contains("not valid JSON");
        assertThat(error(a.post("/api/alerts/" + DashboardClient.enc(alertA1) + "/actions", "{\"action\":\"ESCALATE\"}"))).contains("ESCALATE");
    }

    @Test
    void anEntityTimelineHoldsItsEventsSignalsAndAlertsInOrderWithinScope() {
        // the page asks for the default 500 explicitly: a timeline is not capped at a list page's 200
        JsonNode t = new DashboardClient(base).as("admin", PASSWORD).get("/api/entities/" + DashboardClient.enc(entA) + "/timeline?size=500").json();
        List<String> kinds = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        t.path("items").forEach(i -> {
            kinds.add(i.path("kind").asText());
            times.add(Instant.parse(i.path("at").asText()));
        });
        assertThat(kinds).containsExactly("EVENT", "EVENT", "SIGNAL", "ALERT");
        assertThat(times).isSorted();
        assertThat(t.path("display").asText()).isEqualTo("测试企业" + tag);
        JsonNode other = new DashboardClient(base).as("duty-b", PASSWORD).get("/api/entities/" + DashboardClient.enc(entA) + "/timeline").json();
        assertThat(other.path("items").size()).as("district B sees nothing of district A's enterprise").isZero();
    }

    @Test
    void theSituationMapCountsOpenAlertsPerChildRegion() {
        JsonNode map = new DashboardClient(base).as("duty-a", PASSWORD).get("/api/stats/map").json();
        assertThat(map.path("level").asText()).isEqualTo("STREET");
        JsonNode street = null;
        for (JsonNode r : map.path("regions")) if (r.path("code").asText().equals(gridA.substring(0, 9))) street = r;
        assertThat(street).isNotNull();
        assertThat(street.path("maxLevel").asText()).isEqualTo("RED");
        assertThat(street.path("openAlerts").asLong()).isGreaterThanOrEqualTo(2);
        map.path("regions").forEach(r -> assertThat(r.path("code").asText()).startsWith(districtA));
        JsonNode shapes = new DashboardClient(base).as("duty-a", PASSWORD).get("/api/regions?level=STREET").json();
        assertThat(shapes.path("features").size()).isPositive();
        shapes.path("features").forEach(f -> assertThat(f.path("properties").path("code").asText()).startsWith(districtA));
    }

    @Test
    void liveAlertsArePushedOnlyToPagesWhoseScopeHoldsThem() throws Exception {
        DashboardClient a = new DashboardClient(base).as("duty-a", PASSWORD);
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/alerts/stream")).header("Cookie", a.cookie)
                .header("Accept", "text/event-stream").build(); // as EventSource sends it
        HttpResponse<java.io.InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(resp.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            } catch (Exception ignored) {
                // stream closed
            }
        });
        reader.setDaemon(true);
        reader.start();
        assertThat(waitFor(lines, "event: hello", Duration.ofSeconds(10))).isTrue();
        Thread.sleep(500);
        String liveA = "petition.collective:ENT:91LIVEA" + tag.toUpperCase() + ":" + ID_TIME.format(Instant.now());
        String liveB = "petition.collective:ENT:91LIVEB" + tag.toUpperCase() + ":" + ID_TIME.format(Instant.now());
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            p.send(new ProducerRecord<>(Topics.ALERTS, liveB.getBytes(StandardCharsets.UTF_8), Json.toBytes(alert(liveB, "RED", "NEW", "ENT:B", gridB, Instant.now(), "petition:x")))).get();
            p.send(new ProducerRecord<>(Topics.ALERTS, liveA.getBytes(StandardCharsets.UTF_8), Json.toBytes(alert(liveA, "RED", "NEW", "ENT:A", gridA, Instant.now(), "petition:y")))).get();
        }
        assertThat(waitFor(lines, liveA, Duration.ofSeconds(15))).as("district A's alert reaches duty-a's page").isTrue();
        Thread.sleep(1_000);
        assertThat(String.join("\n", lines)).doesNotContain(liveB);
        assertThat(new DashboardClient(base).get("/metrics").body()).contains("fenghuo_dashboard_live_clients");
    }

    @Test
    void theOpenApiDocumentDescribesEveryRoute() {
        JsonNode doc = new DashboardClient(base).get("/api/openapi.json").json();
        JsonNode paths = doc.path("paths");
        for (String p : List.of("/api/session", "/api/alerts", "/api/alerts/{id}", "/api/alerts/{id}/actions", "/api/alerts/stream",
                "/api/alerts.csv", "/api/events", "/api/events.csv", "/api/signals", "/api/signals.csv", "/api/entities/{key}/timeline",
                "/api/stats/summary", "/api/stats/map", "/api/stats/trend", "/api/stats/aggregations", "/api/regions", "/metrics", "/healthz")) {
            assertThat(paths.has(p)).as("documented: " + p).isTrue();
        }
        String metrics = new DashboardClient(base).get("/metrics").body();
        assertThat(metrics).contains("jvm_memory_used_bytes").contains("fenghuo_dashboard_requests_seconds_count");
    }

    // ---- helpers ----

    private static String error(DashboardClient.Reply r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        return r.json().path("error").asText();
    }

    private static List<String> ids(JsonNode list, String field) {
        List<String> out = new ArrayList<>();
        (list.has("items") ? list.path("items") : list).forEach(i -> out.add(i.path(field).asText()));
        return out;
    }

    private static boolean waitFor(BlockingQueue<String> lines, String text, Duration patience) throws InterruptedException {
        long end = System.nanoTime() + patience.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < end) {
            String l = lines.poll(200, TimeUnit.MILLISECONDS);
            if (l == null) continue;
            seen.add(l);
            if (l.contains(text)) {
                lines.addAll(seen);
                return true;
            }
        }
        lines.addAll(seen);
        return false;
    }

    private static List<JsonNode> actionsOnTopic(List<String> alertIds, Duration patience, String untilActionId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrapServers());
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(Topics.ALERT_ACTIONS).stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long end = System.nanoTime() + patience.toNanos();
            boolean found = false;
            while (System.nanoTime() < end && !found) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(300))) {
                    JsonNode n = Json.fromBytes(r.value(), JsonNode.class);
                    if (alertIds.contains(n.path("alertId").asText())) out.add(n);
                    found |= untilActionId.equals(n.path("actionId").asText());
                }
            }
        }
        return out;
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", services.kafkaBootstrapServers());
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static String firstGrid(DemoCity city, String district) {
        return city.grids().stream().map(Region::code).filter(c -> c.startsWith(district)).findFirst().orElseThrow();
    }

    private static ObjectNode region(String grid) {
        ObjectNode r = Json.mapper().createObjectNode();
        r.put("district", grid.substring(0, 6)).put("street", grid.substring(0, 9)).put("community", grid.substring(0, 12)).put("grid", grid);
        return r;
    }

    private static ObjectNode alert(String id, String level, String status, String subjectKey, String grid, Instant at, String evidence) {
        ObjectNode a = Json.mapper().createObjectNode().put("alertId", id).put("ruleId", id.substring(0, id.indexOf(':')))
                .put("ruleTitle", "测试规则").put("episode", 1).put("level", level).put("status", status)
                .put("title", "测试告警 " + tag).put("explanation", "测试说明 " + tag).put("triggeredAt", at.toString())
                .put("raisedAt", at.toString()).put("updatedAt", at.plusSeconds(5).toString()).put("lastEventAt", at.toString())
                .put("evidenceCount", 1);
        a.putObject("subject").put("type", subjectKey.startsWith("ENT:") ? "ENTERPRISE" : "REGION").put("key", subjectKey).put("display", "测试企业" + tag);
        a.set("region", region(grid));
        String feed = evidence.substring(0, evidence.indexOf(':'));
        a.putArray("evidence").addObject().put("feed", feed).put("recordId", evidence.substring(evidence.indexOf(':') + 1))
                .put("occurredAt", at.toString()).put("category", "WAGE_ARREARS");
        a.putArray("sources").add(feed);
        return a;
    }

    private static ObjectNode event(String feed, String recordId, String grid, Instant at, String entity) {
        ObjectNode e = Json.mapper().createObjectNode().put("eventId", feed + ":" + recordId).put("feed", feed).put("recordId", recordId)
                .put("occurredAt", at.toString()).put("ingestedAt", at.toString()).put("category", "WAGE_ARREARS").put("severity", 3)
                .put("title", "测试事件 " + tag).put("summary", "测试摘要 " + tag);
        e.set("region", region(grid));
        e.putArray("entities").add(entity);
        e.putArray("enterprises").addObject().put("key", entity).put("name", "测试企业" + tag);
        return e;
    }

    private static void index(StringBuilder bulk, String index, String id, ObjectNode doc) {
        bulk.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"").append(id).append("\"}}\n").append(doc).append('\n');
    }
}
