package org.fenghuo.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.fenghuo.connectors.elasticsearch.ElasticsearchConnection;
import org.fenghuo.connectors.elasticsearch.IndexBootstrap;
import org.fenghuo.jobs.common.Platform;
import org.fenghuo.core.config.Settings;
import org.fenghuo.core.region.RegionHierarchy;
import org.fenghuo.dashboards.DashboardConfig;
import org.fenghuo.dashboards.DashboardServer;
import org.fenghuo.dashboards.auth.DemoUsers;
import org.fenghuo.dashboards.auth.User;
import org.fenghuo.dashboards.auth.UsersFile;
import org.fenghuo.core.feed.Topics;
import org.fenghuo.jobs.ingest.IngestJob;
import org.fenghuo.jobs.correlation.CorrelationJob;
import org.fenghuo.jobs.correlation.CorrelationSettings;
import org.fenghuo.core.rules.RuleSet;
import org.fenghuo.jobs.ingest.IngestSettings;
import org.fenghuo.localservices.LocalServices;
import org.fenghuo.localservices.LocalServicesOptions;

/**
 * Everything {@code ./fenghuo demo} (and the benchmarks) run on one machine: real Kafka and Elasticsearch, the
 * topics and indices, and the Flink jobs in a local MiniCluster. Closing it stops all of it, jobs first.
 */
final class LocalStack implements AutoCloseable {
    private final LocalServices services;
    private final Path regionFile;
    private final String secret;
    private JobClient ingest;
    private final List<AutoCloseable> closeFirst = new java.util.ArrayList<>();

    private LocalStack(LocalServices services, Path regionFile, String secret) {
        this.services = services;
        this.regionFile = regionFile;
        this.secret = secret;
    }

    /** Starts services, topics and indices. {@code regionFile} is the file the jobs will read (already validated). */
    static LocalStack start(Path regionFile, PrintStream progress) {
        LocalServices services = LocalServices.start(LocalServicesOptions.fromEnvironment().progress(progress).build());
        try {
            Map<String, Integer> topics = new LinkedHashMap<>();
            for (String t : Topics.all()) topics.put(t, t.equals(Topics.CONTROL_RULES) ? 1 : 3);
            services.createTopics(topics);
            progress.println("[stack] kafka topics ready: " + String.join(", ", topics.keySet()));
            IndexBootstrap.run(ElasticsearchConnection.of(services.elasticsearchUrl()), 0);
            progress.println("[stack] elasticsearch indices ready: fenghuo-events, -signals, -alerts, -alert-actions, -deadletters");
            return new LocalStack(services, regionFile, personKeySecret(progress));
        } catch (IOException | RuntimeException e) {
            services.close();
            throw e instanceof RuntimeException r ? r : new CommandException("cannot prepare Elasticsearch indices: " + e.getMessage(), e);
        }
    }

    /** The secret for person keys: FENGHUO_PRIVACY_SECRET, or a fresh one (person links then hold for this run only). */
    private static String personKeySecret(PrintStream progress) {
        String s = System.getenv("FENGHUO_PRIVACY_SECRET");
        if (s != null && s.getBytes(StandardCharsets.UTF_8).length >= 16) return s;
        if (s != null) throw new CommandException("FENGHUO_PRIVACY_SECRET is shorter than 16 bytes; use a long random value");
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        progress.println("[stack] generated a person-key secret for this run (set FENGHUO_PRIVACY_SECRET to keep person links across runs)");
        return HexFormat.of().formatHex(b);
    }

    /** Submits the ingest job alone to a local MiniCluster and returns once it is running (the ingest benchmark). */
    void startIngest(PrintStream progress, Duration checkpointInterval) throws Exception {
        startJobs(progress, checkpointInterval, null, false);
    }

