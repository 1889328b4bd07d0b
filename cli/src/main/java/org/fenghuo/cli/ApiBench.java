package org.fenghuo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.fenghuo.core.json.Json;
import org.fenghuo.core.region.Region;
import org.fenghuo.dashboards.DashboardConfig;
import org.fenghuo.dashboards.DashboardServer;
import org.fenghuo.simulator.city.DemoCity;

/**
 * {@code ./fenghuo bench api}: the dashboards' alert list under realistic filters with {@code --alerts} alerts in
 * {@code fenghuo-alerts} (real Elasticsearch, real HTTP), one client after the other; prints p50/p95/p99 per filter.
 */
final class ApiBench {
    private static final String[] LEVELS = {"BLUE", "YELLOW", "YELLOW", "ORANGE", "RED"};
    private static final String[] STATUSES = {"NEW", "NEW", "ACKNOWLEDGED", "DISPATCHED", "RESOLVED", "DISMISSED"};
    private static final String[] RULES = {"labor.wage-arrears-escalation", "petition.collective", "petition.repeat",
            "grid.dispute-hotspot", "linkage.gathering-cluster", "region.baseline-surge", "entity.risk"};
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private final int alerts;
    private final int requests;

    ApiBench(int alerts, int requests) {
        this.alerts = alerts;
        this.requests = requests;
    }

    int run() throws Exception {
        DemoCity city = DemoCity.generate(DemoCity.DEFAULT_SEED);
        Path dir = Files.createTempDirectory("fenghuo-bench-api-");
        Path regions = dir.resolve("demo-city.geojson");
        city.writeGeoJson(regions);
        String password = "bench-password-" + Long.toHexString(System.nanoTime());
        try (LocalStack stack = LocalStack.start(regions, System.out)) {
            Elasticsearch es = new Elasticsearch(stack.elasticsearch());
            seed(es, city);
            try (DashboardServer server = stack.startDashboard(System.out, dir.resolve("users.json"), password,
                    Map.of(DashboardConfig.PORT.name(), "0"))) {
                String base = "http://127.0.0.1:" + server.port();
                String district = city.districts().get(0).code();
                String street = city.streets().stream().map(Region::code).filter(c -> c.startsWith(district)).findFirst().orElseThrow();
                Session admin = Session.login(base, "admin", password);
                Session duty = Session.login(base, "duty-" + district, password);
                String tenDaysAgo = Instant.now().minusSeconds(10 * 86_400).toString();
                Map<String, Request> cases = new LinkedHashMap<>();
                cases.put("queue: open, by severity (duty officer)", new Request(duty, "/api/alerts?open=true&size=100"));
                cases.put("all, by severity (city)", new Request(admin, "/api/alerts?size=50"));
                cases.put("level RED,ORANGE + status NEW", new Request(admin, "/api/alerts?level=RED,ORANGE&status=NEW&size=50"));
                cases.put("street + last 10 days, newest", new Request(admin, "/api/alerts?region=" + street + "&from=" + tenDaysAgo + "&sort=newest"));
                cases.put("rule + feed + text", new Request(admin, "/api/alerts?ruleId=petition.collective&feed=petition&q=%E9%9B%86%E4%BD%93"));
                cases.put("page 20 of 50", new Request(admin, "/api/alerts?page=20&size=50"));
                System.out.printf(Locale.ROOT, "[bench] %d requests per filter after 20 warm-up requests each, one client, %,d alerts in fenghuo-alerts%n",
                        requests, alerts);
                List<Double> all = new ArrayList<>();
                for (var c : cases.entrySet()) {
                    for (int i = 0; i < 20; i++) c.getValue().time();
                    double[] ms = new double[requests];
                    for (int i = 0; i < requests; i++) ms[i] = c.getValue().time();
                    java.util.Arrays.sort(ms);
                    for (double m : ms) all.add(m);
                    System.out.printf(Locale.ROOT, "%-42s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  (%d hits)%n", c.getKey(),
                            BenchCommand.pct(ms, 50), BenchCommand.pct(ms, 95), BenchCommand.pct(ms, 99), c.getValue().lastTotal);
                }
                double[] sorted = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                System.out.printf(Locale.ROOT, "GET /api/alerts overall: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms over %d requests (target p95 ≤ 200 ms)%n",
                        BenchCommand.pct(sorted, 50), BenchCommand.pct(sorted, 95), BenchCommand.pct(sorted, 99), BenchCommand.pct(sorted, 100), sorted.length);
            }
        }
        return 0;
    }

