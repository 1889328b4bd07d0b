package org.fenghuo.cli;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.fenghuo.core.model.EnterpriseRef;
import org.fenghuo.core.model.EventDetails;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.GeoPoint;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.model.PersonRef;

/**
 * Normalised events for the correlation benchmark, made directly (no feed records, no Kafka): a city of
 * {@code grids} grids (10 districts, 10 streets each, communities of 5 grids) and {@code entities} linkable
 * entities (a quarter enterprises, the rest people), with the four feeds' mix of categories, a few records out of
 * order, and enough repeated entities for every kind of rule to fire. Event {@code i} of a pass is a pure function of
 * the seed and {@code i}, so the second pass ("a month later") is the same load shifted in event time.
 */
final class SyntheticEvents implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
    private static final String[] GRID_CATEGORIES = {"DISPUTE", "SAFETY_HAZARD", "PUBLIC_ORDER", "GATHERING", "LABOR", "PETITION_LEAD",
            "ENVIRONMENT", "SPECIAL_POPULATION", "OTHER"};
    private static final int[] GRID_WEIGHTS = {20, 15, 10, 2, 5, 5, 20, 13, 10};
    private static final String[] CALL_TYPES = {"DISPUTE", "ASSISTANCE", "GATHERING", "LABOR", "TRAFFIC", "SAFETY", "NOISE", "OTHER"};
    private static final int[] CALL_WEIGHTS = {25, 20, 2, 5, 20, 10, 10, 8};
    private static final String[] ISSUES = {"WAGE_ARREARS", "LABOR_CONTRACT", "SOCIAL_INSURANCE", "LAND_REQUISITION", "DEMOLITION",
            "HOUSING_PROPERTY", "ENVIRONMENT", "LAW_ENFORCEMENT", "MEDICAL", "EDUCATION", "OTHER"};
    private static final String[] LABOUR_ISSUES = {"WAGE_ARREARS", "SOCIAL_INSURANCE", "OVERTIME", "LABOR_CONTRACT", "SAFETY", "OTHER"};
    private static final String[] LABOUR_KINDS = {"COMPLAINT", "INSPECTION", "VIOLATION", "CASE_CLOSED"};
    private static final String[] LEVELS = {"STREET", "DISTRICT", "DISTRICT", "DISTRICT", "CITY"};

    private final long seed;
    private final long perPass;
    private final int entities;
    private final int grids;
    private final Instant start;
    private final Duration span;
    private final Duration passGap;
    private transient EventRegion[] regions;

    /**
     * @param perPass  events in one pass
     * @param start    event time of the first pass's first event
     * @param span     event time one pass covers
     * @param passGap  how much later in event time the next pass starts
     */
    SyntheticEvents(long seed, long perPass, int entities, int grids, Instant start, Duration span, Duration passGap) {
        if (grids < 50 || entities < 100) throw new IllegalArgumentException("need at least 50 grids and 100 entities");
        this.seed = seed;
        this.perPass = perPass;
        this.entities = entities;
        this.grids = grids;
        this.start = start;
        this.span = span;
        this.passGap = passGap;
    }

    long perPass() { return perPass; }

    /** Event {@code n} of the whole run: pass {@code n / perPass}, index {@code n % perPass} within it. */
    NormalizedEvent event(long n) {
        int pass = (int) (n / perPass);
        long i = n % perPass;
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
        long t = start.toEpochMilli() + pass * passGap.toMillis() + (long) ((double) i / perPass * span.toMillis());
        if (r.nextInt(100) < 3) t -= r.nextLong(1, Duration.ofMinutes(5).toMillis()); // a few arrive out of order
        int grid = skewed(r, grids);
        EventRegion region = region(grid);
        GeoPoint location = location(grid, r);
        int f = r.nextInt(100);
        String feed;
        String recordId;
        String category;
        String subcategory = null;
        int severity = 1 + r.nextInt(3);
        Integer people = null;
        List<PersonRef> persons = new ArrayList<>(1);
        List<EnterpriseRef> enterprises = new ArrayList<>(1);
        EventDetails details = EventDetails.EMPTY;
        if (f < 45) {
            feed = "grid-report";
            recordId = "GR-B" + pass + "-" + pad(i, 8);
            category = pick(r, GRID_CATEGORIES, GRID_WEIGHTS);
            if (category.equals("GATHERING")) people = 5 + r.nextInt(60);
            if (r.nextInt(100) < 30) persons.add(person("SUBJECT", r));
            if (r.nextInt(100) < 15) enterprises.add(enterprise(r));
        } else if (f < 75) {
            feed = "linkage-call";
            recordId = "JJ-B" + pass + "-" + pad(i, 8);
            category = pick(r, CALL_TYPES, CALL_WEIGHTS);
            if (category.equals("GATHERING")) people = 5 + r.nextInt(60);
            if (r.nextInt(100) < 90) persons.add(person("CALLER", r));
        } else if (f < 90) {
            feed = "petition";
            recordId = "XF-B" + pass + "-" + pad(i, 8);
            category = ISSUES[r.nextInt(ISSUES.length)];
            subcategory = r.nextBoolean() ? "VISIT" : "LETTER";
            int k = r.nextInt(1000);
            int petitioners = k < 900 ? 1 : k < 980 ? 2 + r.nextInt(3) : k < 999 ? 5 + r.nextInt(15) : 50 + r.nextInt(30);
            persons.add(person("PETITIONER", r));
            if (r.nextInt(100) < 40) enterprises.add(enterprise(r));
            details = new EventDetails(subcategory, null, LEVELS[r.nextInt(LEVELS.length)], null, null, null, null, petitioners,
                    null, null, null);
            people = petitioners;
        } else {
            feed = "labor-inspection";
            recordId = "LJ-B" + pass + "-" + pad(i, 8);
            category = LABOUR_ISSUES[r.nextInt(100) < 35 ? 0 : 1 + r.nextInt(LABOUR_ISSUES.length - 1)];
            subcategory = LABOUR_KINDS[r.nextInt(LABOUR_KINDS.length)];
            enterprises.add(enterprise(r));
            if (r.nextInt(100) < 60) persons.add(person("COMPLAINANT", r));
            int workers = 1 + r.nextInt(r.nextInt(100) < 5 ? 80 : 15);
            details = new EventDetails(null, subcategory, null, null, null, null, null, null, workers, workers * 6_000.0, null);
        }
        List<String> keys = new ArrayList<>(4);
        for (PersonRef p : persons) keys.add(p.key());
        for (EnterpriseRef e : enterprises) keys.add(e.key());
        keys.add("REG:" + region.grid());
        OffsetDateTime at = Instant.ofEpochMilli(t).atOffset(CHINA);
        return new NormalizedEvent(feed + ":" + recordId, feed, recordId, "bench", null, at, Instant.ofEpochMilli(t), region, location,
                category, subcategory, severity, people, keys, category + " · " + recordId, null, null, persons, enterprises,
                details, List.of());
    }

    /** Grid {@code g}'s codes: 10 districts × 10 streets × communities of five grids. */
    EventRegion region(int g) {
        EventRegion[] table = regions;
        if (table == null) {
            // made once per generator instance: formatting codes per event would make the generator the bottleneck
            table = new EventRegion[grids];
            for (int k = 0; k < grids; k++) table[k] = makeRegion(k);
            regions = table;
        }
        return table[g];
    }

    private EventRegion makeRegion(int g) {
        int perStreet = Math.max(1, grids / 5 / 100);
        int community = g / 5;
        int street = Math.min(community / perStreet, 99);
        String d = String.format(Locale.ROOT, "3399%02d", street / 10 + 1);
        String s = d + String.format(Locale.ROOT, "%03d", street % 10 + 1);
        String c = s + String.format(Locale.ROOT, "%03d", community - street * perStreet + 1);
        return new EventRegion(d, s, c, c + String.format(Locale.ROOT, "%03d", g % 5 + 1));
    }

    /** Grids on a lattice about 500 m apart, points within 200 m of the grid's centre. */
    private GeoPoint location(int g, SplittableRandom r) {
        int side = (int) Math.ceil(Math.sqrt(grids));
        return new GeoPoint(30.0 + (g / side) * 0.0045 + (r.nextDouble() - 0.5) * 0.0036,
                120.0 + (g % side) * 0.0052 + (r.nextDouble() - 0.5) * 0.0042);
    }

    private PersonRef person(String role, SplittableRandom r) {
        int p = entities / 4 + skewed(r, entities - entities / 4);
        String hex = Long.toHexString(mix(seed, p));
        return new PersonRef(role, "PER:" + "0".repeat(16 - hex.length()) + hex, "*某", null, null, true);
    }

    private EnterpriseRef enterprise(SplittableRandom r) {
        int e = skewed(r, entities / 4);
        String code = "91339900" + pad(e, 10);
        return new EnterpriseRef("ENT:" + code, code, "企业" + e, true);
    }

    /**
     * Mostly uniform, with a fifth of the picks from a power law: a few busy grids and entities (the busiest grid sees
     * about a hundred records a day at the default load) and a long quiet tail.
     */
    private static int skewed(SplittableRandom r, int n) {
        double u = r.nextDouble();
        if (r.nextInt(5) == 0) u = Math.pow(u, 1.5);
        return Math.min(n - 1, (int) (n * u));
    }

    private static String pick(SplittableRandom r, String[] values, int[] weights) {
        int total = 0;
        for (int w : weights) total += w;
        int k = r.nextInt(total);
        for (int j = 0; j < values.length; j++) {
            k -= weights[j];
            if (k < 0) return values[j];
        }
        return values[values.length - 1];
    }

    private static String pad(long v, int width) {
        String d = Long.toString(v);
        return d.length() >= width ? d : "0".repeat(width - d.length()) + d;
    }

    private static long mix(long seed, long x) {
        long z = seed * 0x9E3779B97F4A7C15L + x;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
