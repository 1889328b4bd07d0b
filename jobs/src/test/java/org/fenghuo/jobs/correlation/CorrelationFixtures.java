package org.fenghuo.jobs.correlation;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.ids.CheckDigits;
import org.fenghuo.core.model.EnterpriseRef;
import org.fenghuo.core.model.EventDetails;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.GeoPoint;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.model.PersonRef;
import org.fenghuo.core.normalize.FeedNormalizer;
import org.fenghuo.core.normalize.Labels;
import org.fenghuo.core.privacy.Masking;
import org.fenghuo.core.privacy.PersonKeyer;
import org.fenghuo.core.rules.RuleSet;
import org.fenghuo.core.rules.RuleUpdate;
import org.fenghuo.core.rules.RulesFile;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;

/**
 * Shared test data and plumbing for the correlation job's operators:
 *
 * <ul>
 *   <li>builders of {@link NormalizedEvent}s as the ingest normaliser makes them, one per feed
 *       ({@link #gridReport}, {@link #linkageCall}, {@link #petition}, {@link #laborInspection}): event id
 *       {@code feed:recordId}, region levels derived from one code, {@code ENT:} keys of valid credit codes,
 *       {@code PER:} keyed hashes, masked display values, entities;</li>
 *   <li>{@link #open} / {@link #router}: operator test harnesses for a detector or the router;</li>
 *   <li>{@link Flow}: router → detectors as in {@link CorrelationTopology} (threshold, place clusters, near matcher →
 *       correlation; further detectors can be {@linkplain Flow#attach attached} to a side output), driven by explicit
 *       watermarks.</li>
 * </ul>
 *
 * Geography (no region file: region names are the codes): the enterprise site {@link #SITE} lies in {@link #GRID} of
 * {@link #COMMUNITY} (street {@link #STREET}, district {@link #DISTRICT}); {@link #OTHER_COMMUNITY} /
 * {@link #OTHER_GRID} are a neighbouring community; {@link #COMMUNITY_CENTRE} is about 2 km from the site.
 */
final class CorrelationFixtures {
    private CorrelationFixtures() {}

    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    /** 2026-03-05T09:00+08:00, a Thursday morning. */
    static final long T0 = OffsetDateTime.parse("2026-03-05T09:00:00+08:00").toInstant().toEpochMilli();
    static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    static final String DISTRICT = "339901";
    static final String STREET = "339901001";
    static final String COMMUNITY = "339901001001";
    static final String GRID = "339901001001001";
    static final String GRID_2 = "339901001001002";
    static final String OTHER_COMMUNITY = "339901001002";
    static final String OTHER_GRID = "339901001002001";

    /** The enterprise's premises, in {@link #GRID}. */
    static final GeoPoint SITE = new GeoPoint(30.27410, 120.15510);
    /** Where a record that names only the community is placed (the region's centre): about 2.1 km from the site. */
    static final GeoPoint COMMUNITY_CENTRE = offset(SITE, -1500, -1500);

    /** Allowed lateness of the detectors in these tests (the job's default is 1 day). */
    static final Duration LATENESS = Duration.ofHours(1);

    private static RuleSet defaults;

    /** {@link RulesFile#defaults()}, read once. */
    static synchronized RuleSet defaultRules() {
        if (defaults == null) defaults = RulesFile.defaults();
        return defaults;
    }

    /** The default rules file's rule {@code id}, compiled. */
    static CompiledRule defaultRule(String id) {
        CompiledRule rule = new RuleBroadcast(defaultRules()).initial().get(id);
        if (rule == null) throw new IllegalArgumentException("no default rule " + id);
        return rule;
    }

    // ---- geography and identities -----------------------------------------------------------------------------

    /** A point {@code north} and {@code east} metres from {@code p} (negative: south / west). */
    static GeoPoint offset(GeoPoint p, double north, double east) {
        double metresPerDegree = 6_371_008.8 * Math.PI / 180;
        return new GeoPoint(p.lat() + north / metresPerDegree,
                p.lon() + east / (metresPerDegree * Math.cos(Math.toRadians(p.lat()))));
    }

