package org.fenghuo.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.model.GeoPoint;
import org.fenghuo.core.region.Region;
import org.fenghuo.core.region.RegionLevel;
import org.fenghuo.simulator.city.DemoCity;
import org.fenghuo.simulator.city.Enterprise;
import org.fenghuo.simulator.city.Identifiers;
import org.fenghuo.simulator.city.Person;
import org.fenghuo.simulator.util.Weighted;

/**
 * Builds valid background records of the four feeds, every field within its schema, with people and
 * enterprises from the city. Not thread-safe: one per record stream.
 */
final class RecordFactory {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long MINUTE = 60_000, DAY = 86_400_000L;

    private static final Weighted<String> GRID_CATEGORY = Weighted.ofPairs(
            "DISPUTE", 12, "SAFETY_HAZARD", 20, "PUBLIC_ORDER", 8, "GATHERING", 0.6, "LABOR", 4, "PETITION_LEAD", 3,
            "ENVIRONMENT", 14, "SPECIAL_POPULATION", 14, "OTHER", 24.4);
    private static final Weighted<Integer> SEVERITY = Weighted.ofPairs(1, 55, 2, 30, 3, 12, 4, 3);
    private static final Weighted<String> GRID_STATUS = Weighted.ofPairs("REPORTED", 55, "IN_PROGRESS", 25, "RESOLVED", 20);
    private static final Weighted<String> CALL_TYPE = Weighted.ofPairs(
            "DISPUTE", 25, "ASSISTANCE", 20, "GATHERING", 1.5, "LABOR", 4, "TRAFFIC", 20, "SAFETY", 9, "NOISE", 12, "OTHER", 8.5);
    private static final Weighted<String> DISPOSITION = Weighted.ofPairs("DISPATCHED", 55, "HANDLED_ON_SITE", 25, "TRANSFERRED", 12, "NO_ACTION", 8);
    private static final Weighted<String> CHANNEL = Weighted.ofPairs("LETTER", 15, "VISIT", 35, "PHONE", 20, "ONLINE", 30);
    private static final Weighted<String> PETITION_ISSUE = Weighted.ofPairs(
            "WAGE_ARREARS", 12, "LABOR_CONTRACT", 6, "SOCIAL_INSURANCE", 6, "LAND_REQUISITION", 7, "DEMOLITION", 8,
            "HOUSING_PROPERTY", 20, "ENVIRONMENT", 8, "LAW_ENFORCEMENT", 9, "MEDICAL", 6, "EDUCATION", 6, "OTHER", 12);
    private static final Weighted<String> RECEIVING_LEVEL = Weighted.ofPairs("STREET", 45, "DISTRICT", 40, "CITY", 12, "PROVINCE", 2.5, "NATIONAL", 0.5);
    private static final Weighted<String> LABOR_KIND = Weighted.ofPairs("COMPLAINT", 35, "INSPECTION", 40, "VIOLATION", 15, "CASE_CLOSED", 10);
    private static final Weighted<String> LABOR_ISSUE = Weighted.ofPairs(
            "WAGE_ARREARS", 30, "SOCIAL_INSURANCE", 20, "OVERTIME", 12, "LABOR_CONTRACT", 18, "CHILD_LABOR", 1, "SAFETY", 10, "OTHER", 9);
    private static final Set<String> EMPLOYER_ISSUES = Set.of("WAGE_ARREARS", "LABOR_CONTRACT", "SOCIAL_INSURANCE");
    private static final List<String> SITES = List.of("夜市", "农贸市场", "建筑工地", "城中村出租屋", "广场", "公交站", "地下车库", "菜场");

    private final DemoCity city;
    private final RecordIds ids;
    private final double badCheckRate;
    private final Weighted<Region> grids;
    private final Map<String, List<Enterprise>> enterprisesByStreet = new HashMap<>();
    private final Map<String, List<Person>> peopleByCommunity = new HashMap<>();
    /** Times of the last two background petitions of each person, so that no background petitioner reaches the repeat rule. */
    private final Map<Person, long[]> petitions = new HashMap<>();
    private final Set<String> reservedPeople = new HashSet<>();
    private boolean badCheckWritten;

