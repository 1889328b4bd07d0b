package org.fenghuo.core.normalize;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.ids.CheckDigits;
import org.fenghuo.core.json.Json;
import org.fenghuo.core.model.DeadLetter;
import org.fenghuo.core.model.EnterpriseRef;
import org.fenghuo.core.model.EventDetails;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.GeoPoint;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.model.PersonRef;
import org.fenghuo.core.model.RawFeedRecord;
import org.fenghuo.core.privacy.Masking;
import org.fenghuo.core.privacy.PersonKeyer;
import org.fenghuo.core.privacy.TextScrubber;
import org.fenghuo.core.region.Region;
import org.fenghuo.core.region.RegionHierarchy;
import org.fenghuo.core.region.RegionPath;
import org.fenghuo.core.validation.JsonSchemaChecker;
import org.fenghuo.core.validation.Violation;

/**
 * Turns one raw feed record into a normalised, masked event, or into a dead letter with the reason (DESIGN §2–§4).
 * Pure and single-threaded (it holds an HMAC instance): the ingest job keeps one per operator instance.
 */
public final class FeedNormalizer {
    /** A record whose event time is further ahead of the wall clock than this is rejected (DESIGN §2). */
    public static final Duration MAX_FUTURE = Duration.ofDays(1);

    public static final String FLAG_UNVERIFIED_ID = "UNVERIFIED_ID_NUMBER";
    public static final String FLAG_UNVERIFIED_CREDIT_CODE = "UNVERIFIED_CREDIT_CODE";
    public static final String FLAG_GRID_FROM_LOCATION = "GRID_FROM_LOCATION";
    public static final String FLAG_LOCATION_FROM_REGION = "LOCATION_FROM_REGION";
    public static final String FLAG_LOCATION_OUTSIDE_REGION = "LOCATION_OUTSIDE_REGION";
    public static final String FLAG_GRID_OUTSIDE_DISTRICT = "GRID_OUTSIDE_DISTRICT";

    private final RegionHierarchy regions;
    private final PersonKeyer keyer;
    private final String regionFileName;
    private final Map<Feed, JsonSchemaChecker> schemas = new EnumMap<>(Feed.class);

    public FeedNormalizer(RegionHierarchy regions, PersonKeyer keyer) {
        this.regions = regions;
        this.keyer = keyer;
        java.nio.file.Path name = java.nio.file.Path.of(regions.sourceName()).getFileName();
        this.regionFileName = name == null ? regions.sourceName() : name.toString();
        for (Feed feed : Feed.values()) schemas.put(feed, JsonSchemaChecker.forResource(feed.id() + ".schema.json"));
    }

    public IngestResult normalize(RawFeedRecord raw, Instant now) {
        Optional<Feed> feedOpt = Feed.byTopic(raw.topic());
        if (feedOpt.isEmpty()) return reject(raw, null, null, null, "unknown source topic " + raw.topic(), now);
        Feed feed = feedOpt.get();
        if (raw.value() == null || raw.value().length == 0) return reject(raw, feed, null, null, "empty record", now);

        JsonNode json;
        try {
            json = Json.mapper().readTree(raw.value());
        } catch (JsonProcessingException e) {
            // Jackson's message may quote the input, which may hold personal data: report only the position
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            return reject(raw, feed, null, null, "not valid JSON" + where, now);
        } catch (IOException e) {
            return reject(raw, feed, null, null, "not valid JSON", now);
        }
        if (json == null || json.isMissingNode()) return reject(raw, feed, null, null, "empty record", now);
        String recordId = json.isObject() && json.path(feed.idField()).isTextual() ? json.get(feed.idField()).asText() : null;

        Optional<Violation> violation = schemas.get(feed).check(json);
        if (violation.isPresent()) return reject(raw, feed, recordId, violation.get(), now);

        try {
            NormalizedEvent event = switch (feed) {
                case GRID_REPORT -> gridReport(feed, raw, json, now);
                case LINKAGE_CALL -> linkageCall(feed, raw, json, now);
                case PETITION -> petition(feed, raw, json, now);
                case LABOR_INSPECTION -> laborInspection(feed, raw, json, now);
            };
            return new IngestResult.Accepted(event);
        } catch (Rejection r) {
            return reject(raw, feed, recordId, r.violation, now);
        }
    }

    // ---- per feed -------------------------------------------------------------------------------------------