    /** The four levels of a 6/9/12/15-digit code (null: unknown). */
    static EventRegion regionOf(String code) {
        if (code == null) return EventRegion.UNKNOWN;
        if (!code.matches("[0-9]{6}([0-9]{3}){0,3}")) throw new IllegalArgumentException("not a region code: " + code);
        int n = code.length();
        return new EventRegion(code.substring(0, 6), n >= 9 ? code.substring(0, 9) : null,
                n >= 12 ? code.substring(0, 12) : null, n >= 15 ? code : null);
    }

    /** A valid unified social credit code (GB 32100 check character), different for each {@code n}. */
    static String creditCode(int n) {
        String first17 = String.format("91339901MA%07d", n);
        return first17 + CheckDigits.creditCheckChar(first17);
    }

    /** {@code ENT:} key of {@link #creditCode(int)}. */
    static String enterpriseKey(int n) {
        return "ENT:" + creditCode(n);
    }

    /** A valid identity number (GB 11643 check character) for a person of these tests. */
    static String identityNumber(String who) {
        long h = Math.floorMod(java.util.UUID.nameUUIDFromBytes(who.getBytes(StandardCharsets.UTF_8)).getMostSignificantBits(), 10_000_000L);
        String birth = java.time.LocalDate.of(1960, 1, 1).plusDays(h / 1000).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
        String first17 = DISTRICT + birth + String.format("%03d", h % 1000);
        return first17 + CheckDigits.identityCheckChar(first17);
    }

    private static final PersonKeyer KEYER = new PersonKeyer("fenghuo-test-secret-0123456789".getBytes(StandardCharsets.UTF_8));

    /** {@code PER:} key of a person of these tests (keyed hash of their identity number, as ingest makes it). */
    static synchronized String personKey(String who) {
        return KEYER.byIdentityNumber(identityNumber(who));
    }

    /** A person as ingest stores them: masked display values and the keyed hash. */
    static PersonRef person(String role, String who) {
        String phone = "138" + identityNumber(who).substring(9, 17);
        return new PersonRef(role, personKey(who), Masking.name(who), Masking.phone(phone),
                Masking.identityNumber(identityNumber(who)), true);
    }

    // ---- events ---------------------------------------------------------------------------------------------------

    /** A grid worker's report: DISPUTE, severity 2, in {@link #GRID} at {@link #SITE}, at {@link #T0}. */
    static EventBuilder gridReport(String recordId) {
        EventBuilder b = new EventBuilder(Feed.GRID_REPORT, recordId);
        b.category = "DISPUTE";
        b.severity = 2;
        b.region(GRID).location(SITE);
        b.status = "REPORTED";
        b.reporterId = "GW-0001";
        return b;
    }

    /** A 110 call: GATHERING, 20 people, in {@link #GRID} at {@link #SITE}, at {@link #T0}, no caller. */
    static EventBuilder linkageCall(String recordId) {
        EventBuilder b = new EventBuilder(Feed.LINKAGE_CALL, recordId);
        b.category = "GATHERING";
        b.people(20);
        b.region(GRID).location(SITE);
        b.disposition = "DISPATCHED";
        return b;
    }

    /**
     * A petition: issue WAGE_ARREARS, one petitioner (a different person for each record id: set {@link
     * EventBuilder#petitioner} to repeat one), visit received at DISTRICT level, the matter arose in
     * {@link #COMMUNITY} (so, like ingest without a point, located at {@link #COMMUNITY_CENTRE}), at {@link #T0}, no
     * target organisation.
     */
    static EventBuilder petition(String recordId) {
        EventBuilder b = new EventBuilder(Feed.PETITION, recordId);
        b.category = "WAGE_ARREARS";
        b.channel = "VISIT";
        b.receivingLevel = "DISTRICT";
        b.region(COMMUNITY).location(COMMUNITY_CENTRE).flag(FeedNormalizer.FLAG_LOCATION_FROM_REGION);
        b.petitioners(1);
        b.petitioner("王" + recordId);
        return b;
    }

