package org.fenghuo.jobs.ingest;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.fenghuo.core.config.Setting;
import org.fenghuo.core.config.Settings;
import org.fenghuo.core.privacy.PersonKeyer;

/** The ingest job's configuration, parsed and validated once. */
public record IngestSettings(
        String kafkaBootstrap,
        List<String> elasticsearchHosts,
        String regionFile,
        byte[] personKeySecret,
        String groupId,
        Duration outOfOrderness,
        Duration idleTimeout,
        Duration dedupeRetention,
        Duration checkpointInterval,
        String checkpointDir,
        int parallelism,
        org.fenghuo.jobs.common.Platform platform) implements Serializable {

    public static final Setting<String> KAFKA_BOOTSTRAP = Setting.string("fenghuo.kafka.bootstrap", null,
            "Kafka bootstrap servers, host:port[,host:port]");
    public static final Setting<String> ES_HOSTS = Setting.string("fenghuo.elasticsearch.hosts", null,
            "Elasticsearch URLs, comma-separated, e.g. http://127.0.0.1:9200");
    public static final Setting<String> REGIONS = Setting.string("fenghuo.regions.file", null,
            "GeoJSON region file (DESIGN §4)");
    public static final Setting<String> SECRET = Setting.string("fenghuo.privacy.secret", null,
            "secret for the keyed hash of persons (at least 16 bytes); keep it stable, or person links break")
            .requiring(s -> s.getBytes(StandardCharsets.UTF_8).length >= PersonKeyer.MIN_SECRET_BYTES, "at least 16 bytes long").secret();
    public static final Setting<String> GROUP_ID = Setting.string("fenghuo.ingest.group-id", "fenghuo-ingest",
            "Kafka consumer group of the ingest job");
    public static final Setting<Duration> OUT_OF_ORDERNESS = Setting.duration("fenghuo.ingest.out-of-orderness",
            Duration.ofMinutes(5), Duration.ZERO, Duration.ofDays(1), "how late a record may arrive behind the newest one");
    public static final Setting<Duration> IDLE_TIMEOUT = Setting.duration("fenghuo.ingest.idle-timeout",
            Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofHours(1), "a partition silent this long no longer holds back event time");
    public static final Setting<Duration> DEDUPE_RETENTION = Setting.duration("fenghuo.ingest.dedupe-retention",
            Duration.ofDays(2), Duration.ofMinutes(1), Duration.ofDays(60), "how long (event time) a record id is remembered to drop redeliveries");
    public static final Setting<Duration> CHECKPOINT_INTERVAL = Setting.duration("fenghuo.checkpoint.interval",
            Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofHours(1), "how often state and Kafka offsets are checkpointed");
    public static final Setting<String> CHECKPOINT_DIR = Setting.string("fenghuo.checkpoint.dir", null,
            "durable directory or URI for checkpoints (file:///…); unset keeps them in memory");
    public static final Setting<Integer> PARALLELISM = Setting.integer("fenghuo.ingest.parallelism", 1, 1, 1024,
            "parallelism of the ingest job");

    public static final List<Setting<?>> ALL = java.util.stream.Stream.concat(java.util.stream.Stream.of(KAFKA_BOOTSTRAP,
            ES_HOSTS, REGIONS, SECRET, GROUP_ID, OUT_OF_ORDERNESS, IDLE_TIMEOUT, DEDUPE_RETENTION, CHECKPOINT_INTERVAL,
            CHECKPOINT_DIR, PARALLELISM), org.fenghuo.jobs.common.Platform.ALL.stream()).toList();

    public static IngestSettings from(Settings s) {
        return new IngestSettings(s.require(KAFKA_BOOTSTRAP), elasticsearchHosts(s), readableFile(s, REGIONS),
                s.require(SECRET).getBytes(StandardCharsets.UTF_8), s.get(GROUP_ID), s.get(OUT_OF_ORDERNESS),
                s.get(IDLE_TIMEOUT), s.get(DEDUPE_RETENTION), s.get(CHECKPOINT_INTERVAL), s.get(CHECKPOINT_DIR),
                s.get(PARALLELISM), org.fenghuo.jobs.common.Platform.from(s));
    }

    /** A required file setting whose file must be readable. */
    public static String readableFile(Settings s, Setting<String> setting) {
        return s.readableFile(setting);
    }

    /** {@link #ES_HOSTS} as a list of http(s) URLs; shared by every job. */
    public static List<String> elasticsearchHosts(Settings s) {
        return s.httpUrls(ES_HOSTS);
    }

    @Override
    public String toString() {
        // never print the secret
        return "IngestSettings[kafka=" + kafkaBootstrap + ", elasticsearch=" + elasticsearchHosts + ", regions=" + regionFile
                + ", groupId=" + groupId + ", outOfOrderness=" + outOfOrderness + ", idle=" + idleTimeout
                + ", dedupeRetention=" + dedupeRetention + ", checkpointInterval=" + checkpointInterval
                + ", checkpointDir=" + checkpointDir + ", parallelism=" + parallelism + ", " + platform + "]";
    }
}
