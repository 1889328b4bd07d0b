package org.fenghuo.connectors.notify;

import java.time.Instant;
import java.util.List;
import org.fenghuo.core.alert.Alert;
import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.AlertNotification;
import org.fenghuo.core.alert.AlertStatus;
import org.fenghuo.core.alert.AlertSubject;
import org.fenghuo.core.alert.Escalation;
import org.fenghuo.core.alert.Evidence;
import org.fenghuo.core.alert.LevelChange;
import org.fenghuo.core.alert.SubjectType;
import org.fenghuo.core.model.EventRegion;
import org.fenghuo.core.model.GeoPoint;

/** Alerts and notifications for the notifier tests. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-03-05T01:20:00Z");
    /** Appears in every alert's explanation: must never reach a log line. */
    static final String EXPLANATION_MARKER = "集体上访（张*，138****5678）";

    private Fixtures() {}

    /** District {@code 33990d}, street +{@code 00s}, community +{@code 00c}, grid +{@code 00g}. */
    static EventRegion region(int district, int street, int community, int grid) {
        String d = "33990" + district;
        String s = d + "00" + street;
        String c = s + "00" + community;
        return new EventRegion(d, s, c, c + "00" + grid);
    }

    static AlertNotification notification(String id, AlertLevel level, AlertNotification.Reason reason,
                                          EventRegion region, String responsibleRegion) {
        String code = region == null ? responsibleRegion : region.mostSpecific();
        String alertId = "petition.collective:REG:" + code + ":20260305T012000Z";
        List<Escalation> escalations = reason == AlertNotification.Reason.ESCALATED
                ? List.of(new Escalation(T0.plusSeconds(1800), "COMMUNITY", "STREET", responsibleRegion, "30 分钟未签收"))
                : List.of();
        Alert alert = new Alert(alertId, "petition.collective", "集体访", 1, level, AlertStatus.NEW,
                "集体访 5 人", "2026-03-05 09:20 " + EXPLANATION_MARKER + "，人数 5 ≥ 5",
                new AlertSubject(SubjectType.REGION, "REG:" + code, "某社区"),
                region, region == null ? null : new GeoPoint(30.1, 120.2),
                T0, T0.plusSeconds(2), T0.plusSeconds(60), T0,
                List.of(new Evidence("petitions", "P-" + id, T0, "COLLECTIVE", "集体访", code, null, null)),
                1, List.of("petitions"), 5.0, null, 5.0,
                List.of(new LevelChange(level, T0, T0.plusSeconds(2), "人数 5 ≥ 5")), escalations,
                responsibleRegion == null ? "COMMUNITY" : "STREET", responsibleRegion,
                T0.plusSeconds(3600), null, null, null, null, null, 0);
        return new AlertNotification(id, reason, T0.plusSeconds(61), "【黄色】某社区 集体访 5 人", alert);
    }

    static AlertNotification notification(String id, AlertLevel level, EventRegion region) {
        return notification(id, level, AlertNotification.Reason.NEW, region, null);
    }
}
