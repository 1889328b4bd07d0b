package org.fenghuo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.fenghuo.localservices.LocalServices;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The local services themselves: a real broker and a real Elasticsearch, shared by all test classes. */
@ExtendWith(LocalServicesExtension.class)
class LocalServicesIT {
    /** Every instance any test class received; the extension must hand out exactly one per JVM. */
    static final Set<LocalServices> SEEN = ConcurrentHashMap.newKeySet();

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final LocalServices services;

    LocalServicesIT(LocalServices services) {
        this.services = services;
        SEEN.add(services);
    }

    @Test
    void addressesAreLoopbackWithPorts() {
        assertThat(services.kafkaBootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(services.elasticsearchUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
    }

    @Test
    void kafkaRoundTrip() {
        String topic = "it.local-services." + UUID.randomUUID();
        services.createTopics(Map.of(topic, 2));
        services.createTopics(Map.of(topic, 2)); // existing topics are left alone

        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrapServers());
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
            RecordMetadata md = producer.send(new ProducerRecord<>(topic, "k1", "{\"hello\":\"烽火\"}")).get();
            assertThat(md.topic()).isEqualTo(topic);
        } catch (Exception e) {
            throw new AssertionError("produce failed", e);
        }

        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrapServers());
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> received = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
        }
        assertThat(received).hasSize(1);
        assertThat(received.get(0).key()).isEqualTo("k1");
        assertThat(received.get(0).value()).isEqualTo("{\"hello\":\"烽火\"}");
    }

    @Test
    void autoCreationOfTopicsIsOff() throws Exception {
        Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafkaBootstrapServers());
        pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        pp.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
            String typo = "feed.typo-" + UUID.randomUUID();
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> producer.send(new ProducerRecord<>(typo, "k", "v")).get());
        }
    }

    @Test
    void elasticsearchIsHealthyAndStoresDocuments() throws Exception {
        HttpResponse<String> health = send("GET", "/_cluster/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).containsPattern("\"status\"\\s*:\\s*\"(green|yellow)\"");

        String index = "it-local-services-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> put = send("PUT", "/" + index + "/_doc/doc-1?refresh=true",
                "{\"alertId\":\"a-1\",\"title\":\"劳资纠纷\"}");
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);

        HttpResponse<String> get = send("GET", "/" + index + "/_doc/doc-1", null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).contains("\"found\":true").contains("劳资纠纷");

        assertThat(send("DELETE", "/" + index, null).statusCode()).isEqualTo(200);
    }

    @Test
    void sameInstanceAsEveryOtherTestClass() {
        assertThat(SEEN).containsExactly(services);
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(services.elasticsearchUrl() + path))
                .timeout(Duration.ofSeconds(30));
        if (json != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A second test class (JUnit runs nested classes as classes of their own) that must get the same services. */
    @Nested
    class SecondClass {
        @Test
        void getsTheSameServices(LocalServices again) {
            SEEN.add(again);
            assertThat(again).isSameAs(services);
            assertThat(SEEN).hasSize(1);
        }
    }
}

/** A separate top-level test class: shares the services only through the root store, not through an outer instance. */
@ExtendWith(LocalServicesExtension.class)
class LocalServicesSharedIT {
    @Test
    void getsTheSameServices(LocalServices services) {
        LocalServicesIT.SEEN.add(services);
        assertThat(LocalServicesIT.SEEN).hasSize(1);
        assertThat(services.kafkaBootstrapServers()).isNotBlank();
    }
}
