package org.fenghuo.jobs.correlation;

import org.fenghuo.core.alert.Evidence;
import org.fenghuo.core.normalize.Labels;
import org.fenghuo.core.rules.FieldCondition;
import org.fenghuo.core.rules.Match;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Chinese wording shared by the detectors' explanations: times, durations, feeds, numbers, evidence lists. */
final class Explain {
    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("M月d日HH:mm", Locale.CHINA).withZone(CHINA);

    private Explain() {}

    static String time(long millis) {
        return TIME.format(Instant.ofEpochMilli(millis));
    }

    static String duration(long millis) {
        Duration d = Duration.ofMillis(millis);
        if (d.toDays() >= 2 && d.toHours() % 24 == 0) return d.toDays() + "天";
        if (d.toHours() >= 1 && d.toMinutes() % 60 == 0) return d.toHours() + "小时";
        if (d.toMinutes() >= 1 && d.toSecondsPart() == 0) return d.toMinutes() + "分钟";
        return d.toSeconds() + "秒";
    }

    static String feed(String feedId) {
        return switch (feedId) {
            case "grid-report" -> "网格上报";
            case "linkage-call" -> "110警情";
            case "petition" -> "信访";
            case "labor-inspection" -> "劳动监察";
            default -> feedId;
        };
    }

    static String feeds(Collection<String> feedIds) {
        List<String> out = new ArrayList<>();
        for (String f : new TreeSet<>(feedIds)) out.add(feed(f));
        return String.join("、", out);
    }

    static String category(String code) {
        return code == null ? "" : Labels.category(code);
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return fixed(v, 1);
    }

    /**
     * {@code v} with {@code digits} decimals, rounded half up ("2.0", "0.0042"): the same text as
     * {@code String.format("%.1f")} without its per-call locale and formatter set-up, which dominated the cost of
     * explaining an alert on every new record.
     */
    static String fixed(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v) || Math.abs(v) >= 1e15) return Double.toString(v);
        return java.math.BigDecimal.valueOf(v).setScale(digits, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    /** "3月5日09:30至3月5日11:10" or a single time. */
    static String span(long from, long to) {
        return from == to ? time(from) : time(from) + "至" + time(to);
    }

    /** Category labels of the evidence, most frequent first, at most three. */
    static String categories(List<Evidence> evidence) {
        Set<String> seen = new LinkedHashSet<>();
        for (Evidence e : evidence) if (e.category() != null) seen.add(category(e.category()));
        List<String> l = new ArrayList<>(seen);
        return l.size() <= 3 ? String.join("、", l) : String.join("、", l.subList(0, 3)) + "等";
    }

    /**
     * At most {@code cap} evidence records: the first few (how it started) and the most recent; the caller reports the
     * full count separately.
     */
    static <T> List<T> capped(List<T> sortedByTime, int cap) {
        if (sortedByTime.size() <= cap) return sortedByTime;
        int head = Math.min(5, cap / 2);
        List<T> out = new ArrayList<>(cap);
        out.addAll(sortedByTime.subList(0, head));
        out.addAll(sortedByTime.subList(sortedByTime.size() - (cap - head), sortedByTime.size()));
        return out;
    }

    static String fieldLabel(String field) {
        if (field == null) return "";
        return switch (field) {
            case "severity" -> "严重程度";
            case "peopleCount" -> "涉及人数";
            case "details.petitionerCount" -> "信访人数";
            case "details.workersAffected" -> "涉及职工";
            case "details.amountOwedCny" -> "欠薪金额";
            case "details.receivingLevel" -> "受理层级";
            case "details.channel" -> "信访方式";
            case "details.kind" -> "记录类型";
            case "details.disposition" -> "处置方式";
            case "details.status" -> "办理状态";
            case "details.isRepeat" -> "重复信访";
            default -> field;
        };
    }

    private static String value(String field, String code) {
        if ("details.receivingLevel".equals(field)) return Labels.receivingLevel(code);
        if ("details.channel".equals(field)) return Labels.channel(code);
        if ("details.kind".equals(field)) return Labels.laborKind(code);
        return Labels.category(code);
    }

    /** A filter in words, e.g. "受理层级为市级、省级或国家级". */
    static String match(Match m) {
        List<String> parts = new ArrayList<>();
        if (m.feed() != null && !m.feed().isEmpty()) parts.add("来源为" + feeds(m.feed()));
        if (m.category() != null && !m.category().isEmpty()) {
            List<String> l = new ArrayList<>();
            for (String c : m.category()) l.add(category(c));
            parts.add("类别为" + String.join("、", l));
        }
        if (m.where() != null) {
            for (FieldCondition c : m.where()) {
                String f = fieldLabel(c.field());
                if (c.in() != null) {
                    List<String> l = new ArrayList<>();
                    for (String v : c.in()) l.add(value(c.field(), v));
                    parts.add(f + "为" + String.join("、", l));
                }
                if (c.gte() != null) parts.add(f + "≥" + number(c.gte()));
                if (c.gt() != null) parts.add(f + ">" + number(c.gt()));
                if (c.lte() != null) parts.add(f + "≤" + number(c.lte()));
                if (c.lt() != null) parts.add(f + "<" + number(c.lt()));
            }
        }
        if (m.anyOf() != null && !m.anyOf().isEmpty()) {
            List<String> l = new ArrayList<>();
            for (Match a : m.anyOf()) l.add(match(a));
            parts.add("(" + String.join("或", l) + ")");
        }
        return parts.isEmpty() ? "任意记录" : "有记录" + String.join(",", parts);
    }
}
