package org.fenghuo.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fenghuo.cli.Main;
import org.fenghuo.connectors.elasticsearch.ElasticsearchConnection;
import org.fenghuo.connectors.elasticsearch.IndexBootstrap;
import org.fenghuo.core.alert.ActionType;
import org.fenghuo.core.alert.AlertAction;
import org.fenghuo.core.config.Settings;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.feed.Topics;
import org.fenghuo.core.json.Json;
import org.fenghuo.core.privacy.PersonKeyer;
import org.fenghuo.jobs.common.GuardedClock;
import org.fenghuo.jobs.correlation.CorrelationJob;
import org.fenghuo.jobs.correlation.CorrelationSettings;
import org.fenghuo.jobs.ingest.IngestJob;
import org.fenghuo.jobs.ingest.IngestSettings;
import org.fenghuo.localservices.LocalServices;
import org.fenghuo.simulator.InMemoryFeedSink;
import org.fenghuo.simulator.KafkaFeedSink;
import org.fenghuo.simulator.Scenario;
import org.fenghuo.simulator.Simulator;
import org.fenghuo.simulator.SimulatorConfig;
import org.fenghuo.simulator.Speed;
import org.fenghuo.simulator.city.DemoCity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The correlation job end to end on a real Kafka broker, a real Elasticsearch and a Flink MiniCluster, fed through
 * the ingest job the way the demo runs them: simulator records on the feed topics become alerts in
 * {@code fenghuo-alerts} and on the {@code alerts} topic, people's actions and escalations reach the audit index and
 * a real webhook, and rules change while the job runs.
 *
 * <p>The broker and Elasticsearch are shared with the other integration tests of this JVM, so every job here starts
 * its consumer groups at the topics' current ends (committed beforehand, as an operator would reset a group) and the
 * assertions look only at what this class produced.
 */
