package org.fenghuo.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fenghuo.core.json.Json;
import org.fenghuo.localservices.LocalServices;
import org.fenghuo.localservices.LocalServicesOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Replicated services for the fault tests of issue 5: three KRaft brokers (replication factor 3, min ISR 2) and a
 * two-node Elasticsearch cluster with one replica, and the controls that break them. Its own services, not the shared
 * ones of {@link LocalServicesExtension}: the tests below kill and stop them. The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedServicesIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String TOPIC = "it.replicated." + UUID.randomUUID();
    private static final String INDEX = "it-replicated-" + UUID.randomUUID().toString().substring(0, 8);
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 300;

    private static LocalServices services;

    @BeforeAll
    static void start() {
        LocalServicesOptions.Builder b = LocalServicesOptions.fromEnvironment()
                .baseDirectory(Path.of(System.getProperty(LocalServicesExtension.BASE_DIR_PROPERTY,
                        LocalServicesExtension.DEFAULT_BASE_DIR.toString())))
                .kafkaBrokers(3)
                .elasticsearchNodes(2)
                .kafkaHeap("384m")
                .elasticsearchHeap("512m")
                .progress(System.out);
        if (!b.isConfigured(LocalServicesOptions.DIST_DIR)) {
            // share the unpacked distribution with the demo and the other tests
            b.distributionDirectory(LocalServicesOptions.DEFAULT_BASE_DIR.resolve("dist"));
        }
        long t0 = System.nanoTime();
        services = LocalServices.start(b.build());
        System.out.printf("[it] 3 brokers and 2 Elasticsearch nodes started in %.1f s%n", seconds(t0));
    }

    @AfterAll
    static void stop() {
        if (services == null) return;
        long t0 = System.nanoTime();
        services.close();
        System.out.printf("[it] stopped in %.1f s%n", seconds(t0));
    }

    @Test
    @Order(1)
    void topicsHaveThreeReplicasAndMinInsyncReplicasTwo() throws Exception {
        assertThat(services.kafkaBrokers()).isEqualTo(3);
        assertThat(services.kafkaBootstrapServers().split(",")).hasSize(3)
                .allMatch(s -> s.matches("127\\.0\\.0\\.1:\\d+"));
        services.createTopics(Map.of(TOPIC, PARTITIONS));
        try (Admin admin = admin()) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(3);
            TopicDescription d = describe(admin);
            assertThat(d.partitions()).hasSize(PARTITIONS).allSatisfy(p -> {
                assertThat(p.replicas()).hasSize(3);
                assertThat(p.isr()).hasSize(3);
            });
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            Config config = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
            // the internal topics exist already (created at start, while all brokers are up), replicated 3 times
            Map<String, TopicDescription> internal = admin.describeTopics(List.of("__consumer_offsets",
                    "__transaction_state")).allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(internal.values()).allSatisfy(t -> assertThat(t.partitions())
                    .allSatisfy(p -> assertThat(p.replicas()).hasSize(3)));
        }
    }

    @Test
    @Order(2)
    void elasticsearchIsTwoNodesAndAnIndexWithOneReplicaTurnsGreen() throws Exception {
        List<String> urls = services.elasticsearchUrls();
        assertThat(urls).hasSize(2).first().isEqualTo(services.elasticsearchUrl());
        for (String url : urls) {
            JsonNode health = json(send(url, "GET", "/_cluster/health", null));
            assertThat(health.path("number_of_nodes").asInt()).as(url).isEqualTo(2);
        }
        HttpResponse<String> create = send(urls.get(0), "PUT", "/" + INDEX,
                "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":1}}");
        assertThat(create.statusCode()).as(create.body()).isEqualTo(200);
        HttpResponse<String> green = send(urls.get(0), "GET",
                "/_cluster/health/" + INDEX + "?wait_for_status=green&timeout=60s", null);
        assertThat(green.statusCode()).as(green.body()).isEqualTo(200);
        assertThat(json(green).path("status").asText()).isEqualTo("green");

        HttpResponse<String> put = send(urls.get(1), "PUT", "/" + INDEX + "/_doc/doc-1?refresh=true",
                "{\"alertId\":\"a-1\",\"title\":\"劳资纠纷\"}");
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    }

    @Test
    @Order(3)
    void withOneBrokerKilledAnIdempotentAcksAllProducerWritesAndAConsumerReadsEverything() throws Exception {
        long t0 = System.nanoTime();
        services.killKafkaBroker(1);
        System.out.printf("[it] killKafkaBroker(1) took %.1f s%n", seconds(t0));

        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrapServers());
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        pp.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "90000");
        long tw = System.nanoTime();
        Set<String> sent = new HashSet<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                String key = "k-" + i;
                acks.add(producer.send(new ProducerRecord<>(TOPIC, key, "{\"n\":" + i + "}")));
                sent.add(key);
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(120, TimeUnit.SECONDS);
            }
        }
        System.out.printf("[it] %d records written with acks=all and a broker down in %.1f s%n", RECORDS, seconds(tw));

        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrapServers());
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, "it-replicated-" + UUID.randomUUID());
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Set<String> received = new HashSet<>();
        long tr = System.nanoTime();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp)) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (received.size() < RECORDS && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> received.add(r.key()));
            }
            consumer.commitSync(Duration.ofSeconds(30)); // the group's offsets too survive a broker down
        }
        System.out.printf("[it] %d records read by a consumer group with a broker down in %.1f s%n", received.size(),
                seconds(tr));
        assertThat(received).isEqualTo(sent);
    }

    @Test
    @Order(4)
    void aRestartedBrokerIsBackInTheIsrOfEveryPartition() throws Exception {
        long t0 = System.nanoTime();
        services.startKafkaBroker(1);
        System.out.printf("[it] startKafkaBroker(1) took %.1f s%n", seconds(t0));
        try (Admin admin = admin()) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(n -> n.id()))
                    .contains(2);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Map<Integer, Integer> isrSizes = isrSizes(describe(admin));
            while (isrSizes.values().stream().anyMatch(s -> s < 3) && System.nanoTime() < deadline) {
                Thread.sleep(250);
                isrSizes = isrSizes(describe(admin));
            }
            System.out.printf("[it] ISR of every partition back to 3 replicas %.1f s after the restart began%n",
                    seconds(t0));
            assertThat(isrSizes).as("ISR size per partition").hasSize(PARTITIONS).allSatisfy((p, s) -> assertThat(s)
                    .isEqualTo(3));
        }
    }

    @Test
    @Order(5)
    void stoppedElasticsearchRefusesConnectionsAndKeepsItsDataAcrossARestart() throws Exception {
        List<String> urls = services.elasticsearchUrls();
        long t0 = System.nanoTime();
        services.stopElasticsearch();
        System.out.printf("[it] stopElasticsearch() took %.1f s%n", seconds(t0));
        for (String url : urls) {
            assertThatThrownBy(() -> send(url, "GET", "/_cluster/health", null)).as(url)
                    .isInstanceOf(ConnectException.class);
        }

        long t1 = System.nanoTime();
        services.startElasticsearch();
        System.out.printf("[it] startElasticsearch() took %.1f s%n", seconds(t1));
        assertThat(services.elasticsearchUrls()).isEqualTo(urls);
        for (String url : urls) {
            JsonNode health = json(send(url, "GET", "/_cluster/health", null));
            assertThat(health.path("number_of_nodes").asInt()).as(url).isEqualTo(2);
            assertThat(health.path("status").asText()).as(url).isIn("yellow", "green");
        }
        HttpResponse<String> get = send(urls.get(0), "GET", "/" + INDEX + "/_doc/doc-1", null);
        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        assertThat(json(get).path("found").asBoolean()).isTrue();
        assertThat(json(get).path("_source").path("title").asText()).isEqualTo("劳资纠纷");
    }

    private static Map<Integer, Integer> isrSizes(TopicDescription d) {
        return d.partitions().stream().collect(Collectors.toMap(TopicPartitionInfo::partition, p -> p.isr().size()));
    }

    private static TopicDescription describe(Admin admin) throws Exception {
        return admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC);
    }

    private static Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return Admin.create(p);
    }

    private static HttpResponse<String> send(String url, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(90));
        if (json != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
