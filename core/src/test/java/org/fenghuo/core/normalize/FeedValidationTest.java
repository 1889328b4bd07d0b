package org.fenghuo.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.model.DeadLetter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every rejection rule of DESIGN §2, with the reason a person reads in the dead letter. */
class FeedValidationTest {
    private static FeedNormalizer normalizer;

    @BeforeAll
    static void setUp() {
        normalizer = Samples.normalizer();
    }

    private static DeadLetter rejected(Feed feed, Object payload) {
        IngestResult r = normalizer.normalize(Samples.raw(feed, payload), Samples.NOW);
        assertThat(r).as("expected a rejection").isInstanceOf(IngestResult.Rejected.class);
        return ((IngestResult.Rejected) r).deadLetter();
    }

    private static DeadLetter rejected(Feed feed, Consumer<ObjectNode> change) {
        ObjectNode j = Samples.of(feed);
        change.accept(j);
        return rejected(feed, j);
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void theValidSampleOfEveryFeedIsAccepted(Feed feed) {
        assertThat(normalizer.normalize(Samples.raw(feed, Samples.of(feed)), Samples.NOW)).isInstanceOf(IngestResult.Accepted.class);
    }

    @Test
    void notJson() {
        DeadLetter d = rejected(Feed.PETITION, "{\"petitionId\": 13812345678 oops");
        assertThat(d.reason()).startsWith("not valid JSON (line 1").doesNotContain("13812345678");
        assertThat(d.original()).isEqualTo("{\"petitionId\": 13812345678 oops".getBytes(StandardCharsets.UTF_8));
        assertThat(d.sourceTopic()).isEqualTo("feed.petitions");
        assertThat(d.deadLetterId()).isEqualTo("feed.petitions/0@" + d.offset());
    }

    @Test
    void emptyAndBinaryRecords() {
        assertThat(rejected(Feed.PETITION, new byte[0]).reason()).isEqualTo("empty record");
        assertThat(rejected(Feed.PETITION, new byte[] {(byte) 0xff, (byte) 0xfe, 0}).reason()).startsWith("not valid JSON");
    }

    @Test
    void notAnObject() {
        assertThat(rejected(Feed.GRID_REPORT, "[1,2,3]").reason()).isEqualTo("record is not a JSON object (got array)");
        assertThat(rejected(Feed.GRID_REPORT, "\"text\"").reason()).isEqualTo("record is not a JSON object (got string)");
    }

    @Test
    void missingRequiredField() {
        DeadLetter d = rejected(Feed.GRID_REPORT, j -> j.remove("reporterId"));
        assertThat(d.reason()).isEqualTo("missing field reporterId");
        assertThat(d.field()).isEqualTo("reporterId");
        assertThat(d.recordId()).isEqualTo("GR-1");
        assertThat(rejected(Feed.LABOR_INSPECTION, j -> ((ObjectNode) j.get("enterprise")).remove("creditCode")).reason())
                .isEqualTo("missing field enterprise.creditCode");
        assertThat(rejected(Feed.PETITION, j -> j.putNull("channel")).reason()).isEqualTo("missing field channel (null)");
    }

    @Test
    void unknownEnumValue() {
        assertThat(rejected(Feed.GRID_REPORT, j -> j.put("category", "RIOT")).reason()).startsWith("unknown category RIOT (expected one of DISPUTE,");
        assertThat(rejected(Feed.LINKAGE_CALL, j -> j.put("callType", "ALIENS")).reason()).startsWith("unknown callType ALIENS");
        assertThat(rejected(Feed.GRID_REPORT, j -> j.withArray("subjects").addObject().put("type", "ROBOT")).reason())
                .startsWith("unknown subjects[1].type ROBOT");
    }

    @Test
    void wrongType() {
        assertThat(rejected(Feed.GRID_REPORT, j -> j.put("severity", "high")).reason()).isEqualTo("wrong type for severity: expected integer, got string");
        assertThat(rejected(Feed.GRID_REPORT, j -> j.put("severity", 2.5)).reason()).isEqualTo("wrong type for severity: expected integer, got number");
        assertThat(rejected(Feed.PETITION, j -> j.put("isRepeat", "yes")).reason()).isEqualTo("wrong type for isRepeat: expected boolean, got string");
        assertThat(rejected(Feed.PETITION, j -> j.put("petitioner", "张三")).reason()).isEqualTo("wrong type for petitioner: expected object, got string");
    }

    @Test
    void numberOutOfRange() {
        assertThat(rejected(Feed.GRID_REPORT, j -> j.put("severity", 7)).reason()).isEqualTo("severity 7 out of range (1..4)");
        assertThat(rejected(Feed.PETITION, j -> j.put("petitionerCount", 0)).reason()).isEqualTo("petitionerCount 0 out of range (1..100000)");
        assertThat(rejected(Feed.LABOR_INSPECTION, j -> j.put("amountOwedCny", -1)).reason()).isEqualTo("amountOwedCny -1 out of range (0..)");
        assertThat(rejected(Feed.LINKAGE_CALL, j -> ((ObjectNode) j.get("location")).put("lat", 91)).reason()).isEqualTo("location.lat 91 out of range (-90..90)");
    }

    @Test
    void stringTooLongWithholdsFreeText() {
        DeadLetter d = rejected(Feed.GRID_REPORT, j -> j.put("description", "很长".repeat(2001)));
        assertThat(d.reason()).isEqualTo("description too long (4002 > 4000 characters)");
        assertThat(rejected(Feed.GRID_REPORT, j -> j.put("reportId", "")).reason()).isEqualTo("reportId is empty");
    }

    @Test
    void patternMismatchQuotesCodesButNeverPersonalData() {
        assertThat(rejected(Feed.GRID_REPORT, j -> j.put("gridCode", "33990100100100")).reason())
                .isEqualTo("gridCode 33990100100100 does not match ^[0-9]{15}$");
        DeadLetter d = rejected(Feed.PETITION, j -> ((ObjectNode) j.get("petitioner")).put("idNumber", "1101051949123100"));
        assertThat(d.reason()).isEqualTo("petitioner.idNumber (value withheld) does not match ^[0-9]{17}[0-9Xx]$");
    }

    @Test
    void badTimestamp() {
        assertThat(rejected(Feed.PETITION, j -> j.put("receivedAt", "2026-03-05 11:00")).reason())
                .isEqualTo("receivedAt 2026-03-05 11:00 is not an ISO-8601 timestamp with offset (e.g. 2026-03-05T09:30:00+08:00)");
        assertThat(rejected(Feed.PETITION, j -> j.put("receivedAt", "2026-03-05T11:00:00")).reason()).contains("not an ISO-8601 timestamp with offset");
    }

    @Test
    void timestampMoreThanOneDayInTheFuture() {
        assertThat(rejected(Feed.PETITION, j -> j.put("receivedAt", "2026-03-06T11:00:00+08:00")).reason())
                .isEqualTo("receivedAt 2026-03-06T11:00:00+08:00 is more than 1 day in the future");
        // 23 h ahead is tolerated (clock skew between systems)
        ObjectNode ok = Samples.petition().put("receivedAt", "2026-03-06T09:00:00+08:00");
        assertThat(normalizer.normalize(Samples.raw(Feed.PETITION, ok), Samples.NOW)).isInstanceOf(IngestResult.Accepted.class);
    }

    @Test
    void regionCodeNotInTheRegionFile() {
        assertThat(rejected(Feed.GRID_REPORT, j -> j.put("gridCode", "339901001001999")).reason())
                .isEqualTo("gridCode 339901001001999 not in regions (test-regions.geojson)");
        assertThat(rejected(Feed.LINKAGE_CALL, j -> j.put("districtCode", "339903")).reason()).startsWith("districtCode 339903 not in regions");
        assertThat(rejected(Feed.PETITION, j -> j.put("regionCode", "339901009")).reason()).startsWith("regionCode 339901009 not in regions");
        assertThat(rejected(Feed.LABOR_INSPECTION, j -> ((ObjectNode) j.get("enterprise")).put("gridCode", "339901001001777")).reason())
                .startsWith("enterprise.gridCode 339901001001777 not in regions");
    }

    @Test
    void nonFiniteNumbersAreRejectedNotCrashed() {
        DeadLetter d = rejected(Feed.LINKAGE_CALL, "{\"callId\":\"C\",\"receivedAt\":\"2026-03-05T10:00:00+08:00\",\"callType\":\"OTHER\","
                + "\"districtCode\":\"339901\",\"location\":{\"lat\":1e400,\"lon\":120}}");
        assertThat(d.reason()).isEqualTo("location.lat is not a finite number");
    }

    @Test
    void aPatternDollarDoesNotAcceptATrailingNewline() {
        assertThat(rejected(Feed.GRID_REPORT, j -> j.put("gridCode", "339901001001001\n")).reason()).contains("does not match ^[0-9]{15}$");
    }

    @Test
    void unknownExtraFieldsAreIgnored() {
        ObjectNode j = Samples.petition();
        j.put("someNewField", "x").putObject("nested").put("a", 1);
        assertThat(normalizer.normalize(Samples.raw(Feed.PETITION, j), Samples.NOW)).isInstanceOf(IngestResult.Accepted.class);
    }

    @Test
    void recordOnAnUnknownTopic() {
        var raw = new org.fenghuo.core.model.RawFeedRecord("feed.other", 0, 1, null, "{}".getBytes(StandardCharsets.UTF_8), 0);
        IngestResult r = normalizer.normalize(raw, Samples.NOW);
        assertThat(((IngestResult.Rejected) r).deadLetter().reason()).isEqualTo("unknown source topic feed.other");
    }

    @Test
    void deadLetterIndexFormNeverCarriesTheOriginal() {
        DeadLetter d = rejected(Feed.PETITION, j -> j.put("channel", "FAX"));
        String indexed = new String(org.fenghuo.core.json.Json.toBytes(d.toIndexDocument()), StandardCharsets.UTF_8);
        assertThat(indexed).doesNotContain(Samples.ID_NUMBER, Samples.PHONE, Samples.NAME).contains("unknown channel FAX");
        String kafka = new String(org.fenghuo.core.json.Json.toBytes(d.toKafkaValue()), StandardCharsets.UTF_8);
        assertThat(kafka).contains("originalBase64", Samples.ID_NUMBER);
    }
}
