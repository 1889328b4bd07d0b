package org.fenghuo.jobs.correlation;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.fenghuo.jobs.common.LabelledCounters;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.fenghuo.core.alert.ActionType;
import org.fenghuo.core.alert.Alert;
import org.fenghuo.core.alert.AlertAction;
import org.fenghuo.core.alert.AlertIds;
import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.AlertNotification;
import org.fenghuo.core.alert.AlertStatus;
import org.fenghuo.core.alert.Escalation;
import org.fenghuo.core.alert.Evidence;
import org.fenghuo.core.alert.LevelChange;
import org.fenghuo.core.model.EventRegion;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns detections into alerts and keeps their lifecycle, per rule and subject ({@link AlertIds#episodeKey}):
 * <ul>
 *   <li>one alert per episode: findings that start within the cooldown of the episode's last finding update it
 *       (new evidence, level raised — never lowered); later ones open a new episode with a new id;</li>
 *   <li>after RESOLVE or DISMISS, new evidence is recorded on the closed alert until the cooldown has passed (in
 *       event time), then starts a new episode;</li>
 *   <li>people's actions from {@code alert.actions} move the status and are kept as the audit trail, as are the
 *       job's own steps (raise, level up, escalation);</li>
 *   <li>an alert not acknowledged within its level's limit (wall-clock) is escalated one administrative level
 *       (grid → community → street → district → city) and notified, again after each further limit; alerts whose
 *       situation is older than {@code historicalAge} (a replay of last month) are neither notified nor escalated.</li>
 * </ul>
 */
public final class AlertEpisodes extends KeyedCoProcessFunction<String, Detection, AlertAction, Alert> {
    public static final OutputTag<AlertAction> AUDIT = new OutputTag<>("alert-audit") {};
    public static final OutputTag<AlertNotification> NOTIFICATIONS = new OutputTag<>("alert-notifications") {};
    static final String SYSTEM = "system";
    static final List<String> ADMIN_LEVELS = List.of("GRID", "COMMUNITY", "STREET", "DISTRICT", "CITY");
    static final String INVALID_KEY = "~invalid";

    private final EnumMap<AlertLevel, Duration> escalationLimits;
    private final LiveHorizon live;
    private final long retentionMillis;

    private transient ValueState<Alert> current;
    private transient ValueState<Long> holdsUntil;
    private transient ValueState<Detection> pending;
    private transient ValueState<Long> closedEventTime;
    private transient MapState<String, Alert> earlier;
    private transient MapState<String, Boolean> appliedActions;
    private transient Counter raised;
    private transient LabelledCounters alertsByRule;
    private transient Counter raisedLevel;
    private transient Counter escalated;
    private transient Counter actionsApplied;
    private transient Counter actionsRefused;

    public AlertEpisodes(Map<AlertLevel, Duration> escalationLimits, Duration historicalAge, Duration retention) {
        this.escalationLimits = new EnumMap<>(AlertLevel.class);
        this.escalationLimits.putAll(escalationLimits);
        this.live = LiveHorizon.of(historicalAge);
        this.retentionMillis = retention.toMillis();
    }

    /** DESIGN §6: RED 15 min, ORANGE 30 min, YELLOW 2 h, BLUE none. */
    public static Map<AlertLevel, Duration> defaultEscalationLimits() {
        Map<AlertLevel, Duration> m = new EnumMap<>(AlertLevel.class);
        m.put(AlertLevel.RED, Duration.ofMinutes(15));
        m.put(AlertLevel.ORANGE, Duration.ofMinutes(30));
        m.put(AlertLevel.YELLOW, Duration.ofHours(2));
        return m;
    }

    /** The key of an action: its alert's episode key, or a sink key for ids that cannot be parsed. */
    public static String keyOf(AlertAction a) {
        try {
            return AlertIds.episodeKeyOf(a.alertId());
        } catch (IllegalArgumentException e) {
            return INVALID_KEY;
        }
    }

    @Override
    public void open(OpenContext openContext) {
        current = getRuntimeContext().getState(new ValueStateDescriptor<>("alert", TypeInformation.of(Alert.class)));
        holdsUntil = getRuntimeContext().getState(new ValueStateDescriptor<>("holds-until", Types.LONG));
        pending = getRuntimeContext().getState(new ValueStateDescriptor<>("pending-episode", TypeInformation.of(Detection.class)));
        closedEventTime = getRuntimeContext().getState(new ValueStateDescriptor<>("closed-event-time", Types.LONG));
        earlier = getRuntimeContext().getMapState(new MapStateDescriptor<>("earlier-episodes", Types.STRING, TypeInformation.of(Alert.class)));
        appliedActions = getRuntimeContext().getMapState(new MapStateDescriptor<>("applied-actions", Types.STRING, Types.BOOLEAN));
        var g = getRuntimeContext().getMetricGroup();
        raised = g.counter("alertsRaised");
        raisedLevel = g.counter("alertLevelsRaised");
        escalated = g.counter("alertsEscalated");
        actionsApplied = g.counter("actionsApplied");
        actionsRefused = g.counter("actionsRefused");
        alertsByRule = LabelledCounters.of(g, "alerts", "rule", "level");
    }

    // ---- detections -----------------------------------------------------------------------------------------

    @Override
    public void processElement1(Detection d, Context ctx, Collector<Alert> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        Detection waiting = pending.value();
        if (waiting != null) {
            // an episode about to open: keep the earliest start and the most severe finding until event time passes
            Detection merged = mergePending(waiting, d);
            pending.update(merged);
            if (merged.since() < waiting.since()) ctx.timerService().registerEventTimeTimer(merged.since());
            return;
        }
        Alert alert = current.value();
        Long until = holdsUntil.value();
        if (alert != null) {
            boolean continues = d.since() <= (until == null ? Long.MIN_VALUE : until) + d.cooldownMillis();
            if (alert.status().isOpen() && continues) {
                update(alert, d, now, ctx, out);
                return;
            }
            if (!alert.status().isOpen()) {
                Long closed = closedEventTime.value();
                if (closed != null && d.eventTime() < closed + d.cooldownMillis()) {
                    recordOnClosed(alert, d, now, out);
                    return;
                }
            }
        }
        if (d.since() <= ctx.timerService().currentWatermark() || !historical(d.since(), now)) {
            // A live situation is raised the moment it is detected: someone is on duty for it, and the watermark's lag
            // (the allowed out-of-orderness) is too long to make them wait. Its id then carries the start seen from
            // the records that had arrived, which is the start a replay finds unless a record of the episode arrived
            // after the alert and belongs before its start.
            openEpisode(alert, d, now, ctx, out);
        } else {
            // The episode's id carries its start in event time. In a replay, records arrive out of order (partitions
            // race): wait until event time passes the start, so that an earlier record still on its way can move the
            // start back, and the id comes out the same whatever the order.
            pending.update(d);
            ctx.timerService().registerEventTimeTimer(d.since());
        }
    }

    private void openEpisode(Alert previous, Detection d, long now, Context ctx, Collector<Alert> out) throws Exception {
        if (previous != null) {
            earlier.put(previous.alertId(), previous);
            // released by this timer (releaseEarlier) a retention after its successor began
            ctx.timerService().registerEventTimeTimer(RuleDetector.roundUp(d.since() + retentionMillis));
            trimEarlier();
        }
        open(previous, d, now, ctx, out);
    }

    /** The earliest start, the most severe (then newest) finding's numbers, and every record of both. */
    static Detection mergePending(Detection a, Detection b) {
        Detection lead = b.level().compareTo(a.level()) > 0 || b.level() == a.level() && b.eventTime() >= a.eventTime() ? b : a;
        Map<String, Evidence> byId = new LinkedHashMap<>();
        for (Evidence e : a.evidence()) byId.put(e.eventId(), e);
        for (Evidence e : b.evidence()) byId.putIfAbsent(e.eventId(), e);
        List<Evidence> all = new ArrayList<>(byId.values());
        all.sort((x, y) -> x.occurredAt().compareTo(y.occurredAt()) != 0 ? x.occurredAt().compareTo(y.occurredAt())
                : x.eventId().compareTo(y.eventId()));
        TreeSet<String> sources = new TreeSet<>(a.sources());
        sources.addAll(b.sources());
        return new Detection(lead.ruleId(), lead.ruleTitle(), lead.kind(), lead.subject(), lead.level(), lead.title(),
                lead.levelReason(), lead.explanation(), Math.min(a.since(), b.since()), Math.max(a.eventTime(), b.eventTime()),
                Math.max(a.holdsUntil(), b.holdsUntil()), lead.observed(), lead.expected(), lead.limit(),
                Explain.capped(all, lead.evidenceCap()), Math.max(Math.max(a.evidenceCount(), b.evidenceCount()), all.size()),
                new ArrayList<>(sources), lead.region(), lead.location() != null ? lead.location() : a.location(),
                lead.cooldownMillis(), lead.evidenceCap());
    }

    private void open(Alert previous, Detection d, long now, Context ctx, Collector<Alert> out) throws Exception {
        Instant nowI = Instant.ofEpochMilli(now);
        String alertId = AlertIds.alertId(d.ruleId(), d.subject().key(), Instant.ofEpochMilli(d.since()));
        String[] responsible = initialResponsibility(d);
        // the city is the top of the hierarchy: an alert it holds has nobody to be escalated to
        Instant due = "CITY".equals(responsible[0]) ? null : escalationDue(d.level(), d.since(), now);
        Alert a = new Alert(alertId, d.ruleId(), d.ruleTitle(), previous == null ? 1 : previous.episode() + 1, d.level(),
                AlertStatus.NEW, d.title(), d.explanation(), d.subject(), d.region(), d.location(),
                Instant.ofEpochMilli(d.since()), nowI, nowI, Instant.ofEpochMilli(d.eventTime()), d.evidence(),
                d.evidenceCount(), d.sources(), d.observed(), d.expected(), d.limit(),
                List.of(new LevelChange(d.level(), Instant.ofEpochMilli(d.since()), nowI, d.levelReason())), List.of(),
                responsible[0], responsible[1], due, null, null, null, null, null, 0);
        current.update(a);
        holdsUntil.update(d.holdsUntil());
        closedEventTime.clear();
        if (due != null) ctx.timerService().registerProcessingTimeTimer(due.toEpochMilli());
        scheduleCleanup(ctx, d.holdsUntil() + d.cooldownMillis());
        out.collect(a);
        raised.inc();
        alertsByRule.inc(a.ruleId(), a.level().name());
        ctx.output(AUDIT, systemAction(a, ActionType.RAISE, "/raise", nowI, d.levelReason()));
        if (!historical(d.since(), now)) ctx.output(NOTIFICATIONS, notification(a, AlertNotification.Reason.NEW, 0, nowI));
    }

    private void update(Alert a, Detection d, long now, Context ctx, Collector<Alert> out) throws Exception {
        Instant nowI = Instant.ofEpochMilli(now);
        Merged merged = merge(a, d);
        boolean higher = d.level().compareTo(a.level()) > 0;
        if (!higher && merged.added == 0) {
            holdsUntil.update(Math.max(holdsUntil.value() == null ? Long.MIN_VALUE : holdsUntil.value(), d.holdsUntil()));
            return;
        }
        boolean takeNumbers = d.level().compareTo(a.level()) >= 0;
        AlertLevel level = AlertLevel.max(a.level(), d.level());
        List<LevelChange> history = new ArrayList<>(a.levelHistory());
        Instant due = a.escalationDueAt();
        if (higher) {
            history.add(new LevelChange(level, Instant.ofEpochMilli(d.eventTime()), nowI, d.levelReason()));
            if (a.status() == AlertStatus.NEW && !"CITY".equals(a.responsibleLevel())) {
                Instant sooner = escalationDue(level, a.triggeredAt().toEpochMilli(), now);
                if (sooner != null && (due == null || sooner.isBefore(due))) {
                    due = sooner;
                    ctx.timerService().registerProcessingTimeTimer(due.toEpochMilli());
                }
            }
        }
        Alert u = new Alert(a.alertId(), a.ruleId(), a.ruleTitle(), a.episode(), level, a.status(),
                takeNumbers ? d.title() : a.title(), takeNumbers ? d.explanation() : a.explanation(), a.subject(),
                takeNumbers && d.region() != null ? d.region() : a.region(), d.location() != null ? d.location() : a.location(),
                a.triggeredAt(), a.raisedAt(), nowI, latest(a.lastEventAt(), d.eventTime()), merged.evidence, merged.count,
                merged.sources, takeNumbers ? d.observed() : a.observed(), takeNumbers ? d.expected() : a.expected(),
                takeNumbers ? d.limit() : a.limit(), history, a.escalations(), a.responsibleLevel(), a.responsibleRegion(),
                due, a.acknowledgedAt(), a.acknowledgedBy(), a.dispatchedTo(), a.resolvedAt(), a.closedAt(), a.actionCount());
        current.update(u);
        holdsUntil.update(Math.max(holdsUntil.value() == null ? Long.MIN_VALUE : holdsUntil.value(), d.holdsUntil()));
        scheduleCleanup(ctx, holdsUntil.value() + d.cooldownMillis());
        out.collect(u);
        if (higher) {
            raisedLevel.inc();
            alertsByRule.inc(u.ruleId(), u.level().name());
            ctx.output(AUDIT, systemAction(u, ActionType.LEVEL_UP, "/level/" + history.size(), nowI, d.levelReason()));
            if (!historical(a.triggeredAt().toEpochMilli(), now)) {
                ctx.output(NOTIFICATIONS, notification(u, AlertNotification.Reason.LEVEL_RAISED, history.size(), nowI));
            }
        }
    }

    /** Evidence arriving while a closed alert cools down: kept on it, without reopening or notifying. */
    private void recordOnClosed(Alert a, Detection d, long now, Collector<Alert> out) throws Exception {
        Merged merged = merge(a, d);
        if (merged.added == 0) return;
        Alert u = withEvidence(a, merged, Instant.ofEpochMilli(now), latest(a.lastEventAt(), d.eventTime()));
        current.update(u);
        out.collect(u);
    }

    private record Merged(List<Evidence> evidence, int count, List<String> sources, int added) {}

    private static Merged merge(Alert a, Detection d) {
        Map<String, Evidence> byId = new LinkedHashMap<>();
        for (Evidence e : a.evidence()) byId.put(e.eventId(), e);
        int added = 0;
        for (Evidence e : d.evidence()) if (byId.putIfAbsent(e.eventId(), e) == null) added++;
        List<Evidence> all = new ArrayList<>(byId.values());
        all.sort((x, y) -> x.occurredAt().compareTo(y.occurredAt()) != 0 ? x.occurredAt().compareTo(y.occurredAt())
                : x.eventId().compareTo(y.eventId()));
        // the detection's count is complete for its window; the episode may have seen more before it
        int count = Math.max(d.evidenceCount(), a.evidenceCount() + added);
        TreeSet<String> sources = new TreeSet<>(a.sources());
        sources.addAll(d.sources());
        return new Merged(Explain.capped(all, d.evidenceCap()), count, new ArrayList<>(sources), added);
    }

    private static Alert withEvidence(Alert a, Merged m, Instant now, Instant lastEventAt) {
        return new Alert(a.alertId(), a.ruleId(), a.ruleTitle(), a.episode(), a.level(), a.status(), a.title(),
                a.explanation(), a.subject(), a.region(), a.location(), a.triggeredAt(), a.raisedAt(), now, lastEventAt,
                m.evidence, m.count, m.sources, a.observed(), a.expected(), a.limit(), a.levelHistory(), a.escalations(),
                a.responsibleLevel(), a.responsibleRegion(), a.escalationDueAt(), a.acknowledgedAt(), a.acknowledgedBy(),
                a.dispatchedTo(), a.resolvedAt(), a.closedAt(), a.actionCount());
    }

    // ---- actions --------------------------------------------------------------------------------------------

    @Override
    public void processElement2(AlertAction action, Context ctx, Collector<Alert> out) throws Exception {
        List<String> problems = action.problems();
        if (!problems.isEmpty()) {
            actionsRefused.inc();
            ctx.output(AUDIT, refused(action, "REFUSED: " + String.join("; ", problems)));
            return;
        }
        Alert a = current.value();
        boolean isCurrent = a != null && a.alertId().equals(action.alertId());
        if (!isCurrent) a = earlier.get(action.alertId());
        if (a == null) {
            actionsRefused.inc();
            ctx.output(AUDIT, refused(action, "REFUSED: unknown alert " + action.alertId()));
            return;
        }
        if (appliedActions.contains(action.actionId())) return; // a redelivery: applied already
        long now = ctx.timerService().currentProcessingTime();
        Applied r = apply(a, action, Instant.ofEpochMilli(now));
        appliedActions.put(action.actionId(), true);
        if (r.alert != a) {
            if (isCurrent) {
                current.update(r.alert);
                if (!r.alert.status().isOpen() && a.status().isOpen()) {
                    long wm = ctx.timerService().currentWatermark();
                    long last = a.lastEventAt() == null ? wm : a.lastEventAt().toEpochMilli();
                    closedEventTime.update(Math.max(wm, last));
                }
            } else {
                earlier.put(r.alert.alertId(), r.alert);
            }
            out.collect(r.alert);
        }
        if (r.outcome.startsWith("APPLIED")) actionsApplied.inc();
        else actionsRefused.inc();
        ctx.output(AUDIT, action.applied(r.alert.status(), r.alert.level(), r.alert.ruleId(), r.alert.region(), r.outcome));
    }

    private record Applied(Alert alert, String outcome) {}

    static Applied apply(Alert a, AlertAction x, Instant now) {
        AlertStatus s = a.status();
        boolean open = s.isOpen();
        AlertStatus next = s;
        Instant ackAt = a.acknowledgedAt();
        String ackBy = a.acknowledgedBy();
        String unit = a.dispatchedTo();
        Instant resolvedAt = a.resolvedAt();
        Instant closedAt = a.closedAt();
        Instant due = a.escalationDueAt();
        String outcome = "APPLIED";
        switch (x.action()) {
            case ACKNOWLEDGE -> {
                if (!open) return new Applied(a, "REFUSED: alert is " + s + "; it cannot be acknowledged");
                if (s == AlertStatus.NEW) {
                    next = AlertStatus.ACKNOWLEDGED;
                    ackAt = x.at();
                    ackBy = x.actor();
                } else {
                    outcome = "APPLIED: already " + s;
                }
                due = null;
            }
            case DISPATCH -> {
                if (!open) return new Applied(a, "REFUSED: alert is " + s + "; it cannot be dispatched");
                next = AlertStatus.DISPATCHED;
                unit = x.unit();
                if (ackAt == null) {
                    ackAt = x.at();
                    ackBy = x.actor();
                }
                due = null;
            }
            case RESOLVE, DISMISS -> {
                if (!open) return new Applied(a, "REFUSED: alert is already " + s);
                next = x.action() == ActionType.RESOLVE ? AlertStatus.RESOLVED : AlertStatus.DISMISSED;
                if (x.action() == ActionType.RESOLVE) resolvedAt = x.at();
                closedAt = x.at();
                due = null;
            }
            case COMMENT -> { /* kept in the audit trail; the alert only counts it */ }
            default -> {
                return new Applied(a, "REFUSED: " + x.action() + " is not an action people send");
            }
        }
        Alert u = new Alert(a.alertId(), a.ruleId(), a.ruleTitle(), a.episode(), a.level(), next, a.title(),
                a.explanation(), a.subject(), a.region(), a.location(), a.triggeredAt(), a.raisedAt(), now,
                a.lastEventAt(), a.evidence(), a.evidenceCount(), a.sources(), a.observed(), a.expected(), a.limit(),
                a.levelHistory(), a.escalations(), a.responsibleLevel(), a.responsibleRegion(), due, ackAt, ackBy, unit,
                resolvedAt, closedAt, a.actionCount() + 1);
        return new Applied(u, outcome);
    }

    private static AlertAction refused(AlertAction x, String outcome) {
        return x.applied(null, null, x.alertId() == null ? null : safeRuleId(x.alertId()), null, outcome);
    }

    private static String safeRuleId(String alertId) {
        try {
            return AlertIds.ruleIdOf(alertId);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---- escalation and cleanup -------------------------------------------------------------------------------

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        if (ctx.timeDomain() == org.apache.flink.streaming.api.TimeDomain.EVENT_TIME) {
            Detection waiting = pending.value();
            if (waiting != null && waiting.since() <= timestamp) {
                pending.clear();
                openEpisode(current.value(), waiting, ctx.timerService().currentProcessingTime(), ctx, out);
                return;
            }
        }
        Alert a = current.value();
        if (a == null) return;
        if (ctx.timeDomain() == org.apache.flink.streaming.api.TimeDomain.EVENT_TIME) {
            Long until = holdsUntil.value();
            // state of a finished situation is kept for the retention, then released — even if an escalation is still
            // pending on the wall-clock: event time can only be that far ahead at the end of a bounded replay (or with
            // a skewed clock), and waiting for it would have to re-arm a timer that fires again at once, stalling
            // event time; the escalation timer then finds no alert and does nothing
            if (until != null && until + retentionMillis <= timestamp) {
                current.clear();
                holdsUntil.clear();
                closedEventTime.clear();
                earlier.clear();
                appliedActions.clear();
            } else if (until != null) {
                // newer evidence extended the episode: look again when its retention has passed (after this timer)
                ctx.timerService().registerEventTimeTimer(RuleDetector.roundUp(until + retentionMillis));
                releaseEarlier(timestamp);
            }
            return;
        }
        if (a.status() != AlertStatus.NEW || a.escalationDueAt() == null || a.escalationDueAt().toEpochMilli() > timestamp) return;
        int at = ADMIN_LEVELS.indexOf(a.responsibleLevel());
        if (at < 0 || at >= ADMIN_LEVELS.size() - 1) return;
        String to = ADMIN_LEVELS.get(at + 1);
        String code = CompiledRule.codeAt(a.region(), to);
        Instant now = Instant.ofEpochMilli(timestamp);
        Duration limit = escalationLimits.get(a.level());
        Instant nextDue = !"CITY".equals(to) && limit != null ? now.plus(limit) : null;
        List<Escalation> escalations = new ArrayList<>(a.escalations());
        String reason = a.level().label() + "预警" + (limit == null ? "" : Explain.duration(limit.toMillis())) + "内无人签收,由"
                + levelName(a.responsibleLevel()) + "上报至" + levelName(to);
        escalations.add(new Escalation(now, a.responsibleLevel(), to, code, reason));
        Alert u = new Alert(a.alertId(), a.ruleId(), a.ruleTitle(), a.episode(), a.level(), a.status(), a.title(),
                a.explanation(), a.subject(), a.region(), a.location(), a.triggeredAt(), a.raisedAt(), now,
                a.lastEventAt(), a.evidence(), a.evidenceCount(), a.sources(), a.observed(), a.expected(), a.limit(),
                a.levelHistory(), escalations, to, code, nextDue, null, null, a.dispatchedTo(), a.resolvedAt(),
                a.closedAt(), a.actionCount());
        current.update(u);
        if (nextDue != null) ctx.timerService().registerProcessingTimeTimer(nextDue.toEpochMilli());
        out.collect(u);
        escalated.inc();
        ctx.output(AUDIT, systemAction(u, ActionType.ESCALATE, "/escalate/" + escalations.size(), now, reason));
        ctx.output(NOTIFICATIONS, notification(u, AlertNotification.Reason.ESCALATED, escalations.size(), now));
    }

    private void scheduleCleanup(Context ctx, long episodeEnd) {
        ctx.timerService().registerEventTimeTimer(RuleDetector.roundUp(episodeEnd + retentionMillis));
    }

    /**
     * An earlier episode is kept for the retention after the next episode began: it had ended (and cooled down) by
     * then, so it stays at least as long as it would have as the current one, but not for as long as a newer episode
     * of the same rule and subject lives, or a subject with a situation every month would pile them up.
     */
    private void releaseEarlier(long eventTime) throws Exception {
        if (earlier.isEmpty()) return;
        TreeSet<Long> starts = new TreeSet<>();
        Alert now = current.value();
        if (now != null) starts.add(now.triggeredAt().toEpochMilli());
        List<Alert> all = new ArrayList<>();
        for (Alert a : earlier.values()) {
            all.add(a);
            starts.add(a.triggeredAt().toEpochMilli());
        }
        for (Alert a : all) {
            Long next = starts.higher(a.triggeredAt().toEpochMilli());
            if (next != null && next + retentionMillis <= eventTime) earlier.remove(a.alertId());
        }
    }

    private void trimEarlier() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String id : earlier.keys()) ids.add(id);
        if (ids.size() <= 5) return;
        ids.sort(String::compareTo); // ids end with the episode start: oldest first
        for (int i = 0; i < ids.size() - 5; i++) earlier.remove(ids.get(i));
    }

    private Instant escalationDue(AlertLevel level, long since, long now) {
        Duration limit = escalationLimits.get(level);
        if (limit == null) return null;
        if (historical(since, now)) return null;
        return Instant.ofEpochMilli(now).plus(limit);
    }

    /** A replayed, long-past situation: it is recorded, but nobody is called or escalated to for it. */
    private boolean historical(long since, long now) {
        return !live.covers(since, now);
    }

    /** The most specific administrative level the alert's region names, and its code. */
    static String[] initialResponsibility(Detection d) {
        EventRegion r = d.region();
        if (r == null) return new String[]{"CITY", null};
        for (String level : ADMIN_LEVELS) {
            String code = CompiledRule.codeAt(r, level);
            if (code != null) return new String[]{level, code};
        }
        return new String[]{"CITY", null};
    }

    static String levelName(String level) {
        return switch (level) {
            case "GRID" -> "网格";
            case "COMMUNITY" -> "社区";
            case "STREET" -> "街道";
            case "DISTRICT" -> "区县";
            case "CITY" -> "市级";
            default -> level;
        };
    }

    private static Instant latest(Instant a, long b) {
        return a == null || a.toEpochMilli() < b ? Instant.ofEpochMilli(b) : a;
    }

    private static AlertAction systemAction(Alert a, ActionType type, String suffix, Instant at, String note) {
        return new AlertAction(a.alertId() + suffix, a.alertId(), type, SYSTEM, SYSTEM, at, note, null, a.status(),
                a.level(), a.ruleId(), a.region(), "APPLIED");
    }

    private static AlertNotification notification(Alert a, AlertNotification.Reason reason, int seq, Instant at) {
        String what = switch (reason) {
            case NEW -> "新告警";
            case LEVEL_RAISED -> "告警升级";
            case ESCALATED -> "逾期未签收,已上报" + levelName(a.responsibleLevel());
        };
        String summary = "[" + a.level().label() + "预警] " + a.title() + " · " + what + " · 触发于" + Explain.time(a.triggeredAt().toEpochMilli());
        return new AlertNotification(a.alertId() + "/" + reason + "/" + seq, reason, at, summary, a);
    }
}
