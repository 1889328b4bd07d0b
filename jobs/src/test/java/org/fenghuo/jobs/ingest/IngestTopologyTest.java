package org.fenghuo.jobs.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.fenghuo.core.model.DeadLetter;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.model.RawFeedRecord;
import org.fenghuo.jobs.testing.CollectingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ingest topology in a real MiniCluster, on in-memory records: every record leaves as one event or one dead letter. */
class IngestTopologyTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final String REGIONS = Path.of("../core/src/test/resources/org/fenghuo/core/test-regions.geojson").toAbsolutePath().toString();
    static final byte[] SECRET = "ingest-topology-test-secret".getBytes(StandardCharsets.UTF_8);

    private static long offset;

    static RawFeedRecord raw(String topic, String json) {
        return new RawFeedRecord(topic, 0, offset++, null, json.getBytes(StandardCharsets.UTF_8), 0L);
    }

    static String petition(String id, String time) {
        return "{\"petitionId\":\"" + id + "\",\"receivedAt\":\"" + time + "\",\"channel\":\"VISIT\",\"petitionerCount\":1,"
                + "\"issueType\":\"OTHER\",\"regionCode\":\"339901001001\",\"receivingLevel\":\"STREET\","
                + "\"petitioner\":{\"name\":\"赵大勇\",\"phone\":\"13700001111\"}}";
    }

    static String gridReport(String id, String time) {
        return "{\"reportId\":\"" + id + "\",\"reportedAt\":\"" + time + "\",\"gridCode\":\"339901001001001\","
                + "\"reporterId\":\"GW-1\",\"category\":\"DISPUTE\",\"severity\":2}";
    }

    @Test
    void everyRecordBecomesOneEventOrOneDeadLetter() throws Exception {
        List<RawFeedRecord> input = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String t = String.format("2026-03-05T%02d:%02d:00+08:00", 8 + i / 60, i % 60);
            input.add(raw("feed.petitions", petition("P-" + i, t)));
            input.add(raw("feed.grid-reports", gridReport("G-" + i, t)));
        }
        // redeliveries of five records, one of them much later
        for (int i = 0; i < 5; i++) input.add(raw("feed.petitions", petition("P-" + i, String.format("2026-03-05T08:%02d:00+08:00", i))));
        // malformed: not JSON, wrong enum, unknown grid
        input.add(raw("feed.petitions", "garbage"));
        input.add(raw("feed.grid-reports", gridReport("G-bad", "2026-03-05T09:00:00+08:00").replace("DISPUTE", "RIOT")));
        input.add(raw("feed.grid-reports", gridReport("G-nogrid", "2026-03-05T09:00:00+08:00").replace("339901001001001", "339901001001999")));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        var feeds = env.fromData(input, TypeInformation.of(RawFeedRecord.class))
                .assignTimestampsAndWatermarks(IngestTopology.watermarks(Duration.ofMinutes(5), Duration.ofMinutes(1)));
        CollectingSink<NormalizedEvent> eventTopic = new CollectingSink<>();
        CollectingSink<NormalizedEvent> eventIndex = new CollectingSink<>();
        CollectingSink<DeadLetter> deadTopic = new CollectingSink<>();
        CollectingSink<DeadLetter> deadIndex = new CollectingSink<>();
        IngestTopology.build(feeds, REGIONS, SECRET, Duration.ofDays(2),
                new IngestTopology.Sinks(eventTopic, eventIndex, deadTopic, deadIndex));
        env.execute("ingest-topology-test");

        assertThat(eventIndex.received()).hasSize(80);
        assertThat(eventIndex.received()).extracting(NormalizedEvent::eventId).doesNotHaveDuplicates();
        assertThat(eventTopic.received()).hasSameSizeAs(eventIndex.received());
        assertThat(deadIndex.received()).extracting(DeadLetter::reason).containsExactlyInAnyOrder(
                "not valid JSON (line 1, column 8)",
                "unknown category RIOT (expected one of DISPUTE, SAFETY_HAZARD, PUBLIC_ORDER, GATHERING, LABOR, PETITION_LEAD, ENVIRONMENT, SPECIAL_POPULATION, OTHER)",
                "gridCode 339901001001999 not in regions (test-regions.geojson)");
        assertThat(deadTopic.received()).hasSize(3);
        assertThat(eventIndex.received()).allSatisfy(e -> assertThat(e.toString()).doesNotContain("13700001111", "赵大勇"));
    }
}
