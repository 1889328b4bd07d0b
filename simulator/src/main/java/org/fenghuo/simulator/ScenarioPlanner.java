package org.fenghuo.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.model.GeoPoint;
import org.fenghuo.core.region.Region;
import org.fenghuo.core.region.RegionLevel;
import org.fenghuo.simulator.city.DemoCity;
import org.fenghuo.simulator.city.Enterprise;
import org.fenghuo.simulator.city.Person;

/**
 * Plans the scripted scenarios: picks their enterprise, people and places, and builds their records. Uses its own
 * random stream, so switching scenarios on or off leaves the background records unchanged. Scenario records always
 * carry valid check digits: they must link.
 */
final class ScenarioPlanner {
    private static final long MINUTE = 60_000;

    private final DemoCity city;
    private final RecordFactory factory;
    private final RecordIds ids;
    private final SplittableRandom rnd;
    private final SimulatorConfig config;
    private final List<Scenario> scenarios = new ArrayList<>();
    private final List<SimRecord> records = new ArrayList<>();
    private final Set<String> usedCommunities = new HashSet<>();
    private List<Scenario.ScenarioRecord> current;
    private ScenarioType currentType;

    ScenarioPlanner(RecordFactory factory, SimulatorConfig config) {
        this.city = factory.city();
        this.factory = factory;
        this.ids = factory.ids();
        this.config = config;
        this.rnd = new SplittableRandom(config.seed() ^ 0x5CE7A110L);
    }

    List<Scenario> scenarios() { return List.copyOf(scenarios); }

    List<SimRecord> records() {
        return records.stream().sorted(Comparator.comparingLong(SimRecord::arrivalMillis)).toList();
    }

    ScenarioPlanner planAll() {
        Enterprise wage = wageArrears();
        collectivePetition();
        repeatPetitioner();
        disputeHotspot();
        gatheringCluster(wage);
        baselineSurge(wage);
        return this;
    }

    private long at(ScenarioType type) {
        return Timestamps.toSecond(config.start().toEpochMilli() + config.scenarioOffset(type).toMillis());
    }