    private void seed(Elasticsearch es, DemoCity city) throws Exception {
        SplittableRandom rnd = new SplittableRandom(42);
        List<Region> grids = city.grids();
        Instant now = Instant.now();
        Progress progress = new Progress("bench", alerts, true);
        StringBuilder bulk = new StringBuilder();
        int inBulk = 0;
        for (int i = 0; i < alerts; i++) {
            String grid = grids.get(rnd.nextInt(grids.size())).code();
            String rule = RULES[rnd.nextInt(RULES.length)];
            Instant at = now.minusSeconds(rnd.nextLong(30L * 86_400));
            String subject = rule.startsWith("region") || rule.startsWith("grid") ? "REG:" + grid.substring(0, 12) : "ENT:91BENCH" + i;
            String id = rule + ":" + subject + ":" + ID_TIME.format(at);
            ObjectNode a = Json.mapper().createObjectNode().put("alertId", id).put("ruleId", rule).put("episode", 1)
                    .put("level", LEVELS[rnd.nextInt(LEVELS.length)]).put("status", STATUSES[rnd.nextInt(STATUSES.length)])
                    .put("title", rule.startsWith("petition") ? "集体访 " + i : "告警 " + i).put("explanation", "基准测试告警 " + i)
                    .put("triggeredAt", at.toString()).put("raisedAt", at.toString()).put("updatedAt", at.plusSeconds(60).toString())
                    .put("evidenceCount", 3);
            a.putObject("subject").put("type", subject.startsWith("REG:") ? "REGION" : "ENTERPRISE").put("key", subject).put("display", "主体 " + i);
            a.putObject("region").put("district", grid.substring(0, 6)).put("street", grid.substring(0, 9))
                    .put("community", grid.substring(0, 12)).put("grid", grid);
            String feed = rule.startsWith("petition") ? "petition" : rule.startsWith("grid") ? "grid-report" : "linkage-call";
            a.putArray("sources").add(feed);
            a.putArray("evidence").addObject().put("feed", feed).put("recordId", "B-" + i).put("occurredAt", at.toString()).put("category", "WAGE_ARREARS");
            bulk.append("{\"index\":{\"_index\":\"fenghuo-alerts\",\"_id\":\"").append(id).append("\"}}\n").append(a).append('\n');
            inBulk++;
            if ((i + 1) % 2_000 == 0 || i == alerts - 1) {
                es.post("/_bulk", bulk.toString());
                bulk.setLength(0);
                progress.advance(inBulk);
                inBulk = 0;
            }
        }
        es.post("/fenghuo-alerts/_refresh", "");
        progress.finish();
    }

    private record Elasticsearch(String url) {
        void post(String path, String body) throws Exception {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300 || r.body().contains("\"errors\":true")) {
                throw new CommandException("Elasticsearch refused " + path + ": " + r.body().substring(0, Math.min(500, r.body().length())));
            }
        }
    }

    private record Session(String base, String cookie, HttpClient http) {
        static Session login(String base, String user, String password) throws Exception {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/session")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new CommandException("bench login as " + user + " failed: " + r.statusCode() + " " + r.body());
            String c = r.headers().firstValue("Set-Cookie").orElseThrow();
            return new Session(base, c.substring(0, c.indexOf(';')), http);
        }
    }

    private static final class Request {
        private final Session session;
        private final HttpRequest request;
        long lastTotal;

        Request(Session session, String path) {
            this.session = session;
            this.request = HttpRequest.newBuilder(URI.create(session.base() + path)).header("Cookie", session.cookie()).GET().build();
        }

        double time() throws Exception {
            long t = System.nanoTime();
            HttpResponse<String> r = session.http().send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            double ms = (System.nanoTime() - t) / 1e6;
            if (r.statusCode() != 200) throw new CommandException("GET " + request.uri() + " answered " + r.statusCode() + ": " + r.body());
            lastTotal = Json.mapper().readTree(r.body()).path("total").asLong();
            return ms;
        }
    }
}