    /**
     * Submits the ingest and correlation jobs to one local MiniCluster, as one Flink job so they share its slots and
     * memory; {@code rulesFile} null means the built-in default rules.
     */
    void startJobs(PrintStream progress, Duration checkpointInterval, Path rulesFile, boolean correlation) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(IngestSettings.KAFKA_BOOTSTRAP.name(), services.kafkaBootstrapServers());
        values.put(IngestSettings.ES_HOSTS.name(), services.elasticsearchUrl());
        values.put(IngestSettings.REGIONS.name(), regionFile.toString());
        values.put(IngestSettings.SECRET.name(), secret);
        values.put(IngestSettings.CHECKPOINT_INTERVAL.name(), checkpointInterval.toMillis() + "ms");
        services.runDirectory().ifPresent(d -> values.put(IngestSettings.CHECKPOINT_DIR.name(), d.resolve("checkpoints").toUri().toString()));
        // The laptop demo writes at once, so an alert reaches the duty officer's screen in well under a second; a
        // restart may repeat a record, which the ids make harmless. Clusters keep the exactly-once default, where a
        // record is visible when the checkpoint holding it completes. FENGHUO_KAFKA_DELIVERY overrides it here.
        values.put(Platform.DELIVERY.name(), System.getenv().getOrDefault(Platform.DELIVERY.envName(), "at-least-once"));
        IngestSettings settings = IngestSettings.from(Settings.of(values));

        StreamExecutionEnvironment env = miniCluster();
        IngestJob.wire(env, settings);
        if (correlation) {
            Map<String, String> c = new LinkedHashMap<>(values);
            c.remove(IngestSettings.SECRET.name());
            if (rulesFile != null) c.put(CorrelationSettings.RULES_FILE.name(), rulesFile.toString());
            String hooks = System.getenv("FENGHUO_NOTIFY_WEBHOOKS");
            if (hooks != null && !hooks.isBlank()) c.put(CorrelationSettings.WEBHOOKS.name(), hooks);
            CorrelationSettings cs = CorrelationSettings.from(Settings.of(c));
            RuleSet rules = CorrelationJob.rules(cs);
            CorrelationJob.wire(env, cs, rules);
            progress.println("[stack] rules: " + rules.rules().size() + " rules, version " + rules.versionOrDefault()
                    + (rulesFile == null ? " (built-in defaults)" : " from " + rulesFile));
        }
        ingest = env.executeAsync(correlation ? "fenghuo-ingest+correlation" : IngestJob.NAME);
        progress.println("[stack] flink: " + (correlation ? "ingest and correlation jobs " : "ingest job ") + ingest.getJobID()
                + " submitted to a local MiniCluster");
    }

    /** A local MiniCluster as the demo runs its jobs in: four slots, its web UI on a free loopback port. */
    static StreamExecutionEnvironment miniCluster() {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 4);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.PORT, 0);
        return StreamExecutionEnvironment.createLocalEnvironment(conf);
    }

    /**
     * Starts the dashboards service on this stack with the demo's users (written to {@code usersFile}); the port is
     * FENGHUO_DASHBOARD_PORT (default 8080, 0 for any free one).
     */
    DashboardServer startDashboard(PrintStream progress, Path usersFile, String password, Map<String, String> overrides) throws IOException {
        List<User> users = DemoUsers.create(RegionHierarchy.load(regionFile), password);
        UsersFile.write(usersFile, users);
        Map<String, String> values = new LinkedHashMap<>();
        values.put(DashboardConfig.KAFKA.name(), kafka());
        values.put(DashboardConfig.ES_HOSTS.name(), elasticsearch());
        values.put(DashboardConfig.REGIONS.name(), regionFile.toString());
        values.put(DashboardConfig.USERS.name(), usersFile.toString());
        values.putAll(overrides);
        DashboardConfig config = DashboardConfig.from(Settings.of(values, System.getenv()));
        try {
            DashboardServer server = DashboardServer.start(config);
            progress.println("[stack] dashboards: users admin, analyst and " + (users.size() - 2)
                    + " duty officers (duty-<district code>) in " + usersFile);
            return server;
        } catch (RuntimeException e) {
            throw new CommandException("cannot start the dashboards on " + config.host() + ":" + config.port() + " (" + e.getMessage()
                    + "); set FENGHUO_DASHBOARD_PORT to a free port, or 0 for any");
        }
    }

    String kafka() {
        return services.kafkaBootstrapServers();
    }

    String elasticsearch() {
        return services.elasticsearchUrl();
    }

    /** The person-key secret the jobs of this stack use. */
    String secret() {
        return secret;
    }

    Path regionFile() {
        return regionFile;
    }

    /** Something started on this stack (the dashboards) that stops before the jobs and services. */
    void onClose(AutoCloseable c) {
        closeFirst.add(c);
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeFirst) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("[stack] could not stop " + c + " cleanly: " + e.getMessage());
            }
        }
        if (ingest != null) {
            try {
                ingest.cancel().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("[stack] could not cancel the ingest job cleanly: " + e.getMessage());
            }
        }
        services.close();
    }
}