    private NormalizedEvent gridReport(Feed feed, RawFeedRecord raw, JsonNode j, Instant now) {
        OffsetDateTime reportedAt = time(j, "reportedAt", now);
        OffsetDateTime occurredAt = j.hasNonNull("occurredAt") ? time(j, "occurredAt", now) : reportedAt;
        String grid = knownRegion(j, "gridCode");
        Builder b = new Builder(feed, j.get("reportId").asText(), raw, occurredAt, now);
        b.region(regions.pathOf(grid));
        b.locate(point(j.get("location")), regions.find(grid));
        String category = j.get("category").asText();
        b.category = category;
        b.severity = j.get("severity").asInt();
        b.peopleCount = intOrNull(j, "peopleInvolved");
        for (JsonNode s : iterable(j.get("subjects"))) {
            switch (s.get("type").asText()) {
                case "ENTERPRISE" -> b.enterprise(s.path("creditCode").asText(null), text(s, "name"));
                case "PERSON" -> b.person("SUBJECT", s.get("person"));
                default -> { /* SITE: a named place inside the grid; the grid is its key */ }
            }
        }
        b.details = new EventDetails(null, null, null, null, text(j, "status"), j.get("reporterId").asText(), null, null, null, null, null);
        b.title = "[网格] " + Labels.category(category) + " · " + regionName(grid);
        b.freeText(text(j, "description"), text(j, "address"));
        return b.build();
    }

    private NormalizedEvent linkageCall(Feed feed, RawFeedRecord raw, JsonNode j, Instant now) {
        OffsetDateTime at = time(j, "receivedAt", now);
        String district = knownRegion(j, "districtCode");
        Builder b = new Builder(feed, j.get("callId").asText(), raw, at, now);
        GeoPoint location = point(j.get("location"));
        if (j.hasNonNull("gridCode")) {
            String grid = knownRegion(j, "gridCode");
            // calls near a district boundary are often logged by the neighbouring district: the grid is where it happened
            if (!grid.startsWith(district)) b.flags.add(FLAG_GRID_OUTSIDE_DISTRICT);
            b.region(regions.pathOf(grid));
            b.locate(location, regions.find(grid));
        } else {
            b.region(regions.pathOf(district));
            b.locateWithin(location, district);
        }
        String type = j.get("callType").asText();
        b.category = type;
        b.peopleCount = intOrNull(j, "peopleInvolved");
        b.severity = callSeverity(type, b.peopleCount);
        b.person("CALLER", j.get("caller"));
        List<String> units = new ArrayList<>();
        for (JsonNode u : iterable(j.get("linkedUnits"))) units.add(u.asText());
        b.details = new EventDetails(null, null, null, text(j, "disposition"), null, null, units.isEmpty() ? null : List.copyOf(units), null, null, null, null);
        b.title = "[110] " + Labels.category(type) + " · " + regionName(b.region.mostSpecific());
        b.freeText(text(j, "summary"), text(j, "address"));
        return b.build();
    }

    private NormalizedEvent petition(Feed feed, RawFeedRecord raw, JsonNode j, Instant now) {
        OffsetDateTime at = time(j, "receivedAt", now);
        String region = knownRegion(j, "regionCode");
        Builder b = new Builder(feed, j.get("petitionId").asText(), raw, at, now);
        b.region(regions.pathOf(region));
        if (region.length() == 15) b.locate(point(j.get("location")), regions.find(region));
        else b.locateWithin(point(j.get("location")), region);
        String issue = j.get("issueType").asText();
        String channel = j.get("channel").asText();
        String level = j.get("receivingLevel").asText();
        int count = j.get("petitionerCount").asInt();
        b.category = issue;
        b.subcategory = channel;
        b.peopleCount = count;
        boolean aboveDistrict = !level.equals("STREET") && !level.equals("DISTRICT");
        b.severity = count >= 50 ? 4 : count >= 5 || aboveDistrict ? 3 : 2;
        b.person("PETITIONER", j.get("petitioner"));
        JsonNode target = j.get("targetOrg");
        if (target != null && target.isObject() && (target.hasNonNull("creditCode") || target.hasNonNull("name"))) {
            b.enterprise(target.path("creditCode").asText(null), text(target, "name"));
        }
        Boolean repeat = j.hasNonNull("isRepeat") ? j.get("isRepeat").asBoolean() : null;
        b.details = new EventDetails(channel, null, level, null, null, null, null, count, null, null, repeat);
        b.title = "[信访] " + Labels.category(issue) + (count >= 5 ? " · 集体访 " + count + " 人" : "")
                + " · " + Labels.receivingLevel(level) + Labels.channel(channel) + " · " + regionName(region);
        b.freeText(text(j, "summary"), null);
        return b.build();
    }

