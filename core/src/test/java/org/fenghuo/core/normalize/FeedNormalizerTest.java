package org.fenghuo.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.json.Json;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.privacy.PersonKeyer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FeedNormalizerTest {
    private static FeedNormalizer normalizer;
    private static final PersonKeyer KEYER = new PersonKeyer(Samples.SECRET);
    private static final String PERSON_KEY = KEYER.byIdentityNumber(Samples.ID_NUMBER);

    @BeforeAll
    static void setUp() {
        normalizer = Samples.normalizer();
    }

    private static NormalizedEvent accept(Feed feed, ObjectNode json) {
        IngestResult r = normalizer.normalize(Samples.raw(feed, json), Samples.NOW);
        assertThat(r).isInstanceOf(IngestResult.Accepted.class);
        return ((IngestResult.Accepted) r).event();
    }

    @ParameterizedTest
    @EnumSource(Feed.class)
    void noRawPersonalDataInTheEventDocument(Feed feed) {
        String doc = new String(Json.toBytes(accept(feed, Samples.of(feed))), StandardCharsets.UTF_8);
        assertThat(doc).doesNotContain(Samples.ID_NUMBER, Samples.PHONE, Samples.NAME);
        assertThat(doc).contains(PERSON_KEY, "\"李**\"", "139****5678", "339901********123");
    }

    @Test
    void gridReport() {
        NormalizedEvent e = accept(Feed.GRID_REPORT, Samples.gridReport());
        assertThat(e.eventId()).isEqualTo("grid-report:GR-1");
        assertThat(e.feed()).isEqualTo("grid-report");
        assertThat(e.occurredAt().toString()).isEqualTo("2026-03-05T09:30+08:00");
        assertThat(e.region()).isEqualTo(new EventRegion("339901", "339901001", "339901001001", "339901001001001"));
        assertThat(e.category()).isEqualTo("DISPUTE");
        assertThat(e.severity()).isEqualTo(2);
        assertThat(e.peopleCount()).isEqualTo(4);
        assertThat(e.entities()).containsExactly(PERSON_KEY, "REG:339901001001001");
        assertThat(e.details().reporterId()).isEqualTo("GW-001");
        assertThat(e.summary()).isEqualTo("李**与邻居因噪音纠纷, 电话139****5678");
        assertThat(e.title()).isEqualTo("[网格] 矛盾纠纷 · 第1网格");
        assertThat(e.persons()).singleElement().satisfies(p -> {
            assertThat(p.role()).isEqualTo("SUBJECT");
            assertThat(p.verified()).isTrue();
        });
    }

    @Test
    void gridReportOccurredAtWinsAndMissingLocationFallsBackToTheGridCentre() {
        ObjectNode j = Samples.gridReport().put("occurredAt", "2026-03-05T08:00:00+08:00");
        j.remove("location");
        NormalizedEvent e = accept(Feed.GRID_REPORT, j);
        assertThat(e.occurredAt().toString()).isEqualTo("2026-03-05T08:00+08:00");
        assertThat(e.location().lat()).isCloseTo(30.005, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(e.location().lon()).isCloseTo(120.005, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(e.flags()).contains(FeedNormalizer.FLAG_LOCATION_FROM_REGION);
    }

    @Test
    void linkageCallWithoutGridIsPlacedInItsGridByLocation() {
        NormalizedEvent e = accept(Feed.LINKAGE_CALL, Samples.linkageCall());
        assertThat(e.eventId()).isEqualTo("linkage-call:C-1");
        assertThat(e.region().grid()).isEqualTo("339901001001002");
        assertThat(e.flags()).contains(FeedNormalizer.FLAG_GRID_FROM_LOCATION);
        assertThat(e.category()).isEqualTo("GATHERING");
        assertThat(e.severity()).isEqualTo(4); // gathering of 30 people
        assertThat(e.persons().get(0).role()).isEqualTo("CALLER");
    }

    @Test
    void linkageCallLocatedOutsideItsDistrictKeepsOnlyTheDistrict() {
        ObjectNode j = Samples.linkageCall();
        ((ObjectNode) j.get("location")).put("lon", 119.99);
        NormalizedEvent e = accept(Feed.LINKAGE_CALL, j);
        assertThat(e.region()).isEqualTo(new EventRegion("339901", null, null, null));
        assertThat(e.flags()).contains(FeedNormalizer.FLAG_LOCATION_OUTSIDE_REGION);
        assertThat(e.entities()).contains("REG:339901");
    }

    @Test
    void callWhoseGridLiesInAnotherDistrictIsKeptWithAFlag() {
        ObjectNode j = Samples.linkageCall().put("gridCode", "339902001001001");
        j.remove("location");
        NormalizedEvent e = accept(Feed.LINKAGE_CALL, j);
        assertThat(e.region().district()).isEqualTo("339902");
        assertThat(e.flags()).contains(FeedNormalizer.FLAG_GRID_OUTSIDE_DISTRICT);
    }

    @Test
    void fullWidthDigitsAreNormalisedKeyedAndMaskedEverywhere() {
        ObjectNode j = Samples.petition();
        ((ObjectNode) j.get("petitioner")).remove("idNumber");
        ((ObjectNode) j.get("petitioner")).put("phone", "１３９１２３４５６７８");
        j.put("summary", "联系电话１３９１２３４５６７８, 另一号码 (0755) 8888 6666, 身份证 339901 1980 0101 1234");
        NormalizedEvent e = accept(Feed.PETITION, j);
        assertThat(e.persons().get(0).key()).isEqualTo(KEYER.byPhone(Samples.PHONE));
        assertThat(e.persons().get(0).phone()).isEqualTo("139****5678");
        assertThat(e.summary()).doesNotContain("12345678", "１３９", "8888 6666", "88886666", "1980 0101").contains("139****5678");
    }

    @Test
    void petition() {
        NormalizedEvent e = accept(Feed.PETITION, Samples.petition());
        assertThat(e.region()).isEqualTo(new EventRegion("339901", "339901001", "339901001001", null));
        assertThat(e.category()).isEqualTo("WAGE_ARREARS");
        assertThat(e.subcategory()).isEqualTo("VISIT");
        assertThat(e.peopleCount()).isEqualTo(12);
        assertThat(e.severity()).isEqualTo(3);
        assertThat(e.details().receivingLevel()).isEqualTo("CITY");
        assertThat(e.details().isRepeat()).isTrue();
        assertThat(e.entities()).containsExactly(PERSON_KEY, "ENT:" + Samples.CREDIT_CODE, "REG:339901001001");
        assertThat(e.title()).isEqualTo("[信访] 拖欠工资 · 集体访 12 人 · 市级来访 · 桂花社区");
    }

    @Test
    void laborInspection() {
        NormalizedEvent e = accept(Feed.LABOR_INSPECTION, Samples.laborInspection());
        assertThat(e.region().grid()).isEqualTo("339901001001002");
        assertThat(e.category()).isEqualTo("WAGE_ARREARS");
        assertThat(e.subcategory()).isEqualTo("COMPLAINT");
        assertThat(e.severity()).isEqualTo(4); // 45 workers: 重特大
        assertThat(e.details().amountOwedCny()).isEqualTo(820000.5);
        assertThat(e.enterprises()).singleElement().satisfies(ent -> {
            assertThat(ent.key()).isEqualTo("ENT:" + Samples.CREDIT_CODE);
            assertThat(ent.verified()).isTrue();
        });
        assertThat(e.persons().get(0).role()).isEqualTo("COMPLAINANT");
    }

    @Test
    void badIdentityCheckDigitIsKeptFlaggedAndLinkedByPhoneInstead() {
        ObjectNode j = Samples.petition();
        ((ObjectNode) j.get("petitioner")).put("idNumber", Samples.BAD_ID_NUMBER);
        NormalizedEvent e = accept(Feed.PETITION, j);
        assertThat(e.flags()).contains(FeedNormalizer.FLAG_UNVERIFIED_ID);
        assertThat(e.persons().get(0).verified()).isFalse();
        assertThat(e.persons().get(0).key()).isEqualTo(KEYER.byPhone(Samples.PHONE));
        assertThat(e.entities()).doesNotContain(KEYER.byIdentityNumber(Samples.BAD_ID_NUMBER));
    }

    @Test
    void badCreditCodeIsKeptFlaggedAndNotLinked() {
        ObjectNode j = Samples.laborInspection();
        String bad = Samples.CREDIT_CODE.substring(0, 17) + (Samples.CREDIT_CODE.charAt(17) == '0' ? '1' : '0');
        ((ObjectNode) j.get("enterprise")).put("creditCode", bad);
        NormalizedEvent e = accept(Feed.LABOR_INSPECTION, j);
        assertThat(e.flags()).contains(FeedNormalizer.FLAG_UNVERIFIED_CREDIT_CODE);
        assertThat(e.enterprises().get(0).key()).isNull();
        assertThat(e.enterprises().get(0).creditCode()).isEqualTo(bad);
        assertThat(e.entities()).noneMatch(k -> k.startsWith("ENT:"));
    }

    @Test
    void eventRoundTripsThroughJson() {
        NormalizedEvent e = accept(Feed.PETITION, Samples.petition());
        assertThat(Json.fromBytes(Json.toBytes(e), NormalizedEvent.class)).isEqualTo(e);
    }
}
