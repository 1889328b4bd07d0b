package org.fenghuo.dashboards.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.fenghuo.core.alert.ActionType;
import org.fenghuo.core.alert.AlertAction;
import org.fenghuo.core.privacy.TextScrubber;
import org.fenghuo.dashboards.DashboardMetrics;
import org.fenghuo.dashboards.auth.Session;
import org.fenghuo.dashboards.auth.User;
import org.fenghuo.dashboards.live.ActionPublisher;
import org.fenghuo.dashboards.live.LiveClients;
import org.fenghuo.dashboards.search.Filters;
import org.fenghuo.dashboards.search.SearchIndex;
import org.fenghuo.dashboards.search.Searcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The alert queue, an alert's detail, people's actions on it, and the live push. */
public final class AlertApi {
    private static final Logger LOG = LoggerFactory.getLogger(AlertApi.class);
    static final int MAX_NOTE = 500;
    private final Searcher searcher;
    private final ActionPublisher publisher;
    private final LiveClients live;
    private final DashboardMetrics metrics;
    private final Clock clock;

    public AlertApi(Searcher searcher, ActionPublisher publisher, LiveClients live, DashboardMetrics metrics, Clock clock) {
        this.searcher = searcher;
        this.publisher = publisher;
        this.live = live;
        this.metrics = metrics;
        this.clock = clock;
    }

    public void list(Context ctx) {
        Filters f = Filters.parse(ctx.queryParamMap(), Access.session(ctx).user().regionScope());
        ctx.json(searcher.list(SearchIndex.ALERTS, f));
    }

    public void detail(Context ctx) {
        Session s = Access.session(ctx);
        JsonNode alert = find(ctx.pathParam("id"), s.user());
        List<String> eventIds = new ArrayList<>();
        alert.path("evidence").forEach(e -> eventIds.add(e.path("feed").asText() + ":" + e.path("recordId").asText()));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("alert", alert);
        out.putArray("actions").addAll(searcher.actions(alert.path("alertId").asText()));
        out.putArray("evidenceEvents").addAll(searcher.eventsById(eventIds, s.user().regionScope()));
        ctx.json(out);
    }

    public void act(Context ctx) {
        User user = Access.session(ctx).user();
        if (!user.role().mayAct()) throw ApiException.forbidden("角色 " + user.role().label() + " 只能查看，不能处置告警");
        JsonNode alert = find(ctx.pathParam("id"), user);
        JsonNode body = Json.body(ctx);
        ActionType type;
        try {
            type = ActionType.valueOf(body.path("action").asText("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            type = null;
        }
        if (type == null || !type.isHuman()) {
            throw ApiException.badRequest("action '" + body.path("action").asText("") + "' is not one of ACKNOWLEDGE, DISPATCH, RESOLVE, DISMISS, COMMENT");
        }
        String note = text(body, "note", MAX_NOTE);
        String unit = text(body, "unit", 64);
        if (type == ActionType.DISPATCH && unit == null) throw ApiException.badRequest("派单需要填写处置单位 (unit)");
        if ((type == ActionType.COMMENT || type == ActionType.DISMISS) && note == null) {
            throw ApiException.badRequest(type.label() + "需要填写说明 (note)");
        }
        String status = alert.path("status").asText();
        if ((status.equals("RESOLVED") || status.equals("DISMISSED")) && type != ActionType.COMMENT) {
            throw new ApiException(409, "告警已" + (status.equals("RESOLVED") ? "办结" : "排除") + "，只能添加备注");
        }
        // a note is free text typed at 3 a.m.: numbers that look like phones or identity numbers are masked before it leaves
        String scrubbed = note == null ? null : TextScrubber.scrub(note, List.of());
        AlertAction action = new AlertAction(UUID.randomUUID().toString(), alert.path("alertId").asText(), type, user.name(),
                user.role().name(), clock.instant(), scrubbed, unit, null, null, null, null, null);
        publisher.publish(action);
        metrics.action(type.name());
        LOG.info("{} sent {} on {}", user, type, action.alertId());
        ObjectNode out = JsonNodeFactory.instance.objectNode().put("actionId", action.actionId()).put("alertId", action.alertId())
                .put("action", type.name()).put("actor", user.name()).put("at", action.at().toString());
        ctx.status(202).json(out);
    }

    public void stream(SseClient client) {
        Session s = Access.session(client.ctx());
        ObjectNode hello = JsonNodeFactory.instance.objectNode();
        hello.putObject("user").put("name", s.user().name()).put("scope", s.user().scope());
        client.sendEvent("hello", hello.toString());
        live.add(client, s.user().regionScope(), s.user().name());
        client.keepAlive();
    }

    private JsonNode find(String alertId, User user) {
        if (alertId == null || alertId.isBlank() || alertId.length() > 300) throw ApiException.badRequest("alert id is missing or too long");
        return searcher.alert(alertId, user.regionScope()).orElseThrow(() -> ApiException.notFound("告警 " + alertId + " 不存在或不在您的辖区内"));
    }

    private static String text(JsonNode body, String field, int max) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw ApiException.badRequest(field + " must be text");
        String t = v.asText().strip();
        if (t.isEmpty()) return null;
        if (t.length() > max) throw ApiException.badRequest(field + " is longer than " + max + " characters");
        return t;
    }
}