    private NormalizedEvent laborInspection(Feed feed, RawFeedRecord raw, JsonNode j, Instant now) {
        OffsetDateTime at = time(j, "recordedAt", now);
        JsonNode ent = j.get("enterprise");
        Builder b = new Builder(feed, j.get("recordId").asText(), raw, at, now);
        GeoPoint location = point(ent.get("location"));
        if (ent.hasNonNull("gridCode")) {
            String grid = ent.get("gridCode").asText();
            if (!regions.contains(grid)) throw new Rejection("enterprise.gridCode", "enterprise.gridCode " + grid + " not in regions (" + regionFileName + ")");
            b.region(regions.pathOf(grid));
            b.locate(location, regions.find(grid));
        } else if (location != null) {
            b.locateAnywhere(location);
        }
        String issue = j.get("issue").asText();
        String kind = j.get("kind").asText();
        Integer workers = intOrNull(j, "workersAffected");
        Double owed = j.hasNonNull("amountOwedCny") ? j.get("amountOwedCny").asDouble() : null;
        b.category = issue;
        b.subcategory = kind;
        b.peopleCount = workers;
        boolean major = workers != null && workers >= 30 || owed != null && owed >= 500_000;
        b.severity = major ? 4 : issue.equals("WAGE_ARREARS") || issue.equals("CHILD_LABOR") || issue.equals("SAFETY") ? 3 : 2;
        String entName = text(ent, "name");
        b.enterprise(ent.get("creditCode").asText(), entName);
        b.person("COMPLAINANT", j.get("complainant"));
        b.details = new EventDetails(null, kind, null, null, null, null, null, null, workers, owed, null);
        b.title = "[劳动监察] " + Labels.laborKind(kind) + " · " + Labels.category(issue)
                + (entName != null ? " · " + entName : "") + (workers != null ? " · " + workers + " 人" : "");
        b.freeText(text(j, "summary"), text(ent, "address"));
        return b.build();
    }

    private static int callSeverity(String type, Integer people) {
        int base = switch (type) {
            case "GATHERING", "SAFETY" -> 3;
            case "DISPUTE", "LABOR" -> 2;
            default -> 1;
        };
        if (people != null && people >= 10) base++;
        return Math.min(4, base);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** Event times: schema-valid already; here only the 1-day-in-the-future rule. */
    private static OffsetDateTime time(JsonNode j, String field, Instant now) {
        OffsetDateTime t = OffsetDateTime.parse(j.get(field).asText());
        if (t.toInstant().isAfter(now.plus(MAX_FUTURE))) {
            throw new Rejection(field, field + " " + j.get(field).asText() + " is more than 1 day in the future");
        }
        return t;
    }

    private String knownRegion(JsonNode j, String field) {
        String code = j.get(field).asText();
        if (!regions.contains(code)) {
            throw new Rejection(field, field + " " + code + " not in regions (" + regionFileName + ")");
        }
        return code;
    }

    private String regionName(String code) {
        if (code == null) return "区域未知";
        return regions.find(code).map(Region::name).orElse(code);
    }

    private static GeoPoint point(JsonNode n) {
        if (n == null || !n.isObject()) return null;
        return new GeoPoint(n.get("lat").asDouble(), n.get("lon").asDouble());
    }

    private static String nfkc(String s) {
        return s == null ? null : java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFKC).strip();
    }

    private static Integer intOrNull(JsonNode j, String field) {
        return j.hasNonNull(field) ? j.get(field).asInt() : null;
    }

    private static String text(JsonNode j, String field) {
        return j != null && j.hasNonNull(field) ? j.get(field).asText() : null;
    }

    private static Iterable<JsonNode> iterable(JsonNode array) {
        return array == null || !array.isArray() ? List.of() : array;
    }

    private IngestResult reject(RawFeedRecord raw, Feed feed, String recordId, Violation v, Instant now) {
        return reject(raw, feed, recordId, v.field(), v.reason(), now);
    }

    private IngestResult reject(RawFeedRecord raw, Feed feed, String recordId, String field, String reason, Instant now) {
        return new IngestResult.Rejected(DeadLetter.rejected(raw, feed == null ? null : feed.id(), recordId, field, reason, now));
    }

    /** A semantic rejection found while normalising (the record is schema-valid). */
    private static final class Rejection extends RuntimeException {
        final Violation violation;

        Rejection(String field, String reason) {
            super(reason, null, false, false);
            this.violation = new Violation(field, reason);
        }
    }

    /** Accumulates one event; owns the masking, keying and location rules shared by all feeds. */
    private final class Builder {
        final Feed feed;
        final String recordId;
        final RawFeedRecord raw;
        final OffsetDateTime occurredAt;
        final Instant now;
        EventRegion region = EventRegion.UNKNOWN;
        GeoPoint location;
        String category;
        String subcategory;
        int severity = 1;
        Integer peopleCount;
        String title;
        String summary;
        String address;
        EventDetails details = EventDetails.EMPTY;
        final List<PersonRef> persons = new ArrayList<>();
        final List<EnterpriseRef> enterprises = new ArrayList<>();
        final Set<String> entities = new LinkedHashSet<>();
        final Set<String> flags = new LinkedHashSet<>();
        final List<String> rawNames = new ArrayList<>();
        final List<String> rawNumbers = new ArrayList<>();