    private Enterprise wageArrears() {
        ScenarioType type = begin(ScenarioType.WAGE_ARREARS_ESCALATION);
        List<Enterprise> big = city.enterprises().stream().filter(e -> e.headcount() >= 80).toList();
        Enterprise e = big.isEmpty() ? city.enterprises().get(0) : big.get(rnd.nextInt(big.size()));
        Person worker = resident(RegionLevel.DISTRICT.prefixOf(e.gridCode()));
        factory.reservePetitioner(worker.idNumber());
        long t0 = at(type);
        int workers = 46;
        long owed = 868_000;

        ObjectNode complaint = RecordFactory.MAPPER.createObjectNode();
        String id = ids.scenario(type, 1);
        complaint.put("recordId", id).put("recordedAt", Timestamps.format(t0)).put("kind", "COMPLAINT");
        enterprise(complaint.putObject("enterprise"), e);
        complaint.put("issue", "WAGE_ARREARS").put("workersAffected", workers).put("amountOwedCny", owed);
        person(complaint.putObject("complainant"), worker);
        complaint.put("summary", "职工代表投诉" + e.name() + "拖欠" + workers + "名职工三个月工资,共计约86.8万元。");
        add(Feed.LABOR_INSPECTION, id, complaint, t0);

        long t1 = t0 + 15 * MINUTE;
        ObjectNode violation = RecordFactory.MAPPER.createObjectNode();
        id = ids.scenario(type, 2);
        violation.put("recordId", id).put("recordedAt", Timestamps.format(t1)).put("kind", "VIOLATION");
        enterprise(violation.putObject("enterprise"), e);
        violation.put("issue", "WAGE_ARREARS").put("workersAffected", workers).put("amountOwedCny", owed)
                .put("summary", "经查," + e.name() + "拖欠" + workers + "名职工工资86.8万元,已责令限期支付。");
        add(Feed.LABOR_INSPECTION, id, violation, t1);

        long t2 = t0 + 30 * MINUTE;
        ObjectNode petition = RecordFactory.MAPPER.createObjectNode();
        id = ids.scenario(type, 3);
        petition.put("petitionId", id).put("receivedAt", Timestamps.format(t2)).put("channel", "VISIT");
        person(petition.putObject("petitioner"), worker);
        petition.put("petitionerCount", 3).put("issueType", "WAGE_ARREARS").put("regionCode", e.gridCode());
        RecordFactory.location(petition, e.location());
        petition.putObject("targetOrg").put("creditCode", e.creditCode()).put("name", e.name());
        petition.put("receivingLevel", "DISTRICT").put("isRepeat", false)
                .put("summary", "反映" + e.name() + "拖欠工资,要求尽快支付。");
        add(Feed.PETITION, id, petition, t2);

        long t3 = t0 + 50 * MINUTE;
        GeoPoint near = offset(e.location(), 150, 120);
        Region nearGrid = city.regions().gridAt(near).orElseGet(() -> city.regions().find(e.gridCode()).orElseThrow());
        if (!nearGrid.contains(near)) near = e.location();
        ObjectNode call = RecordFactory.MAPPER.createObjectNode();
        id = ids.scenario(type, 4);
        call.put("callId", id).put("receivedAt", Timestamps.format(t3));
        person(call.putObject("caller"), resident(RegionLevel.DISTRICT.prefixOf(e.gridCode())));
        call.put("callType", "GATHERING").put("districtCode", RegionLevel.DISTRICT.prefixOf(nearGrid.code()))
                .put("gridCode", nearGrid.code());
        RecordFactory.location(call, near);
        call.put("address", e.address()).put("summary", "报警人称" + e.name() + "门口约40名工人聚集讨薪,情绪激动。")
                .put("peopleInvolved", 40).put("disposition", "DISPATCHED");
        call.putArray("linkedUnits").add("辖区派出所").add("人力社保局劳动保障监察大队");
        add(Feed.LINKAGE_CALL, id, call, t3);

        long t4 = t0 + 60 * MINUTE;
        Region grid = city.regions().find(e.gridCode()).orElseThrow();
        ObjectNode report = RecordFactory.MAPPER.createObjectNode();
        id = ids.scenario(type, 5);
        report.put("reportId", id).put("reportedAt", Timestamps.format(t4)).put("gridCode", grid.code())
                .put("reporterId", city.gridWorkerOf(grid.code()).id()).put("category", "GATHERING").put("severity", 4)
                .put("peopleInvolved", 45);
        RecordFactory.location(report, city.randomPointIn(grid, rnd));
        report.put("address", e.address()).put("description", e.name() + "约45名工人聚集讨要欠薪,已上报街道并联系劳动监察。");
        report.putArray("subjects").addObject().put("type", "ENTERPRISE").put("creditCode", e.creditCode()).put("name", e.name());
        report.put("status", "IN_PROGRESS");
        add(Feed.GRID_REPORT, id, report, t4);

        end("Wage arrears at " + e.name() + ": labour complaint and violation (" + workers + " workers, " + owed
                + " CNY), a petition naming it, a 110 GATHERING call within 1 km and a grid GATHERING report in its grid, within 72 h",
                "ENT:" + e.creditCode(), null, e.gridCode());
        return e;
    }

    private void collectivePetition() {
        ScenarioType type = begin(ScenarioType.COLLECTIVE_PETITION);
        Region community = freshCommunity();
        Person lead = resident(community.code());
        factory.reservePetitioner(lead.idNumber());
        long t = at(type);
        ObjectNode p = RecordFactory.MAPPER.createObjectNode();
        String id = ids.scenario(type, 1);
        p.put("petitionId", id).put("receivedAt", Timestamps.format(t)).put("channel", "VISIT");
        person(p.putObject("petitioner"), lead);
        p.put("petitionerCount", 60).put("issueType", "DEMOLITION").put("regionCode", community.code());
        RecordFactory.location(p, city.randomPointIn(community, rnd));
        p.put("receivingLevel", "DISTRICT").put("isRepeat", false)
                .put("summary", community.name() + "60名居民集体来访,反映旧城改造安置房迟迟未交付。");
        add(Feed.PETITION, id, p, t);
        end("A collective visit of 60 petitioners from " + community.name(), "REG:" + community.code(), lead.idNumber(), community.code());
    }