    RecordFactory(DemoCity city, RecordIds ids, double badCheckRate) {
        this.city = city;
        this.ids = ids;
        this.badCheckRate = badCheckRate;
        this.grids = city.gridsByActivity();
        for (Enterprise e : city.enterprises()) enterprisesByStreet.computeIfAbsent(RegionLevel.STREET.prefixOf(e.gridCode()), k -> new ArrayList<>()).add(e);
        for (Person p : city.people()) peopleByCommunity.computeIfAbsent(RegionLevel.COMMUNITY.prefixOf(p.homeGridCode()), k -> new ArrayList<>()).add(p);
    }

    DemoCity city() { return city; }

    RecordIds ids() { return ids; }

    /** Keeps a scenario's person out of the background petitions so the scenario's count stays exact. */
    void reservePetitioner(String idNumber) { reservedPeople.add(idNumber); }

    Draft make(Feed feed, long eventMillis, RandomGenerator rnd) {
        return switch (feed) {
            case GRID_REPORT -> gridReport(rnd, eventMillis);
            case LINKAGE_CALL -> linkageCall(rnd, eventMillis);
            case PETITION -> petition(rnd, eventMillis);
            case LABOR_INSPECTION -> laborInspection(rnd, eventMillis);
        };
    }

    Draft gridReport(RandomGenerator rnd, long eventMillis) {
        badCheckWritten = false;
        String id = ids.next(Feed.GRID_REPORT);
        Region grid = grids.pick(rnd);
        String category = GRID_CATEGORY.pick(rnd);
        // reported when it arrives; when the worker also notes when it happened, that was earlier and is the event time
        long reported = Timestamps.toSecond(eventMillis);
        boolean hasOccurred = rnd.nextDouble() < 0.4;
        long occurred = hasOccurred ? reported - (5 + rnd.nextInt(175)) * MINUTE : reported;
        ObjectNode r = MAPPER.createObjectNode();
        r.put("reportId", id);
        r.put("reportedAt", Timestamps.format(reported));
        if (hasOccurred) r.put("occurredAt", Timestamps.format(occurred));
        r.put("gridCode", grid.code());
        r.put("reporterId", city.gridWorkerOf(grid.code()).id());
        r.put("category", category);
        int severity = category.equals("GATHERING") ? 2 + rnd.nextInt(3) : SEVERITY.pick(rnd);
        r.put("severity", severity);
        int people = category.equals("GATHERING") ? 8 + rnd.nextInt(30) : 1 + rnd.nextInt(category.equals("DISPUTE") ? 6 : 3);
        if (rnd.nextDouble() < 0.6) r.put("peopleInvolved", people);
        if (rnd.nextDouble() < 0.85) location(r, city.randomPointIn(grid, rnd));
        String address = city.address(grid.code(), rnd);
        if (rnd.nextDouble() < 0.6) r.put("address", address);
        if (rnd.nextDouble() < 0.9) r.put("description", Texts.grid(category, address, people, rnd));
        if (rnd.nextDouble() < 0.45) subjects(r, category, grid, rnd);
        if (rnd.nextDouble() < 0.8) r.put("status", GRID_STATUS.pick(rnd));
        return new Draft(Feed.GRID_REPORT, id, r, occurred, badCheckWritten);
    }

    private void subjects(ObjectNode r, String category, Region grid, RandomGenerator rnd) {
        switch (category) {
            case "SAFETY_HAZARD", "LABOR", "ENVIRONMENT" -> {
                List<Enterprise> nearby = enterprisesByStreet.getOrDefault(RegionLevel.STREET.prefixOf(grid.code()), List.of());
                if (nearby.isEmpty()) return;
                Enterprise e = nearby.get(rnd.nextInt(nearby.size()));
                r.putArray("subjects").addObject().put("type", "ENTERPRISE").put("creditCode", creditCode(e, rnd)).put("name", e.name());
            }
            case "DISPUTE", "SPECIAL_POPULATION", "PUBLIC_ORDER" -> {
                ArrayNode subjects = r.putArray("subjects");
                int n = category.equals("DISPUTE") ? 2 : 1;
                for (int i = 0; i < n; i++) {
                    person(subjects.addObject().put("type", "PERSON").putObject("person"), neighbour(grid, rnd), 0.7, rnd);
                }
                if (category.equals("PUBLIC_ORDER")) subjects.addObject().put("type", "SITE").put("name", SITES.get(rnd.nextInt(SITES.size())));
            }
            default -> { }
        }
    }