        Builder(Feed feed, String recordId, RawFeedRecord raw, OffsetDateTime occurredAt, Instant now) {
            this.feed = feed;
            this.recordId = recordId;
            this.raw = raw;
            this.occurredAt = occurredAt;
            this.now = now;
        }

        void region(RegionPath path) {
            region = new EventRegion(path.district(), path.street(), path.community(), path.grid());
        }

        /** The record names its grid: keep its own point if inside the grid, else fall back to the grid's centre. */
        void locate(GeoPoint given, Optional<Region> grid) {
            if (given != null) {
                location = given;
                Optional<Region> actual = regions.gridAt(given);
                if (grid.isPresent() && (actual.isEmpty() || !actual.get().code().equals(grid.get().code()))) {
                    flags.add(FLAG_LOCATION_OUTSIDE_REGION);
                }
            } else if (grid.isPresent()) {
                location = grid.get().centroid();
                flags.add(FLAG_LOCATION_FROM_REGION);
            }
        }

        /** The record names a coarser region: derive the grid from the point when it lies inside that region. */
        void locateWithin(GeoPoint given, String regionCode) {
            if (given != null) {
                location = given;
                Optional<Region> grid = regions.gridAt(given);
                if (grid.isPresent() && grid.get().code().startsWith(regionCode)) {
                    region(regions.pathOf(grid.get().code()));
                    flags.add(FLAG_GRID_FROM_LOCATION);
                } else {
                    flags.add(FLAG_LOCATION_OUTSIDE_REGION);
                }
            } else {
                regions.find(regionCode).ifPresent(r -> {
                    location = r.centroid();
                    flags.add(FLAG_LOCATION_FROM_REGION);
                });
            }
        }

        /** The record names no region at all (an enterprise with only a point). */
        void locateAnywhere(GeoPoint given) {
            location = given;
            regions.gridAt(given).ifPresent(g -> {
                region(regions.pathOf(g.code()));
                flags.add(FLAG_GRID_FROM_LOCATION);
            });
        }

        void person(String role, JsonNode p) {
            if (p == null || !p.isObject()) return;
            // NFKC: full-width digits and letters (１３８…, Ｘ) are common in Chinese input
            String id = nfkc(text(p, "idNumber"));
            String name = nfkc(text(p, "name"));
            String phone = nfkc(text(p, "phone"));
            if (id == null && name == null && phone == null) return;
            boolean verified = id != null && CheckDigits.isValidIdentityNumber(id);
            if (id != null && !verified) flags.add(FLAG_UNVERIFIED_ID);
            String key = null;
            if (verified) key = keyer.byIdentityNumber(CheckDigits.normalizeIdentityNumber(id));
            else if (phone != null && phone.chars().anyMatch(c -> c >= '0' && c <= '9')) key = keyer.byPhone(phone);
            if (key != null) entities.add(key);
            if (name != null) rawNames.add(name);
            if (id != null) rawNumbers.add(id);
            if (phone != null) rawNumbers.add(phone);
            persons.add(new PersonRef(role, key, Masking.name(name), Masking.phone(phone), Masking.identityNumber(id), verified));
        }

        void enterprise(String creditCode, String name) {
            boolean verified = creditCode != null && CheckDigits.isValidCreditCode(creditCode);
            String code = creditCode == null ? null : creditCode.toUpperCase(java.util.Locale.ROOT);
            if (creditCode != null && !verified) flags.add(FLAG_UNVERIFIED_CREDIT_CODE);
            String key = verified ? "ENT:" + code : null;
            if (key != null) entities.add(key);
            enterprises.add(new EnterpriseRef(key, code, name, verified));
        }

        void freeText(String summaryText, String addressText) {
            summary = summaryText;
            address = addressText;
        }

        NormalizedEvent build() {
            String regionCode = region.mostSpecific();
            if (regionCode != null) entities.add("REG:" + regionCode);
            String scrubbedTitle = TextScrubber.scrub(title, rawNames, rawNumbers);
            return new NormalizedEvent(feed.eventId(recordId), feed.id(), recordId, raw.topic(), raw.partition(), occurredAt, now,
                    region, location, category, subcategory, severity, peopleCount, List.copyOf(entities),
                    scrubbedTitle, TextScrubber.scrub(summary, rawNames, rawNumbers), TextScrubber.scrub(address, rawNames, rawNumbers),
                    List.copyOf(persons), List.copyOf(enterprises), details, List.copyOf(flags));
        }
    }
}