    private void repeatPetitioner() {
        ScenarioType type = begin(ScenarioType.REPEAT_PETITIONER);
        Region community = freshCommunity();
        Person person = resident(community.code());
        factory.reservePetitioner(person.idNumber());
        String[] levels = {"STREET", "DISTRICT", "CITY"};
        String[] channels = {"VISIT", "PHONE", "VISIT"};
        for (int k = 0; k < 3; k++) {
            long t = at(type) + k * 40 * MINUTE;
            ObjectNode p = RecordFactory.MAPPER.createObjectNode();
            String id = ids.scenario(type, k + 1);
            p.put("petitionId", id).put("receivedAt", Timestamps.format(t)).put("channel", channels[k]);
            person(p.putObject("petitioner"), person);
            p.put("petitionerCount", 1).put("issueType", "HOUSING_PROPERTY").put("regionCode", community.code())
                    .put("receivingLevel", levels[k]).put("isRepeat", k > 0)
                    .put("summary", k == 0 ? "反映所购商品房逾期交付,开发商拒不赔偿。" : "再次反映商品房逾期交付问题,对答复不满意。");
            add(Feed.PETITION, id, p, t);
        }
        end("The same person petitions three times (STREET, DISTRICT, then CITY: 越级)", null, person.idNumber(), community.code());
    }

    private void disputeHotspot() {
        ScenarioType type = begin(ScenarioType.DISPUTE_HOTSPOT);
        Region community = freshCommunity();
        List<Region> grids = city.regions().children(community.code());
        for (int k = 0; k < 12; k++) {
            long t = at(type) + k * 8 * MINUTE;
            Region grid = grids.get(rnd.nextInt(grids.size()));
            ObjectNode r = RecordFactory.MAPPER.createObjectNode();
            String id = ids.scenario(type, k + 1);
            String address = city.address(grid.code(), rnd);
            r.put("reportId", id).put("reportedAt", Timestamps.format(t)).put("gridCode", grid.code())
                    .put("reporterId", city.gridWorkerOf(grid.code()).id()).put("category", "DISPUTE")
                    .put("severity", 2 + rnd.nextInt(2)).put("peopleInvolved", 2 + rnd.nextInt(6));
            RecordFactory.location(r, city.randomPointIn(grid, rnd));
            r.put("address", address).put("description", address + "因小区停车位分配引发业主纠纷,多户居民争执。");
            var subjects = r.putArray("subjects");
            person(subjects.addObject().put("type", "PERSON").putObject("person"), resident(community.code()));
            person(subjects.addObject().put("type", "PERSON").putObject("person"), resident(community.code()));
            r.put("status", "REPORTED");
            add(Feed.GRID_REPORT, id, r, t);
        }
        end("12 grid DISPUTE reports in " + community.name() + " within 24 h", "REG:" + community.code(), null, community.code());
    }

    private void gatheringCluster(Enterprise wage) {
        ScenarioType type = begin(ScenarioType.GATHERING_CLUSTER);
        Region community;
        GeoPoint centre;
        do {
            community = freshCommunity();
            centre = city.randomPointIn(community, rnd);
        } while (centre.distanceMetres(wage.location()) < 3000);
        for (int k = 0; k < 4; k++) {
            long t = at(type) + k * 12 * MINUTE;
            GeoPoint p = offset(centre, rnd.nextDouble() * 400 - 200, rnd.nextDouble() * 400 - 200);
            Region grid = city.regions().gridAt(p).orElse(null);
            if (grid == null) {
                p = centre;
                grid = city.regions().gridAt(p).orElseThrow();
            }
            ObjectNode r = RecordFactory.MAPPER.createObjectNode();
            String id = ids.scenario(type, k + 1);
            r.put("callId", id).put("receivedAt", Timestamps.format(t));
            person(r.putObject("caller"), resident(community.code()));
            r.put("callType", "GATHERING").put("districtCode", RegionLevel.DISTRICT.prefixOf(grid.code()));
            if (k != 2) r.put("gridCode", grid.code());
            RecordFactory.location(r, p);
            int people = 20 + rnd.nextInt(40);
            r.put("summary", "报警人称" + community.name() + "附近有约" + people + "人聚集,阻塞道路。").put("peopleInvolved", people)
                    .put("disposition", "DISPATCHED");
            add(Feed.LINKAGE_CALL, id, r, t);
        }
        end("Four 110 GATHERING calls within 400 m and 36 minutes near " + community.name(), "REG:" + community.code(), null, community.code());
    }

