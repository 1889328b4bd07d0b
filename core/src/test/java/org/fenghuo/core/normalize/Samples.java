package org.fenghuo.core.normalize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.ids.CheckDigits;
import org.fenghuo.core.json.Json;
import org.fenghuo.core.model.RawFeedRecord;
import org.fenghuo.core.privacy.PersonKeyer;
import org.fenghuo.core.region.RegionHierarchy;

/** Valid records of each feed against the test region file, to be broken one field at a time by the tests. */
final class Samples {
    static final Instant NOW = Instant.parse("2026-03-05T02:00:00Z");
    static final String GRID = "339901001001001";
    static final String ID_NUMBER = "33990119800101123" + CheckDigits.identityCheckChar("33990119800101123");
    static final String BAD_ID_NUMBER = "33990119800101123" + (CheckDigits.identityCheckChar("33990119800101123") == '0' ? '1' : '0');
    static final String CREDIT_CODE = "91339901MA2B3C4D5" + CheckDigits.creditCheckChar("91339901MA2B3C4D5");
    static final String PHONE = "13912345678";
    static final String NAME = "李建国";
    static final byte[] SECRET = "test-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final AtomicLong OFFSET = new AtomicLong();

    static RegionHierarchy regions() {
        try {
            return RegionHierarchy.load(Path.of(Samples.class.getResource("/org/fenghuo/core/test-regions.geojson").toURI()));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static FeedNormalizer normalizer() {
        return new FeedNormalizer(regions(), new PersonKeyer(SECRET));
    }

    static ObjectNode person() {
        ObjectNode p = Json.mapper().createObjectNode();
        p.put("idNumber", ID_NUMBER).put("name", NAME).put("phone", PHONE);
        return p;
    }

    static ObjectNode gridReport() {
        ObjectNode j = Json.mapper().createObjectNode();
        j.put("reportId", "GR-1").put("reportedAt", "2026-03-05T09:30:00+08:00").put("gridCode", GRID)
                .put("reporterId", "GW-001").put("category", "DISPUTE").put("severity", 2).put("peopleInvolved", 4)
                .put("description", NAME + "与邻居因噪音纠纷, 电话" + PHONE);
        j.putObject("location").put("lat", 30.005).put("lon", 120.005);
        ObjectNode subject = j.putArray("subjects").addObject();
        subject.put("type", "PERSON").set("person", person());
        return j;
    }

    static ObjectNode linkageCall() {
        ObjectNode j = Json.mapper().createObjectNode();
        j.put("callId", "C-1").put("receivedAt", "2026-03-05T10:00:00+08:00").put("callType", "GATHERING")
                .put("districtCode", "339901").put("peopleInvolved", 30).put("summary", "工厂门口聚集");
        j.putObject("location").put("lat", 30.005).put("lon", 120.015);
        j.set("caller", person());
        return j;
    }

    static ObjectNode petition() {
        ObjectNode j = Json.mapper().createObjectNode();
        j.put("petitionId", "P-1").put("receivedAt", "2026-03-05T11:00:00+08:00").put("channel", "VISIT")
                .put("petitionerCount", 12).put("issueType", "WAGE_ARREARS").put("regionCode", "339901001001")
                .put("receivingLevel", "CITY").put("isRepeat", true);
        j.set("petitioner", person());
        j.putObject("targetOrg").put("creditCode", CREDIT_CODE).put("name", "东湖精密机械有限公司");
        return j;
    }

    static ObjectNode laborInspection() {
        ObjectNode j = Json.mapper().createObjectNode();
        j.put("recordId", "L-1").put("recordedAt", "2026-03-04T15:00:00+08:00").put("kind", "COMPLAINT")
                .put("issue", "WAGE_ARREARS").put("workersAffected", 45).put("amountOwedCny", 820000.5);
        ObjectNode e = j.putObject("enterprise");
        e.put("creditCode", CREDIT_CODE).put("name", "东湖精密机械有限公司").put("gridCode", "339901001001002");
        j.set("complainant", person());
        return j;
    }

    static ObjectNode of(Feed feed) {
        return switch (feed) {
            case GRID_REPORT -> gridReport();
            case LINKAGE_CALL -> linkageCall();
            case PETITION -> petition();
            case LABOR_INSPECTION -> laborInspection();
        };
    }

    static RawFeedRecord raw(Feed feed, Object json) {
        byte[] bytes = json instanceof byte[] b ? b : json instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : Json.toBytes(json);
        return new RawFeedRecord(feed.topic(), 0, OFFSET.incrementAndGet(), null, bytes, NOW.toEpochMilli());
    }
}