    Draft linkageCall(RandomGenerator rnd, long eventMillis) {
        badCheckWritten = false;
        String id = ids.next(Feed.LINKAGE_CALL);
        long t = Timestamps.toSecond(eventMillis);
        Region grid = grids.pick(rnd);
        String type = CALL_TYPE.pick(rnd);
        ObjectNode r = MAPPER.createObjectNode();
        r.put("callId", id);
        r.put("receivedAt", Timestamps.format(t));
        if (rnd.nextDouble() < 0.95) person(r.putObject("caller"), rnd.nextDouble() < 0.6 ? neighbour(grid, rnd) : anyone(rnd), 0.3, rnd);
        r.put("callType", type);
        r.put("districtCode", RegionLevel.DISTRICT.prefixOf(grid.code()));
        boolean withGrid = rnd.nextDouble() < 0.75;
        if (withGrid) r.put("gridCode", grid.code());
        // a call without a grid always has a location: the dispatcher's map pin
        if (!withGrid || rnd.nextDouble() < 0.85) location(r, city.randomPointIn(grid, rnd));
        String address = city.address(grid.code(), rnd);
        int people = type.equals("GATHERING") ? 10 + rnd.nextInt(40) : 1 + rnd.nextInt(4);
        if (rnd.nextDouble() < 0.8) r.put("address", address);
        if (rnd.nextDouble() < 0.95) r.put("summary", Texts.call(type, address, people, rnd));
        if (rnd.nextDouble() < 0.7) r.put("peopleInvolved", people);
        if (rnd.nextDouble() < 0.6) linkedUnits(r.putArray("linkedUnits"), type, grid, rnd);
        if (rnd.nextDouble() < 0.85) r.put("disposition", DISPOSITION.pick(rnd));
        return new Draft(Feed.LINKAGE_CALL, id, r, t, badCheckWritten);
    }

    private void linkedUnits(ArrayNode units, String type, Region grid, RandomGenerator rnd) {
        String district = city.regions().find(RegionLevel.DISTRICT.prefixOf(grid.code())).orElseThrow().name();
        String street = city.regions().find(RegionLevel.STREET.prefixOf(grid.code())).orElseThrow().name();
        String station = street.substring(0, 2) + "派出所";
        units.add(district.replace("区", "") + "公安分局" + station);
        switch (type) {
            case "LABOR" -> units.add(district + "人力社保局劳动保障监察大队");
            case "SAFETY" -> units.add(district + "消防救援大队");
            case "TRAFFIC" -> units.add("市公安局交警支队" + district.replace("区", "") + "大队");
            case "NOISE", "OTHER" -> units.add(district + "城市管理局");
            case "GATHERING", "DISPUTE" -> units.add(street + "综治中心");
            default -> { }
        }
        if (rnd.nextDouble() < 0.2) units.add(street + "司法所");
    }

    Draft petition(RandomGenerator rnd, long eventMillis) {
        badCheckWritten = false;
        String id = ids.next(Feed.PETITION);
        long t = Timestamps.toSecond(eventMillis);
        Person p = petitioner(t, rnd);
        String issue = PETITION_ISSUE.pick(rnd);
        ObjectNode r = MAPPER.createObjectNode();
        r.put("petitionId", id);
        r.put("receivedAt", Timestamps.format(t));
        r.put("channel", CHANNEL.pick(rnd));
        person(r.putObject("petitioner"), p, 0.85, rnd);
        r.put("petitionerCount", rnd.nextDouble() < 0.88 ? 1 : 2 + rnd.nextInt(3));
        r.put("issueType", issue);
        double level = rnd.nextDouble();
        String region = level < 0.3 ? p.homeGridCode() : level < 0.75 ? RegionLevel.COMMUNITY.prefixOf(p.homeGridCode())
                : RegionLevel.STREET.prefixOf(p.homeGridCode());
        r.put("regionCode", region);
        if (rnd.nextDouble() < 0.3) location(r, city.randomPointIn(city.regions().find(region).orElseThrow(), rnd));
        String org = "";
        if (EMPLOYER_ISSUES.contains(issue) && rnd.nextDouble() < 0.7) {
            Enterprise e = city.enterprises().get(rnd.nextInt(city.enterprises().size()));
            r.putObject("targetOrg").put("creditCode", creditCode(e, rnd)).put("name", e.name());
            org = e.name();
        } else if (issue.equals("LAW_ENFORCEMENT") && rnd.nextDouble() < 0.5) {
            org = city.regions().find(RegionLevel.DISTRICT.prefixOf(p.homeGridCode())).orElseThrow().name() + "城市管理局";
            r.putObject("targetOrg").put("name", org);
        }
        r.put("receivingLevel", RECEIVING_LEVEL.pick(rnd));
        if (rnd.nextDouble() < 0.6) r.put("isRepeat", petitions.get(p)[1] != 0);
        if (rnd.nextDouble() < 0.9) r.put("summary", Texts.petition(issue, org.isEmpty() ? "单位" : org, rnd));
        return new Draft(Feed.PETITION, id, r, t, badCheckWritten);
    }