    private void baselineSurge(Enterprise wage) {
        ScenarioType type = begin(ScenarioType.BASELINE_SURGE);
        // a quiet community, so its usual ENVIRONMENT count is well under one a day
        List<Region> quiet = city.communities().stream()
                .filter(c -> !usedCommunities.contains(c.code()) && !wage.gridCode().startsWith(c.code()))
                .sorted(Comparator.comparingDouble(c -> city.regions().children(c.code()).stream()
                        .mapToDouble(g -> city.activityWeight(g.code())).sum()))
                .limit(100).toList();
        Region community = quiet.get(rnd.nextInt(quiet.size()));
        usedCommunities.add(community.code());
        long start = at(type);
        long span = 15 * 210_000L;
        // keep all sixteen on one local day, because the rule counts per day
        LocalDate first = Instant.ofEpochMilli(start).atOffset(Timestamps.CHINA).toLocalDate();
        LocalDate last = Instant.ofEpochMilli(start + span).atOffset(Timestamps.CHINA).toLocalDate();
        if (!first.equals(last)) start = last.atStartOfDay(Timestamps.CHINA).toInstant().toEpochMilli() + 5 * MINUTE;
        List<Region> grids = city.regions().children(community.code());
        for (int k = 0; k < 16; k++) {
            long t = start + k * 210_000L;
            Region grid = grids.get(rnd.nextInt(grids.size()));
            ObjectNode r = RecordFactory.MAPPER.createObjectNode();
            String id = ids.scenario(type, k + 1);
            String address = city.address(grid.code(), rnd);
            r.put("reportId", id).put("reportedAt", Timestamps.format(t)).put("gridCode", grid.code())
                    .put("reporterId", city.gridWorkerOf(grid.code()).id()).put("category", "ENVIRONMENT")
                    .put("severity", 2).put("peopleInvolved", 1 + rnd.nextInt(3));
            RecordFactory.location(r, city.randomPointIn(grid, rnd));
            r.put("address", address).put("description", address + "居民反映空气中有刺鼻化学气味,疑似附近偷排。").put("status", "REPORTED");
            add(Feed.GRID_REPORT, id, r, t);
        }
        end("16 grid ENVIRONMENT reports in one day in " + community.name() + ", a community that usually has under one",
                "REG:" + community.code(), null, community.code());
    }

    private ScenarioType begin(ScenarioType type) {
        currentType = type;
        current = new ArrayList<>();
        return type;
    }

    private void end(String description, String subjectKey, String subjectIdNumber, String regionCode) {
        scenarios.add(new Scenario(currentType, currentType.ruleId(), currentType.expectedLevel(), description,
                subjectKey, subjectIdNumber, regionCode, current));
    }

    private void add(Feed feed, String id, ObjectNode json, long eventMillis) {
        records.add(new SimRecord(feed, id, Malformer.bytes(json), eventMillis, eventMillis, SimRecord.Kind.VALID,
                null, false, false, currentType));
        current.add(new Scenario.ScenarioRecord(feed, id, Instant.ofEpochMilli(eventMillis)));
    }

    /** A community no other scenario uses, so that the scenarios do not add up to each other's counts. */
    private Region freshCommunity() {
        List<Region> all = city.communities();
        Region c;
        do {
            c = all.get(rnd.nextInt(all.size()));
        } while (usedCommunities.contains(c.code()));
        usedCommunities.add(c.code());
        return c;
    }

    private Person resident(String regionPrefix) {
        List<Person> people = city.people();
        for (int attempt = 0; attempt < 20_000; attempt++) {
            Person p = people.get(rnd.nextInt(people.size()));
            if (p.homeGridCode().startsWith(regionPrefix)) return p;
        }
        return people.get(rnd.nextInt(people.size()));
    }

    private static void person(ObjectNode node, Person p) {
        node.put("idNumber", p.idNumber()).put("name", p.name()).put("phone", p.phone());
    }

    private static void enterprise(ObjectNode node, Enterprise e) {
        node.put("creditCode", e.creditCode()).put("name", e.name()).put("gridCode", e.gridCode()).put("address", e.address());
        RecordFactory.location(node, e.location());
    }

    /** The point moved north and east by the given metres, rounded to 6 decimals. */
    private static GeoPoint offset(GeoPoint p, double northMetres, double eastMetres) {
        double lat = p.lat() + northMetres / 111_195.0;
        double lon = p.lon() + eastMetres / (111_195.0 * StrictMath.cos(Math.toRadians(p.lat())));
        return new GeoPoint(Math.round(lat * 1e6) / 1e6, Math.round(lon * 1e6) / 1e6);
    }
}
