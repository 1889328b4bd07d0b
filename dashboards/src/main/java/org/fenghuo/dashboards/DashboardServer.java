package org.fenghuo.dashboards;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fenghuo.core.json.Json;
import org.fenghuo.dashboards.api.Access;
import org.fenghuo.dashboards.api.AlertApi;
import org.fenghuo.dashboards.api.AnalysisApi;
import org.fenghuo.dashboards.api.ApiException;
import org.fenghuo.dashboards.api.SessionApi;
import org.fenghuo.dashboards.api.SituationApi;
import org.fenghuo.dashboards.auth.LoginThrottle;
import org.fenghuo.dashboards.auth.SessionStore;
import org.fenghuo.dashboards.auth.UsersFile;
import org.fenghuo.dashboards.live.ActionPublisher;
import org.fenghuo.dashboards.live.AlertStream;
import org.fenghuo.dashboards.live.LiveClients;
import org.fenghuo.dashboards.search.ElasticsearchGateway;
import org.fenghuo.dashboards.search.SearchIndex;
import org.fenghuo.dashboards.search.Searcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboards service: pages, HTTP API, live push and metrics over Elasticsearch (reads) and Kafka (live alerts
 * in, actions out). {@link #start} wires the real clients; everything below takes them as parts.
 */
public final class DashboardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    static final String OPENAPI = "/org/fenghuo/dashboards/openapi.json";
    private static final String SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; "
            + "base-uri 'self'; form-action 'self'";

    private final Javalin app;
    private final ElasticsearchGateway es;
    private final ActionPublisher publisher;
    private final AlertStream stream;
    private final LiveClients live;
    private final ScheduledExecutorService housekeeping;

    private DashboardServer(Javalin app, ElasticsearchGateway es, ActionPublisher publisher, AlertStream stream, LiveClients live,
                            ScheduledExecutorService housekeeping) {
        this.app = app;
        this.es = es;
        this.publisher = publisher;
        this.stream = stream;
        this.live = live;
        this.housekeeping = housekeeping;
    }

    /** Starts the service; the users file must already hold at least one user. */
    public static DashboardServer start(DashboardConfig config) {
        ObjectMapper json = Json.mapper();
        Clock clock = Clock.systemUTC();
        RegionMap regions = RegionMap.load(config.regionFile());
        UsersFile users = UsersFile.load(config.usersFile(), regions::anyWithin);
        DashboardMetrics metrics = new DashboardMetrics();
        ElasticsearchGateway es = ElasticsearchGateway.connect(config.elasticsearchHosts(), config.elasticsearchUsername(),
                config.elasticsearchPassword(), json);
        LiveClients live = new LiveClients(json);
        ActionPublisher publisher = new ActionPublisher(config.kafkaBootstrap(), json);
        AlertStream stream = new AlertStream(config.kafkaBootstrap(), json, alert -> {
            metrics.liveAlert();
            live.publish(alert);
        });
        SessionStore sessions = new SessionStore(config.sessionTtl(), clock);
        LoginThrottle throttle = new LoginThrottle(config.loginMaxFailures(), config.loginLockout(), clock);
        Access access = new Access(sessions, config.secureCookies());
        Searcher searcher = new Searcher(es, regions, clock);
        metrics.gauge("fenghuo.dashboard.live.clients", "pages connected for live alerts", live::size);
        metrics.gauge("fenghuo.dashboard.sessions", "logged-in sessions", sessions::size);

        Javalin app = Javalin.create(c -> {
            c.jsonMapper(new JavalinJackson(json, false));
            c.startup.showJavalinBanner = false;
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            c.staticFiles.add(s -> {
                s.hostedPath = "/";
                s.directory = "/public";
                s.location = Location.CLASSPATH;
                s.headers = Map.of("Cache-Control", "no-cache");
            });
            c.staticFiles.enableWebjars();
            routes(c, access, new SessionApi(users, sessions, throttle, access, regions, metrics),
                    new AlertApi(searcher, publisher, live, metrics, clock), new AnalysisApi(searcher, config.exportMaxRows(), clock),
                    new SituationApi(searcher, regions), metrics);
        });
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fenghuo-dashboards-housekeeping");
            t.setDaemon(true);
            return t;
        });
        housekeeping.scheduleWithFixedDelay(live::keepAlive, 15, 15, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(sessions::purgeExpired, 1, 1, TimeUnit.MINUTES);
        stream.start();
        app.start();
        LOG.info("dashboards listening on {}:{} with {} users ({})", config.host(), app.port(), users.all().size(), config);
        return new DashboardServer(app, es, publisher, stream, live, housekeeping);
    }

    private static void routes(io.javalin.config.JavalinConfig c, Access access, SessionApi session, AlertApi alerts,
                               AnalysisApi analysis, SituationApi situation, DashboardMetrics metrics) {
        var r = c.routes;
        r.before(ctx -> {
            ctx.attribute("fenghuo.started", System.nanoTime());
            ctx.header("Content-Security-Policy", SECURITY_POLICY);
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("X-Frame-Options", "DENY");
            ctx.header("Referrer-Policy", "no-referrer");
        });
        r.before("/api/*", access::check);
        r.after(ctx -> {
            Long started = ctx.attribute("fenghuo.started");
            if (started != null) metrics.request(ctx.method().name(), route(ctx), ctx.statusCode(), Duration.ofNanos(System.nanoTime() - started));
        });

        r.post("/api/session", session::login);
        r.get("/api/session", session::current);
        r.delete("/api/session", session::logout);

        r.get("/api/alerts", alerts::list);
        r.sse("/api/alerts/stream", alerts::stream);
        r.get("/api/alerts.csv", ctx -> analysis.csv(ctx, SearchIndex.ALERTS));
        r.get("/api/alerts/{id}", alerts::detail);
        r.post("/api/alerts/{id}/actions", alerts::act);

        r.get("/api/events", ctx -> analysis.list(ctx, SearchIndex.EVENTS));
        r.get("/api/events.csv", ctx -> analysis.csv(ctx, SearchIndex.EVENTS));
        r.get("/api/signals", ctx -> analysis.list(ctx, SearchIndex.SIGNALS));
        r.get("/api/signals.csv", ctx -> analysis.csv(ctx, SearchIndex.SIGNALS));
        r.get("/api/entities/{key}/timeline", analysis::timeline);
        r.get("/api/stats/aggregations", analysis::aggregations);

        r.get("/api/stats/summary", situation::summary);
        r.get("/api/stats/map", situation::map);
        r.get("/api/stats/trend", situation::trend);
        r.get("/api/regions", situation::regions);

        r.get("/api/openapi.json", ctx -> {
            try (InputStream in = DashboardServer.class.getResourceAsStream(OPENAPI)) {
                if (in == null) throw new IOException("resource " + OPENAPI + " is missing from the build");
                ctx.contentType("application/json").result(in.readAllBytes());
            }
        });
        r.get("/healthz", ctx -> ctx.json(Map.of("status", "UP")));
        r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));

        r.exception(ApiException.class, (e, ctx) -> ctx.status(e.status()).json(Map.of("error", e.getMessage())));
        r.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            ctx.status(500).json(Map.of("error", "服务内部错误，已记录日志 (" + e.getClass().getSimpleName() + ")"));
        });
        r.error(404, ctx -> {
            if (ctx.path().startsWith("/api/") && ctx.result() == null) ctx.json(Map.of("error", "没有这个接口: " + ctx.method() + " " + ctx.path()));
        });
    }

    /** The route template for metrics, so ids in paths do not make a time series each. */
    private static String route(Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException e) {
            return ctx.statusCode() == 404 ? "unmatched" : "static";
        }
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        live.closeAll();
        housekeeping.shutdownNow();
        app.stop();
        stream.close();
        publisher.close();
        try {
            es.close();
        } catch (IOException e) {
            LOG.debug("closing the Elasticsearch client: {}", e.toString());
        }
    }
}