    /**
     * A labour-inspection record: COMPLAINT about WAGE_ARREARS at enterprise {@link #creditCode(int) 1}
     * ("东方建筑工程有限公司") in {@link #GRID} at {@link #SITE}, 12 workers, 180,000 CNY owed, at {@link #T0}.
     */
    static EventBuilder laborInspection(String recordId) {
        EventBuilder b = new EventBuilder(Feed.LABOR_INSPECTION, recordId);
        b.category = "WAGE_ARREARS";
        b.kind = "COMPLAINT";
        b.enterprise(1, "东方建筑工程有限公司");
        b.region(GRID).location(SITE);
        b.workers(12);
        b.owed(180_000.0);
        return b;
    }

    /** Builds one {@link NormalizedEvent}; every setter returns the builder. */
    static final class EventBuilder {
        private final Feed feed;
        private final String recordId;
        private long at = T0;
        private int partition;
        private EventRegion region = EventRegion.UNKNOWN;
        private GeoPoint location;
        private String category;
        private int severity = 1;
        private Integer peopleCount;
        private String title;
        private final List<PersonRef> persons = new ArrayList<>();
        private final List<EnterpriseRef> enterprises = new ArrayList<>();
        private final Set<String> flags = new LinkedHashSet<>();
        private String channel, kind, receivingLevel, disposition, status, reporterId;
        private Integer petitionerCount, workersAffected;
        private Double amountOwedCny;
        private Boolean isRepeat;

        private EventBuilder(Feed feed, String recordId) {
            this.feed = feed;
            this.recordId = recordId;
        }

        /** Event time in epoch milliseconds. */
        EventBuilder at(long epochMillis) { this.at = epochMillis; return this; }

        /** The feed topic partition the ingest read it from. */
        EventBuilder partition(int p) { this.partition = p; return this; }

        EventBuilder category(String c) { this.category = c; return this; }

        EventBuilder severity(int s) { this.severity = s; return this; }

        EventBuilder people(Integer n) { this.peopleCount = n; return this; }

        EventBuilder title(String t) { this.title = t; return this; }

        /** The region by its most specific code (6, 9, 12 or 15 digits); null: unknown. */
        EventBuilder region(String code) { this.region = regionOf(code); return this; }

        EventBuilder location(GeoPoint p) { this.location = p; return this; }

        EventBuilder noLocation() { this.location = null; return this; }

        EventBuilder flag(String f) { this.flags.add(f); return this; }

        /** A 110 call logged with its district only and a point (no gridCode): the point alone places it. */
        EventBuilder districtOnly(GeoPoint p) {
            this.region = regionOf(region.district() != null ? region.district() : DISTRICT);
            this.location = p;
            this.flags.add(FeedNormalizer.FLAG_LOCATION_OUTSIDE_REGION);
            return this;
        }

        /** The lead petitioner (replaces the default one). */
        EventBuilder petitioner(String who) {
            persons.removeIf(p -> "PETITIONER".equals(p.role()));
            persons.add(person("PETITIONER", who));
            return this;
        }

        EventBuilder caller(String who) { persons.add(person("CALLER", who)); return this; }

        EventBuilder complainant(String who) { persons.add(person("COMPLAINANT", who)); return this; }

        /** petitionerCount (and peopleCount, as ingest sets it). */
        EventBuilder petitioners(int n) { this.petitionerCount = n; this.peopleCount = n; return this; }

        EventBuilder receivingLevel(String level) { this.receivingLevel = level; return this; }

        EventBuilder channel(String c) { this.channel = c; return this; }

        EventBuilder repeat(Boolean r) { this.isRepeat = r; return this; }

        EventBuilder kind(String k) { this.kind = k; return this; }

        /** The enterprise with the valid credit code {@link #creditCode(int) n} (replaces any other). */
        EventBuilder enterprise(int n, String name) {
            enterprises.clear();
            enterprises.add(new EnterpriseRef(enterpriseKey(n), creditCode(n), name, true));
            return this;
        }

        /** An enterprise whose credit code has a wrong check character: kept, flagged, never linked. */
        EventBuilder unverifiedEnterprise(int n, String name) {
            String good = creditCode(n);
            char wrong = good.charAt(17) == '0' ? '1' : '0';
            enterprises.clear();
            enterprises.add(new EnterpriseRef(null, good.substring(0, 17) + wrong, name, false));
            flags.add(FeedNormalizer.FLAG_UNVERIFIED_CREDIT_CODE);
            return this;
        }

