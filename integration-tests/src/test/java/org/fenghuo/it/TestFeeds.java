package org.fenghuo.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.ids.CheckDigits;

/**
 * Hand-made feed records for the ingest integration tests, against the small test region file: every record has a
 * person with a distinct name, phone and identity number, so the tests can search Elasticsearch for any of them.
 */
final class TestFeeds {
    static final Path REGIONS = Path.of("../core/src/test/resources/org/fenghuo/core/test-regions.geojson").toAbsolutePath();
    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄"};

    record Rec(Feed feed, String id, String json) {}

    final String prefix;
    final List<String> rawPersonalValues = new ArrayList<>();

    TestFeeds(String prefix) {
        this.prefix = prefix;
    }

    String idNumber(int i) {
        String first = String.format(Locale.ROOT, "3399011985%07d", i);
        return first + CheckDigits.identityCheckChar(first);
    }

    String person(int i) {
        String name = SURNAMES[i % SURNAMES.length] + "测" + (char) ('一' + i % 100);
        String phone = String.format(Locale.ROOT, "139%08d", i);
        String id = idNumber(i);
        rawPersonalValues.add(name);
        rawPersonalValues.add(phone);
        rawPersonalValues.add(id);
        return "{\"name\":\"" + name + "\",\"phone\":\"" + phone + "\",\"idNumber\":\"" + id + "\"}";
    }

    static String time(int i) {
        return String.format(Locale.ROOT, "2026-03-05T%02d:%02d:%02d+08:00", 8 + i / 3600 % 12, i / 60 % 60, i % 60);
    }

    /** The i-th valid record, cycling through the four feeds. */
    Rec valid(int i) {
        String id = prefix + "-" + i;
        return switch (i % 4) {
            case 0 -> new Rec(Feed.GRID_REPORT, id, "{\"reportId\":\"" + id + "\",\"reportedAt\":\"" + time(i) + "\",\"gridCode\":\"339901001001001\","
                    + "\"reporterId\":\"GW-1\",\"category\":\"DISPUTE\",\"severity\":2,\"subjects\":[{\"type\":\"PERSON\",\"person\":" + person(i) + "}]}");
            case 1 -> new Rec(Feed.LINKAGE_CALL, id, "{\"callId\":\"" + id + "\",\"receivedAt\":\"" + time(i) + "\",\"callType\":\"DISPUTE\","
                    + "\"districtCode\":\"339901\",\"location\":{\"lat\":30.005,\"lon\":120.015},\"caller\":" + person(i) + "}");
            case 2 -> new Rec(Feed.PETITION, id, "{\"petitionId\":\"" + id + "\",\"receivedAt\":\"" + time(i) + "\",\"channel\":\"VISIT\","
                    + "\"petitionerCount\":1,\"issueType\":\"OTHER\",\"regionCode\":\"339901001001\",\"receivingLevel\":\"STREET\",\"petitioner\":" + person(i) + "}");
            default -> new Rec(Feed.LABOR_INSPECTION, id, "{\"recordId\":\"" + id + "\",\"recordedAt\":\"" + time(i) + "\",\"kind\":\"COMPLAINT\","
                    + "\"issue\":\"OVERTIME\",\"enterprise\":{\"creditCode\":\"91339901MA2B3C4D5" + CheckDigits.creditCheckChar("91339901MA2B3C4D5")
                    + "\",\"gridCode\":\"339901001001002\"},\"complainant\":" + person(i) + "}");
        };
    }

    /** The i-th malformed record: each kind of DESIGN §2 rejection in turn. */
    Rec malformed(int i) {
        String id = prefix + "-bad-" + i;
        return switch (i % 6) {
            case 0 -> new Rec(Feed.PETITION, id, "this is not json " + i);
            case 1 -> new Rec(Feed.GRID_REPORT, id, "[\"" + id + "\"]");
            case 2 -> new Rec(Feed.GRID_REPORT, id, "{\"reportId\":\"" + id + "\",\"reportedAt\":\"" + time(i) + "\",\"gridCode\":\"339901001001001\",\"category\":\"DISPUTE\",\"severity\":2}");
            case 3 -> new Rec(Feed.LINKAGE_CALL, id, "{\"callId\":\"" + id + "\",\"receivedAt\":\"" + time(i) + "\",\"callType\":\"RIOT\",\"districtCode\":\"339901\"}");
            case 4 -> new Rec(Feed.PETITION, id, "{\"petitionId\":\"" + id + "\",\"receivedAt\":\"" + time(i) + "\",\"channel\":\"VISIT\",\"petitionerCount\":1,"
                    + "\"issueType\":\"OTHER\",\"regionCode\":\"339901009009\",\"receivingLevel\":\"STREET\",\"petitioner\":" + person(100_000 + i) + "}");
            default -> new Rec(Feed.LABOR_INSPECTION, id, "{\"recordId\":\"" + id + "\",\"recordedAt\":\"2099-01-01T00:00:00+08:00\",\"kind\":\"COMPLAINT\","
                    + "\"issue\":\"OVERTIME\",\"enterprise\":{\"creditCode\":\"91339901MA2B3C4D5X\"}}");
        };
    }

    /** Sends and waits for every acknowledgement, so a refused record fails the test here, not as a missing count later. */
    static void send(KafkaProducer<byte[], byte[]> producer, List<Rec> records) throws Exception {
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> acks = new ArrayList<>();
        for (Rec r : records) {
            acks.add(producer.send(new ProducerRecord<>(r.feed().topic(), r.id().getBytes(StandardCharsets.UTF_8), r.json().getBytes(StandardCharsets.UTF_8))));
        }
        producer.flush();
        for (var ack : acks) ack.get();
    }
}