@ExtendWith(LocalServicesExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CorrelationIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String SECRET = "correlation-it-secret-0123456789";
    private static final Duration RED_LIMIT = Duration.ofSeconds(20);

    @TempDir
    static Path tmp;
    private static LocalServices services;
    private static Elastic elastic;
    private static DemoCity city;
    private static Path regionFile;
    private static HttpServer webhook;
    private static final List<JsonNode> notifications = Collections.synchronizedList(new ArrayList<>());
    private static JobClient live;
    private static final String RUN = "cit" + UUID.randomUUID().toString().substring(0, 6);
    private static final Instant STARTED = Instant.now();

    @BeforeAll
    static void setUp(LocalServices s) throws Exception {
        services = s;
        Map<String, Integer> topics = new HashMap<>();
        for (String t : Topics.all()) topics.put(t, t.equals(Topics.CONTROL_RULES) ? 1 : 2);
        services.createTopics(topics);
        IndexBootstrap.run(ElasticsearchConnection.of(services.elasticsearchUrl()), 0);
        elastic = new Elastic(services.elasticsearchUrl());
        city = DemoCity.generate(DemoCity.DEFAULT_SEED);
        regionFile = tmp.resolve("city.geojson");
        city.writeGeoJson(regionFile);

        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", exchange -> {
            try (exchange) {
                notifications.add(Json.mapper().readTree(exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        webhook.start();

        // the live pipeline: ingest and correlation in one MiniCluster, as ./fenghuo demo runs them
        startAtEnd("it-ingest-" + RUN, Topics.feedTopics());
        startAtEnd("it-correlation-" + RUN, List.of(Topics.EVENTS_NORMALIZED));
        startAtEnd("it-correlation-" + RUN + "-actions", List.of(Topics.ALERT_ACTIONS));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment();
        Map<String, String> v = common("it-correlation-" + RUN);
        v.put(IngestSettings.GROUP_ID.name(), "it-ingest-" + RUN);
        v.put(IngestSettings.SECRET.name(), SECRET);
        IngestJob.wire(env, IngestSettings.from(Settings.of(v)));
        v.remove(IngestSettings.SECRET.name());
        v.put(CorrelationSettings.WEBHOOKS.name(), "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook;name=it");
        CorrelationSettings cs = CorrelationSettings.from(Settings.of(v));
        CorrelationJob.wire(env, cs, CorrelationJob.rules(cs));
        live = env.executeAsync("correlation-it-live");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (live != null) live.cancel().get();
        if (webhook != null) webhook.stop(0);
    }

    /** Settings shared by the live job and the replay. */
    private static Map<String, String> common(String correlationGroup) {
        Map<String, String> v = new HashMap<>();
        v.put(IngestSettings.KAFKA_BOOTSTRAP.name(), services.kafkaBootstrapServers());
        v.put(IngestSettings.ES_HOSTS.name(), services.elasticsearchUrl());
        v.put(IngestSettings.REGIONS.name(), regionFile.toString());
        v.put(IngestSettings.CHECKPOINT_INTERVAL.name(), "1s");
        v.put(IngestSettings.CHECKPOINT_DIR.name(), tmp.resolve("chk-" + correlationGroup).toUri().toString());
        v.put(CorrelationSettings.GROUP_ID.name(), correlationGroup);
        // a partition that falls quiet must not let event time run ahead of it while the test compares runs
        v.put(CorrelationSettings.IDLE_TIMEOUT.name(), "10m");
        v.put(CorrelationSettings.ESCALATE_RED.name(), RED_LIMIT.toSeconds() + "s");
        v.put(CorrelationSettings.ESCALATE_ORANGE.name(), "1h");
        return v;
    }

    // ---- 1. scenarios and replay ----------------------------------------------------------------------------------

    @Test
    @Order(1)
    void everyScenarioRaisesItsAlertWithItsEvidenceAndAReplayFindsEachScenarioAgain() throws Exception {
        Map<TopicPartition, Long> eventsStart = endOffsets(Topics.EVENTS_NORMALIZED);
        Map<TopicPartition, Long> alertsStart = endOffsets(Topics.ALERTS);

        // ten days of background at full speed, then eight hours of live traffic at ×2880 with the six scenarios in
        // its first hour (event time trails the newest record by the 4 h out-of-orderness, so the stream must go on
        // past them for a March situation to open)
        SimulatorConfig config = SimulatorConfig.builder().seed(7).speed(Speed.factor(2880)).history(Duration.ofDays(10))
                .maxSimulatedDuration(Duration.ofHours(8)).build();
        Simulator sim = new Simulator(city, config);
        long t0 = System.nanoTime();
        org.fenghuo.simulator.SimulationStats stats;
        try (KafkaFeedSink sink = new KafkaFeedSink(services.kafkaBootstrapServers())) {
            stats = sim.run(sink, () -> false);
        }
        System.out.printf("[correlation-it] simulator wrote %d records in %.1f s%n", stats.total(), (System.nanoTime() - t0) / 1e9);

        PersonKeyer keyer = new PersonKeyer(SECRET.getBytes(StandardCharsets.UTF_8));
        Map<Scenario, JsonNode> found = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<JsonNode> alerts = List.of();
        while (found.size() < sim.scenarios().size() && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            alerts = elastic.all("fenghuo-alerts").stream().filter(a -> Instant.parse(a.path("raisedAt").asText()).isAfter(STARTED)).toList();
            for (Scenario s : sim.scenarios()) {
                String subject = subjectOf(s, keyer);
                boolean place = s.ruleId().equals("linkage.gathering-cluster");
                alerts.stream().filter(a -> a.path("ruleId").asText().equals(s.ruleId()))
                        .filter(a -> place ? evidenceIds(a).containsAll(s.recordIds()) : a.path("subject").path("key").asText().equals(subject))
                        .filter(a -> a.path("level").asText().equals(s.expectedLevel()))
                        .findFirst().ifPresent(a -> found.put(s, a));
            }
        }
        List<String> missing = sim.scenarios().stream().filter(s -> !found.containsKey(s)).map(Scenario::name).toList();
        assertThat(missing).as("scenarios without their alert in fenghuo-alerts; alerts there: %s",
                alerts.stream().map(a -> a.path("alertId").asText() + "=" + a.path("level").asText()).toList()).isEmpty();
        System.out.printf("[correlation-it] all %d scenario alerts searchable %.1f s after the simulator started%n",
                found.size(), (System.nanoTime() - t0) / 1e9);
        found.forEach((s, a) -> {
            List<String> ids = evidenceIds(a);
            // evidence is capped (first records + the latest) with the total count: every listed record is the
            // scenario's, and the count covers all of them
            assertThat(a.path("evidenceCount").asInt()).as(s.name() + " evidenceCount").isGreaterThanOrEqualTo(Math.min(s.recordIds().size(), ids.size()));
            assertThat(ids).as(s.name() + " evidence ids").isNotEmpty();
            assertThat(ids.stream().filter(id -> id.startsWith(s.type().idPrefix())).toList()).as(s.name() + " scenario records in the evidence")
                    .isNotEmpty().allMatch(s.recordIds()::contains);
            assertThat(a.path("explanation").asText()).as(s.name() + " explanation").isNotBlank();
            assertThat(a.path("alertId").asText()).startsWith(s.ruleId() + ":");
            assertThat(a.path("escalations").size()).as("a March situation is history: nobody to escalate to").isZero();
        });
        Map<String, String> liveSet = quietAlerts(alertsStart, Duration.ofSeconds(10));
        // the ingest read ten days of four feeds at full speed and wrote them in the order Kafka handed them out, days
        // apart in event time (printed); the correlation job follows event time per feed partition, so none was too late
        List<String> lagging = new ArrayList<>();
        Map<String, Long> disorder = disorder(Topics.EVENTS_NORMALIZED, eventsStart, lagging);
        System.out.println("[correlation-it] events.normalized, records behind their partition's event time: " + disorder + " e.g. " + lagging);
        assertThat(liveSet).containsKeys(found.values().stream().map(a -> a.path("alertId").asText()).toArray(String[]::new));

        // the replay: a new correlation job (parallelism 2) reads the same events.normalized at full speed
        String replayGroup = "it-replay-" + RUN;
        commit(replayGroup, eventsStart);
        startAtEnd(replayGroup + "-actions", List.of(Topics.ALERT_ACTIONS));
        Map<TopicPartition, Long> replayAlertsStart = endOffsets(Topics.ALERTS);
        Map<String, String> v = common(replayGroup);
        v.put(CorrelationSettings.PARALLELISM.name(), "2");
        CorrelationSettings cs = CorrelationSettings.from(Settings.of(v));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment();
        CorrelationJob.wire(env, cs, CorrelationJob.rules(cs));
        long r0 = System.nanoTime();
        JobClient replay = env.executeAsync("correlation-it-replay");
        Map<String, String> replaySet;
        try {
            replaySet = quietAlerts(replayAlertsStart, Duration.ofSeconds(10));
        } finally {
            replay.cancel().get();
        }
        System.out.printf("[correlation-it] live run: %d alerts; replay: %d alerts in %.1f s%n", liveSet.size(), replaySet.size(),
                (System.nanoTime() - r0) / 1e9);
        // the replay finds every scenario's situation (rule and subject) again
        Set<String> scenarioSituations = found.values().stream()
                .map(a -> a.path("ruleId").asText() + ":" + a.path("subject").path("key").asText()).collect(Collectors.toSet());
        assertThat(situations(replaySet)).containsAll(scenarioSituations);
        // the identical alert set: every id (rule, subject, episode start) with the same highest level, although the
        // replay ran at another speed and parallelism, reading partitions that hold the feeds days out of order
        Set<String> onlyLive = new java.util.TreeSet<>(liveSet.keySet());
        onlyLive.removeAll(replaySet.keySet());
        Set<String> onlyReplay = new java.util.TreeSet<>(replaySet.keySet());
        onlyReplay.removeAll(liveSet.keySet());
        System.out.println("[correlation-it] alert ids only live: " + onlyLive + "; only in the replay: " + onlyReplay);
        assertThat(replaySet).as("the replay's alerts (id → level) against the live run's").isEqualTo(liveSet);
        assertThat(notifications).as("nobody is notified of last March's situations")
                .noneMatch(n -> Instant.parse(n.path("alert").path("triggeredAt").asText()).isBefore(STARTED.minus(Duration.ofDays(1))));
    }

    // ---- 2. escalation and acknowledgement -------------------------------------------------------------------------

    @Test
    @Order(2)
    void anUnacknowledgedRedAlertIsEscalatedAndNotifiedWhileAnAcknowledgedOneIsNot() throws Exception {
        // what happened in the last hour and a half, sent now: the wage-arrears and collective-petition scenarios are
        // both RED and recent enough for someone to be on duty for them
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(90));
        SimulatorConfig config = SimulatorConfig.builder().seed(8).start(start).speed(Speed.max()).history(Duration.ZERO)
                .maxSimulatedDuration(Duration.ofMinutes(95)).build();
        Simulator sim = new Simulator(city, config);
        Instant sent = Instant.now();
        try (KafkaFeedSink sink = new KafkaFeedSink(services.kafkaBootstrapServers())) {
            sim.run(sink, () -> false);
        }
        Scenario wage = scenario(sim, "labor.wage-arrears-escalation");
        Scenario collective = scenario(sim, "petition.collective");

        JsonNode petition = awaitAlert(a -> a.path("ruleId").asText().equals(collective.ruleId())
                && a.path("subject").path("key").asText().equals(collective.subjectKey()) && raisedAfter(a, sent));
        String petitionId = petition.path("alertId").asText();
        assertThat(petition.path("level").asText()).isEqualTo("RED");
        assertThat(petition.path("escalationDueAt").asText()).as("a RED alert has a deadline").isNotEmpty();
        send(Topics.ALERT_ACTIONS, petitionId, new AlertAction("ack-" + RUN, petitionId, ActionType.ACKNOWLEDGE, "duty-it", "DUTY_OFFICER",
                Instant.now(), "已签收,民警前往现场", null, null, null, null, null, null));
        send(Topics.ALERT_ACTIONS, "no-such-alert", new AlertAction("ack-missing-" + RUN, "petition.collective:REG:339999999999:20260101T000000Z", ActionType.ACKNOWLEDGE,
                "duty-it", "DUTY_OFFICER", Instant.now(), null, null, null, null, null, null, null));

        JsonNode wageAlert = awaitAlert(a -> a.path("ruleId").asText().equals(wage.ruleId())
                && a.path("subject").path("key").asText().equals(wage.subjectKey()) && raisedAfter(a, sent)
                && a.path("escalations").size() > 0);
        JsonNode escalation = wageAlert.path("escalations").get(0);
        assertThat(wageAlert.path("level").asText()).isEqualTo("RED");
        assertThat(escalation.path("from").asText()).isNotEqualTo(escalation.path("to").asText());
        assertThat(wageAlert.path("responsibleLevel").asText()).as("now held one level up")
                .isEqualTo(wageAlert.path("escalations").get(wageAlert.path("escalations").size() - 1).path("to").asText());
        assertThat(Duration.between(Instant.parse(wageAlert.path("raisedAt").asText()), Instant.parse(escalation.path("at").asText())))
                .as("escalated after the RED limit, not before").isGreaterThanOrEqualTo(RED_LIMIT);
        assertThat(wageAlert.path("status").asText()).isEqualTo("NEW");

        // the acknowledged one: past its own deadline, still with its duty officer
        Instant petitionDue = Instant.parse(petition.path("raisedAt").asText()).plus(RED_LIMIT).plusSeconds(5);
        while (Instant.now().isBefore(petitionDue)) Thread.sleep(500);
        JsonNode acked = awaitAlert(a -> a.path("alertId").asText().equals(petitionId) && a.path("status").asText().equals("ACKNOWLEDGED"));
        assertThat(acked.path("acknowledgedBy").asText()).isEqualTo("duty-it");
        assertThat(acked.path("escalations").size()).as("an acknowledged alert is not escalated").isZero();
        assertThat(acked.path("responsibleLevel").asText()).isEqualTo(petition.path("responsibleLevel").asText());

        // the audit trail holds the officer's action, the system's escalation and the refusal of the unknown alert
        List<JsonNode> audit = awaitDocs("fenghuo-alert-actions", d -> d.path("alertId").asText().equals(petitionId)
                || d.path("alertId").asText().equals(wageAlert.path("alertId").asText()) || d.path("actionId").asText().equals("ack-missing-" + RUN), 5);
        assertThat(audit).anySatisfy(d -> {
            assertThat(d.path("actionId").asText()).isEqualTo("ack-" + RUN);
            assertThat(d.path("outcome").asText()).startsWith("APPLIED");
            assertThat(d.path("status").asText()).isEqualTo("ACKNOWLEDGED");
        });
        assertThat(audit).anySatisfy(d -> {
            assertThat(d.path("alertId").asText()).isEqualTo(wageAlert.path("alertId").asText());
            assertThat(d.path("action").asText()).isEqualTo("ESCALATE");
        });
        assertThat(audit).anySatisfy(d -> {
            assertThat(d.path("actionId").asText()).isEqualTo("ack-missing-" + RUN);
            assertThat(d.path("outcome").asText()).startsWith("REFUSED").contains("unknown alert");
        });

        // the webhook heard of both as NEW, and of the wage alert's escalation; never of an escalation of the other
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < end && notificationsOf(wageAlert.path("alertId").asText(), "ESCALATED").isEmpty()) Thread.sleep(250);
        assertThat(notificationsOf(petitionId, "NEW")).hasSize(1);
        assertThat(notificationsOf(wageAlert.path("alertId").asText(), "NEW")).hasSize(1);
        assertThat(notificationsOf(wageAlert.path("alertId").asText(), "ESCALATED")).isNotEmpty()
                .allSatisfy(n -> assertThat(n.path("alert").path("escalations").size()).isPositive());
        assertThat(notificationsOf(petitionId, "ESCALATED")).isEmpty();
    }

    // ---- 3. rules at run time -------------------------------------------------------------------------------------

    @Test
    @Order(3)
    void aRulePushedAtRunTimeTakesEffectAndABrokenUpdateIsRefusedWhileTheRunningRulesStay() throws Exception {
        String extra = """

                  - id: it.petition-watch
                    kind: THRESHOLD
                    title: 测试:信访关注
                    match:
                      feed: [petition]
                    key:
                      - region: COMMUNITY
                    window: PT6H
                    levels:
                      - level: BLUE
                        atLeast: 1
                    cooldown: PT1H
                """;
        String defaults;
        try (var in = org.fenghuo.core.rules.RulesFile.class.getResourceAsStream("default-rules.yaml")) {
            defaults = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path file = tmp.resolve("rules-with-watch.yaml");
        Files.writeString(file, defaults.stripTrailing() + "\n" + extra);
        Path broken = tmp.resolve("broken.yaml");
        Files.writeString(broken, defaults.stripTrailing() + "\n" + extra.replace("atLeast: 1", "atLeast: -1"));

        assertThat(Main.run(List.of("rules", "push", broken.toString(), "--kafka", services.kafkaBootstrapServers(), "--wait", "60s")))
                .as("a broken file is refused before anything is sent").isNotZero();
        assertThat(Main.run(List.of("rules", "push", file.toString(), "--kafka", services.kafkaBootstrapServers(), "--wait", "60s",
                "--by", "it"))).as("push accepted by the running job").isZero();

        // recent petitions now raise the new rule's alerts
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(3));
        InMemoryFeedSink memory = new InMemoryFeedSink();
        new Simulator(city, SimulatorConfig.builder().seed(9).start(start).speed(Speed.max()).history(Duration.ZERO)
                .scenarios(false).malformedRate(0).duplicateRate(0).lateRate(0).maxSimulatedDuration(Duration.ofHours(3)).build())
                .run(memory, () -> false);
        Set<String> petitions = memory.records(Feed.PETITION).stream()
                .map(r -> readTree(r.value()).path("petitionId").asText()).collect(Collectors.toSet());
        assertThat(petitions).isNotEmpty();
        Instant sent = Instant.now();
        try (KafkaFeedSink sink = new KafkaFeedSink(services.kafkaBootstrapServers())) {
            for (InMemoryFeedSink.SentRecord r : memory.records()) sink.send(r.feed(), r.key(), r.value(), r.eventTimeMillis());
        }
        JsonNode watch = awaitAlert(a -> a.path("ruleId").asText().equals("it.petition-watch") && raisedAfter(a, sent));
        assertThat(watch.path("level").asText()).isEqualTo("BLUE");
        assertThat(watch.path("subject").path("key").asText()).startsWith("REG:");
        assertThat(evidenceIds(watch)).isNotEmpty().allMatch(petitions::contains);

        // an update the CLI would never send, straight onto the topic: the job refuses it and says why
        String requestId = "bad-" + RUN;
        String bad = """
                {"type":"UPSERT","requestId":"%s","ruleId":"it.bad","by":"it","source":"test",
                 "rule":{"id":"it.bad","kind":"THRESHOLD","title":"坏规则","match":{"feed":["petitions"]},
                         "key":[{"region":"COMMUNITY"}],"window":"PT1H","levels":[{"level":"BLUE","atLeast":1}]}}
                """.formatted(requestId);
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            p.send(new ProducerRecord<>(Topics.CONTROL_RULES, "it.bad".getBytes(StandardCharsets.UTF_8), bad.getBytes(StandardCharsets.UTF_8))).get();
        }
        JsonNode status = awaitStatus(requestId);
        assertThat(status.path("accepted").asBoolean(true)).isFalse();
        assertThat(status.path("reason").asText()).contains("it.bad").contains("petitions");
        List<String> running = new ArrayList<>();
        status.path("ruleIds").forEach(n -> running.add(n.asText()));
        assertThat(running).as("the running rules stay").contains("it.petition-watch", "labor.wage-arrears-escalation").doesNotContain("it.bad");

        // and the single-rule commands: delete the test rule, leaving the defaults for whoever reads control.rules next
        assertThat(Main.run(List.of("rules", "delete", "it.petition-watch", "--kafka", services.kafkaBootstrapServers(), "--wait", "60s")))
                .isZero();
        assertThat(Main.run(List.of("rules", "disable", "it.no-such-rule", "--kafka", services.kafkaBootstrapServers(), "--wait", "60s")))
                .as("an unknown rule id is refused by the job").isNotZero();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** rule:subject of each alert id (the id without its episode start). */
    private static Set<String> situations(Map<String, String> alerts) {
        return alerts.keySet().stream().map(id -> id.substring(0, id.lastIndexOf(':'))).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private static Scenario scenario(Simulator sim, String ruleId) {
        return sim.scenarios().stream().filter(s -> s.ruleId().equals(ruleId)).findFirst().orElseThrow();
    }

    private static String subjectOf(Scenario s, PersonKeyer keyer) {
        return s.subjectKey() != null ? s.subjectKey() : keyer.byIdentityNumber(s.subjectIdNumber());
    }

    private static boolean raisedAfter(JsonNode alert, Instant t) {
        return !Instant.parse(alert.path("raisedAt").asText()).isBefore(t);
    }

    private static List<String> evidenceIds(JsonNode alert) {
        List<String> ids = new ArrayList<>();
        alert.path("evidence").forEach(e -> ids.add(e.path("recordId").asText()));
        return ids;
    }

    private static List<JsonNode> notificationsOf(String alertId, String reason) {
        synchronized (notifications) {
            return notifications.stream().filter(n -> n.path("alert").path("alertId").asText().equals(alertId)
                    && n.path("reason").asText().equals(reason)).toList();
        }
    }

    private static JsonNode awaitAlert(Predicate<JsonNode> wanted) throws InterruptedException {
        return awaitDocs("fenghuo-alerts", wanted, 1).get(0);
    }

    private static List<JsonNode> awaitDocs(String index, Predicate<JsonNode> wanted, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<JsonNode> hits = List.of();
        while (System.nanoTime() < deadline) {
            hits = elastic.all(index).stream().filter(wanted).toList();
            if (hits.size() >= atLeast) return hits;
            Thread.sleep(500);
        }
        throw new AssertionError("waited " + TIMEOUT + " for " + atLeast + " matching documents in " + index + ", found " + hits);
    }

    /**
     * The alerts written to the {@code alerts} topic after {@code from}, once at least one has come and then nothing
     * new for {@code quiet}: each alert's highest level.
     */
    private static Map<String, String> quietAlerts(Map<TopicPartition, Long> from, Duration quiet) {
        Map<String, String> levels = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = reader()) {
            c.assign(from.keySet());
            from.forEach(c::seek);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            long lastNew = System.nanoTime();
            while (System.nanoTime() < deadline) {
                var records = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    JsonNode a = readTree(r.value());
                    levels.merge(a.path("alertId").asText(), a.path("level").asText(), (x, y) -> rank(y) > rank(x) ? y : x);
                }
                if (!records.isEmpty()) lastNew = System.nanoTime();
                else if (!levels.isEmpty() && System.nanoTime() - lastNew > quiet.toNanos()) return levels;
            }
        }
        throw new AssertionError("the alerts topic did not fall quiet within " + TIMEOUT + " (" + levels.size() + " alerts so far)");
    }

    private static int rank(String level) {
        return List.of("BLUE", "YELLOW", "ORANGE", "RED").indexOf(level);
    }

    private static JsonNode awaitStatus(String requestId) {
        try (KafkaConsumer<byte[], byte[]> c = reader()) {
            List<TopicPartition> tps = c.partitionsFor(Topics.CONTROL_RULES).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    JsonNode n = readTree(r.value());
                    if (n.path("type").asText().equals("STATUS") && n.path("requestId").asText().equals(requestId)) return n;
                }
            }
        }
        throw new AssertionError("no STATUS answer on control.rules for request " + requestId);
    }

    /**
     * How far records fall behind the event time already reached in their partition of {@code topic}, by feed and
     * bucket (">4h", ">1d"); the clock is guarded like the jobs' own, so the simulator's few wild dates do not count.
     */
    private static Map<String, Long> disorder(String topic, Map<TopicPartition, Long> from, List<String> examples) {
        Map<String, Long> buckets = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> c = reader()) {
            c.assign(from.keySet());
            from.forEach(c::seek);
            Map<TopicPartition, Long> end = c.endOffsets(from.keySet());
            Map<Integer, GuardedClock> clocks = new HashMap<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (from.keySet().stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    JsonNode n = readTree(r.value());
                    long t = java.time.OffsetDateTime.parse(n.path("occurredAt").asText()).toInstant().toEpochMilli();
                    GuardedClock clock = clocks.computeIfAbsent(r.partition(), p -> new GuardedClock(GuardedClock.WILD_JUMP, GuardedClock.WILD_CONFIRMATIONS));
                    clock.observe(t);
                    long lag = clock.max() - t;
                    String bucket = lag > 86_400_000L ? ">1d" : lag > 4 * 3_600_000L ? ">4h" : null;
                    if (bucket == null) continue;
                    buckets.merge(n.path("feed").asText() + bucket, 1L, Long::sum);
                    if (examples.size() < 5) examples.add(r.partition() + "@" + r.offset() + " " + n.path("eventId").asText() + " "
                            + Instant.ofEpochMilli(t) + " behind " + Instant.ofEpochMilli(clock.max()));
                }
            }
        }
        return buckets;
    }

    private static JsonNode readTree(byte[] v) {
        try {
            return Json.mapper().readTree(v);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(v, StandardCharsets.UTF_8), e);
        }
    }

    private static void send(String topic, String key, Object value) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = producer()) {
            p.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), Json.toBytes(value))).get();
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(KafkaFeedSink.properties(services.kafkaBootstrapServers(), Map.of()));
    }

    private static KafkaConsumer<byte[], byte[]> reader() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    private static Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrapServers());
        return Admin.create(p);
    }

    private static Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        try (Admin admin = admin()) {
            int n = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int i = 0; i < n; i++) request.put(new TopicPartition(topic, i), OffsetSpec.latest());
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        }
    }

    /** Sets a consumer group's committed offsets to the topics' current ends: the job starts with what comes next. */
    private static void startAtEnd(String group, List<String> topics) throws Exception {
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (String t : topics) ends.putAll(endOffsets(t));
        commit(group, ends);
    }

    private static void commit(String group, Map<TopicPartition, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> o = new HashMap<>();
        offsets.forEach((tp, off) -> o.put(tp, new OffsetAndMetadata(off)));
        try (Admin admin = admin()) {
            admin.alterConsumerGroupOffsets(group, o).all().get();
        }
    }
}