        EventBuilder noEnterprise() { enterprises.clear(); return this; }

        /** details.workersAffected (and peopleCount, as ingest sets it for labour records). */
        EventBuilder workers(Integer n) { this.workersAffected = n; this.peopleCount = n; return this; }

        EventBuilder owed(Double cny) { this.amountOwedCny = cny; return this; }

        NormalizedEvent build() {
            Set<String> entities = new LinkedHashSet<>();
            for (PersonRef p : persons) if (p.key() != null) entities.add(p.key());
            for (EnterpriseRef e : enterprises) if (e.key() != null) entities.add(e.key());
            if (region.mostSpecific() != null) entities.add("REG:" + region.mostSpecific());
            EventDetails details = new EventDetails(channel, kind, receivingLevel, disposition, status, reporterId, null,
                    petitionerCount, workersAffected, amountOwedCny, isRepeat);
            String where = region.mostSpecific() == null ? "区域未知" : region.mostSpecific();
            String t = title != null ? title : switch (feed) {
                case GRID_REPORT -> "[网格] " + Labels.category(category) + " · " + where;
                case LINKAGE_CALL -> "[110] " + Labels.category(category) + " · " + where;
                case PETITION -> "[信访] " + Labels.category(category)
                        + (petitionerCount != null && petitionerCount >= 5 ? " · 集体访 " + petitionerCount + " 人" : "")
                        + " · " + Labels.receivingLevel(receivingLevel) + Labels.channel(channel) + " · " + where;
                case LABOR_INSPECTION -> "[劳动监察] " + Labels.laborKind(kind) + " · " + Labels.category(category)
                        + (enterprises.isEmpty() ? "" : " · " + enterprises.get(0).name())
                        + (workersAffected != null ? " · " + workersAffected + " 人" : "");
            };
            return new NormalizedEvent(feed.eventId(recordId), feed.id(), recordId, feed.topic(), partition,
                    OffsetDateTime.ofInstant(Instant.ofEpochMilli(at), CHINA), Instant.ofEpochMilli(at + MINUTE), region,
                    location, category, feed == Feed.PETITION ? channel : feed == Feed.LABOR_INSPECTION ? kind : null,
                    severity, peopleCount, List.copyOf(entities), t, null, null, List.copyOf(persons),
                    List.copyOf(enterprises), details, List.copyOf(flags));
        }
    }

    // ---- harnesses ------------------------------------------------------------------------------------------------