    /** A person with fewer than two petitions in the last 30 days, so background petitions never make a repeat petitioner. */
    private Person petitioner(long t, RandomGenerator rnd) {
        for (int attempt = 0; ; attempt++) {
            Person p = anyone(rnd);
            if (reservedPeople.contains(p.idNumber())) continue;
            long[] last = petitions.computeIfAbsent(p, k -> new long[2]);
            boolean busy = last[1] != 0 && t - last[1] < 31 * DAY;
            if (busy && attempt < 100) continue;
            last[1] = last[0];
            last[0] = t;
            return p;
        }
    }

    Draft laborInspection(RandomGenerator rnd, long eventMillis) {
        badCheckWritten = false;
        String id = ids.next(Feed.LABOR_INSPECTION);
        long t = Timestamps.toSecond(eventMillis);
        Enterprise e = city.enterprises().get(rnd.nextInt(city.enterprises().size()));
        String kind = LABOR_KIND.pick(rnd);
        String issue = LABOR_ISSUE.pick(rnd);
        ObjectNode r = MAPPER.createObjectNode();
        r.put("recordId", id);
        r.put("recordedAt", Timestamps.format(t));
        r.put("kind", kind);
        enterprise(r.putObject("enterprise"), e, rnd);
        r.put("issue", issue);
        int workers = 1 + (int) Math.min(19, Math.floor(Math.abs(rnd.nextGaussian()) * 5));
        workers = Math.min(workers, e.headcount());
        boolean complaintLike = kind.equals("COMPLAINT") || kind.equals("VIOLATION");
        if (complaintLike && rnd.nextDouble() < 0.85) r.put("workersAffected", workers);
        if (issue.equals("WAGE_ARREARS") && rnd.nextDouble() < 0.9) r.put("amountOwedCny", workers * (30 + rnd.nextInt(120)) * 100L);
        if (kind.equals("COMPLAINT") && rnd.nextDouble() < 0.8) person(r.putObject("complainant"), anyone(rnd), 0.7, rnd);
        if (rnd.nextDouble() < 0.9) r.put("summary", Texts.labor(issue, e.name(), workers, rnd));
        return new Draft(Feed.LABOR_INSPECTION, id, r, t, badCheckWritten);
    }

    void enterprise(ObjectNode node, Enterprise e, RandomGenerator rnd) {
        node.put("creditCode", creditCode(e, rnd));
        if (rnd.nextDouble() < 0.9) node.put("name", e.name());
        if (rnd.nextDouble() < 0.8) node.put("gridCode", e.gridCode());
        if (rnd.nextDouble() < 0.7) node.put("address", e.address());
        if (rnd.nextDouble() < 0.6) location(node, e.location());
    }

    /** Name and phone always, the identity number with probability {@code idShare}. */
    void person(ObjectNode node, Person p, double idShare, RandomGenerator rnd) {
        if (rnd.nextDouble() < idShare) {
            String id = p.idNumber();
            if (rnd.nextDouble() < badCheckRate) {
                id = Identifiers.withBadIdentityCheck(id, rnd);
                badCheckWritten = true;
            }
            node.put("idNumber", id);
        }
        node.put("name", p.name());
        node.put("phone", p.phone());
    }

    String creditCode(Enterprise e, RandomGenerator rnd) {
        if (rnd.nextDouble() < badCheckRate) {
            badCheckWritten = true;
            return Identifiers.withBadCreditCheck(e.creditCode(), rnd);
        }
        return e.creditCode();
    }

    static void location(ObjectNode node, GeoPoint p) {
        node.putObject("location").put("lat", p.lat()).put("lon", p.lon());
    }

    private Person neighbour(Region grid, RandomGenerator rnd) {
        List<Person> local = peopleByCommunity.get(RegionLevel.COMMUNITY.prefixOf(grid.code()));
        return local == null || local.isEmpty() ? anyone(rnd) : local.get(rnd.nextInt(local.size()));
    }

    private Person anyone(RandomGenerator rnd) {
        return city.people().get(rnd.nextInt(city.people().size()));
    }
}