    /** An opened harness for a detector (or the near matcher), keyed by {@link RuleInput#partitionKey()}. */
    static <O> KeyedBroadcastOperatorTestHarness<String, RuleInput, String, O> open(
            KeyedBroadcastProcessFunction<String, RuleInput, String, O> function) throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(function, RuleInput::partitionKey,
                Types.STRING, RuleBroadcast.DESCRIPTOR);
    }

    /**
     * A detector in its keyed broadcast operator, opened (from {@code restore} when given), with the rules input at the
     * end of time: as in production, it never holds back event time.
     */
    static org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness<String, RuleInput, String, Detection> detector(
            RuleDetector fn, org.apache.flink.runtime.checkpoint.OperatorSubtaskState restore) throws Exception {
        return detector(fn, restore, null);
    }

    /** As {@link #detector(RuleDetector, org.apache.flink.runtime.checkpoint.OperatorSubtaskState)}, on the given state backend. */
    static org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness<String, RuleInput, String, Detection> detector(
            RuleDetector fn, org.apache.flink.runtime.checkpoint.OperatorSubtaskState restore,
            org.apache.flink.runtime.state.StateBackend backend) throws Exception {
        var h = new org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness<String, RuleInput, String, Detection>(
                new org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator<>(fn, List.of(RuleBroadcast.DESCRIPTOR)),
                RuleInput::partitionKey, null, Types.STRING);
        if (backend != null) h.setStateBackend(backend);
        if (restore != null) h.initializeState(restore);
        h.open();
        h.processWatermark2(new org.apache.flink.streaming.api.watermark.Watermark(Long.MAX_VALUE));
        return h;
    }

    /** An opened router harness, as subtask {@code subtask} of {@code parallelism}. */
    static BroadcastOperatorTestHarness<NormalizedEvent, RuleUpdate, RuleInput> router(
            RouteEventsToRules router, int parallelism, int subtask) throws Exception {
        BroadcastOperatorTestHarness<NormalizedEvent, RuleUpdate, RuleInput> h = new BroadcastOperatorTestHarness<>(
                new CoBroadcastWithNonKeyedOperator<>(router, List.of(RuleBroadcast.DESCRIPTOR)), 128, parallelism, subtask);
        h.open();
        return h;
    }

    /** Keyed state entries of a harness on the heap backend (all states, all keys). */
    static int keyedStateEntries(AbstractStreamOperatorTestHarness<?> harness) {
        KeyedStateBackend<?> backend = harness.getOperator().getKeyedStateBackend();
        return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    /** The side outputs of the router that carry rule inputs. */
    static final List<OutputTag<RuleInput>> INPUT_TAGS = List.of(RouteEventsToRules.BASELINE, RouteEventsToRules.CORRELATION,
            RouteEventsToRules.NEARBY, RouteEventsToRules.PLACES, RouteEventsToRules.RISK);

    /** Removes and returns what the router emitted so far, by tag ({@code null}: the main output, threshold inputs). */
    static Map<OutputTag<RuleInput>, List<RuleInput>> drain(BroadcastOperatorTestHarness<NormalizedEvent, RuleUpdate, RuleInput> router) {
        Map<OutputTag<RuleInput>, List<RuleInput>> out = new LinkedHashMap<>();
        List<RuleInput> main = new ArrayList<>();
        Object o;
        while ((o = router.getOutput().poll()) != null) {
            if (o instanceof StreamRecord<?> r) main.add((RuleInput) r.getValue());
        }
        out.put(null, main);
        for (OutputTag<RuleInput> tag : INPUT_TAGS) out.put(tag, pollAll(router.getSideOutput(tag)));
        return out;
    }

    static <X> List<X> pollAll(Queue<StreamRecord<X>> queue) {
        List<X> out = new ArrayList<>();
        if (queue == null) return out;
        StreamRecord<X> r;
        while ((r = queue.poll()) != null) out.add(r.getValue());
        return out;
    }

    /** Every rule input one event gives under {@code rules} (all outputs of a fresh router, in tag order). */
    static List<RuleInput> route(RuleSet rules, NormalizedEvent e) throws Exception {
        try (BroadcastOperatorTestHarness<NormalizedEvent, RuleUpdate, RuleInput> h = router(new RouteEventsToRules(rules, null), 1, 0)) {
            h.processElement(e, e.occurredAtMillis());
            List<RuleInput> all = new ArrayList<>();
            drain(h).values().forEach(all::addAll);
            return all;
        }
    }

    /**
     * The one {@link RuleInput#EVENT} input of {@code ruleId} that {@code e} gives under the default rules (fails if not
     * exactly one; near-step and location inputs of the near matcher are not counted).
     */
    static RuleInput input(String ruleId, NormalizedEvent e) throws Exception {
        List<RuleInput> l = route(defaultRules(), e).stream()
                .filter(i -> i.ruleId().equals(ruleId) && i.role() == RuleInput.EVENT).toList();
        if (l.size() != 1) throw new AssertionError("expected one input of " + ruleId + " from " + e.eventId() + ", got " + l);
        return l.get(0);
    }

    /** Evidence ids ({@code feed:recordId}) of a detection, in its order. */
    static List<String> evidenceIds(Detection d) {
        return d.evidence().stream().map(org.fenghuo.core.alert.Evidence::eventId).toList();
    }

    // ---- the pipeline -----------------------------------------------------------------------------------------------

    /**
     * The correlation job's detectors behind one router, as {@link CorrelationTopology} wires them (without the alert
     * episodes): threshold on the main output, place clusters on PLACES, near matcher on NEARBY feeding the correlation
     * detector together with CORRELATION; BASELINE and RISK inputs are kept in {@link #routed} unless a detector is
     * {@linkplain #attach attached}. Rule updates go to the router; the rule set it publishes is broadcast to every
     * detector. Events are routed with their event time as timestamp; {@link #watermark} advances every operator.
     */
    static final class Flow implements AutoCloseable {
        final BroadcastOperatorTestHarness<NormalizedEvent, RuleUpdate, RuleInput> router;
        final ThresholdDetector thresholdDetector;
        final PlaceClusterDetector placeDetector;
        final NearbySubjectMatcher nearbyMatcher;
        final CorrelationDetector correlationDetector;
        final KeyedBroadcastOperatorTestHarness<String, RuleInput, String, Detection> threshold;
        final KeyedBroadcastOperatorTestHarness<String, RuleInput, String, Detection> places;
        final KeyedBroadcastOperatorTestHarness<String, RuleInput, String, RuleInput> nearby;
        final KeyedBroadcastOperatorTestHarness<String, RuleInput, String, Detection> correlation;
        /** every rule input the router emitted, by tag (null: main output) */
        final Map<OutputTag<RuleInput>, List<RuleInput>> routed = new LinkedHashMap<>();
        /** what the near matcher sent on to the correlation detector */
        final List<RuleInput> matched = new ArrayList<>();
        /** STATUS answers of the router */
        final List<RuleUpdate> statuses = new ArrayList<>();
        private final Map<OutputTag<RuleInput>, List<KeyedBroadcastOperatorTestHarness<String, RuleInput, String, Detection>>> attached = new LinkedHashMap<>();
        private final List<KeyedBroadcastOperatorTestHarness<String, RuleInput, String, ?>> all = new ArrayList<>();
        private long watermark = Long.MIN_VALUE;

        /** The default rules, {@link #LATENESS}. */
        Flow() throws Exception {
            this(defaultRules(), LATENESS);
        }

        Flow(RuleSet rules, Duration lateness) throws Exception {
            router = router(new RouteEventsToRules(rules, null), 1, 0);
            thresholdDetector = new ThresholdDetector(rules, null, lateness);
            placeDetector = new PlaceClusterDetector(rules, null, lateness);
            nearbyMatcher = new NearbySubjectMatcher(rules, lateness);
            correlationDetector = new CorrelationDetector(rules, null, lateness);
            threshold = keep(open(thresholdDetector));
            places = keep(open(placeDetector));
            nearby = keep(open(nearbyMatcher));
            correlation = keep(open(correlationDetector));
            routed.put(null, new ArrayList<>());
            for (OutputTag<RuleInput> tag : INPUT_TAGS) routed.put(tag, new ArrayList<>());
        }

        private <O> KeyedBroadcastOperatorTestHarness<String, RuleInput, String, O> keep(KeyedBroadcastOperatorTestHarness<String, RuleInput, String, O> h) {
            all.add(h);
            return h;
        }

        /**
         * Feeds the router's {@code tag} output (e.g. {@link RouteEventsToRules#BASELINE}, {@link RouteEventsToRules#RISK})
         * to another detector; returns its opened harness.
         */
        KeyedBroadcastOperatorTestHarness<String, RuleInput, String, Detection> attach(
                OutputTag<RuleInput> tag, KeyedBroadcastProcessFunction<String, RuleInput, String, Detection> detector) throws Exception {
            KeyedBroadcastOperatorTestHarness<String, RuleInput, String, Detection> h = keep(open(detector));
            if (watermark != Long.MIN_VALUE) h.watermark(watermark);
            attached.computeIfAbsent(tag, t -> new ArrayList<>()).add(h);
            return h;
        }

        /** Routes each event (timestamp = its event time) and delivers what the router emits to the detectors. */
        Flow send(NormalizedEvent... events) throws Exception {
            for (NormalizedEvent e : events) {
                router.processElement(e, e.occurredAtMillis());
                deliver();
            }
            return this;
        }

        Flow send(List<NormalizedEvent> events) throws Exception {
            return send(events.toArray(NormalizedEvent[]::new));
        }

        /**
         * Sends the events, then advances event time to the newest of them (as a source without out-of-orderness
         * would); event time never goes back.
         */
        Flow sendAndAdvance(NormalizedEvent... events) throws Exception {
            send(events);
            long newest = Long.MIN_VALUE;
            for (NormalizedEvent e : events) newest = Math.max(newest, e.occurredAtMillis());
            return watermark(newest);
        }

        /** The current watermark (Long.MIN_VALUE before the first). */
        long currentWatermark() { return watermark; }

        /**
         * Advances event time of the router and every detector (both inputs) to {@code t}, firing due timers; a
         * {@code t} at or below the current watermark changes nothing.
         */
        Flow watermark(long t) throws Exception {
            if (t <= watermark) return this;
            watermark = t;
            router.processWatermark(t);
            router.processBroadcastWatermark(t);
            deliver();
            nearby.watermark(t);
            forwardMatches();
            for (KeyedBroadcastOperatorTestHarness<String, RuleInput, String, ?> h : all) if (h != nearby) h.watermark(t);
            return this;
        }

        /** Sends a rule update to the router and publishes the resulting rules; returns the STATUS answer (or null). */
        RuleUpdate update(RuleUpdate u) throws Exception {
            router.processBroadcastElement(u, watermark == Long.MIN_VALUE ? 0 : watermark);
            List<RuleUpdate> answers = pollAll(router.getSideOutput(RouteEventsToRules.STATUS));
            statuses.addAll(answers);
            for (String json : pollAll(router.getSideOutput(RouteEventsToRules.RULES))) {
                for (KeyedBroadcastOperatorTestHarness<String, RuleInput, String, ?> h : all) h.processBroadcastElement(json, 0);
            }
            return answers.isEmpty() ? null : answers.get(answers.size() - 1);
        }

        private void deliver() throws Exception {
            Map<OutputTag<RuleInput>, List<RuleInput>> out = drain(router);
            for (Map.Entry<OutputTag<RuleInput>, List<RuleInput>> e : out.entrySet()) {
                routed.get(e.getKey()).addAll(e.getValue());
                for (RuleInput in : e.getValue()) {
                    if (e.getKey() == null) threshold.processElement(in, in.time());
                    else if (e.getKey() == RouteEventsToRules.PLACES) places.processElement(in, in.time());
                    else if (e.getKey() == RouteEventsToRules.NEARBY) nearby.processElement(in, in.time());
                    else if (e.getKey() == RouteEventsToRules.CORRELATION) correlation.processElement(in, in.time());
                    for (var h : attached.getOrDefault(e.getKey(), List.of())) h.processElement(in, in.time());
                }
                if (e.getKey() == RouteEventsToRules.NEARBY) forwardMatches();
            }
        }

        private void forwardMatches() throws Exception {
            Object o;
            while ((o = nearby.getOutput().poll()) != null) {
                if (o instanceof StreamRecord<?> r) {
                    RuleInput in = (RuleInput) r.getValue();
                    matched.add(in);
                    correlation.processElement(in, in.time());
                }
            }
        }

        /** The rule inputs the router emitted for one rule (all outputs). */
        List<RuleInput> routedFor(String ruleId) {
            List<RuleInput> out = new ArrayList<>();
            for (List<RuleInput> l : routed.values()) for (RuleInput i : l) if (i.ruleId().equals(ruleId)) out.add(i);
            return out;
        }

        List<Detection> thresholdDetections() { return threshold.extractOutputValues(); }

        List<Detection> placeDetections() { return places.extractOutputValues(); }

        List<Detection> correlationDetections() { return correlation.extractOutputValues(); }

        /** Detections of one rule from every detector, in the order each detector emitted them. */
        List<Detection> detections(String ruleId) {
            List<Detection> out = new ArrayList<>();
            for (KeyedBroadcastOperatorTestHarness<String, RuleInput, String, ?> h : all) {
                if (h == nearby) continue;
                for (Object o : h.extractOutputValues()) {
                    Detection d = (Detection) o;
                    if (d.ruleId().equals(ruleId)) out.add(d);
                }
            }
            return out;
        }

        /** The last detection of a rule, or null. */
        Detection last(String ruleId) {
            List<Detection> l = detections(ruleId);
            return l.isEmpty() ? null : l.get(l.size() - 1);
        }

        @Override
        public void close() throws Exception {
            for (KeyedBroadcastOperatorTestHarness<String, RuleInput, String, ?> h : all) h.close();
            router.close();
        }
    }
}
