package org.fenghuo.dashboards.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fenghuo.dashboards.auth.Scope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pages listening for alerts (server-sent events), each with the region scope of its user. */
public final class LiveClients {
    private static final Logger LOG = LoggerFactory.getLogger(LiveClients.class);
    private record Client(SseClient sse, Scope scope, String user) {}

    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final ObjectMapper json;

    public LiveClients(ObjectMapper json) {
        this.json = json;
    }

    public void add(SseClient sse, Scope scope, String user) {
        Client c = new Client(sse, scope, user);
        clients.add(c);
        sse.onClose(() -> clients.remove(c));
    }

    public int size() {
        return clients.size();
    }

    /** Sends an alert to every client whose scope holds the alert's region. */
    public int publish(JsonNode alert) {
        String code = mostSpecificRegion(alert);
        String data;
        try {
            data = json.writeValueAsString(alert);
        } catch (Exception e) {
            LOG.warn("cannot serialise alert {}: {}", alert.path("alertId").asText(), e.toString());
            return 0;
        }
        int sent = 0;
        for (Client c : clients) {
            if (!c.scope().allows(code)) continue;
            if (send(c, "alert", data)) sent++;
        }
        return sent;
    }

    /** Keeps idle connections open through proxies, and finds clients that went away. */
    public void keepAlive() {
        for (Client c : clients) {
            try {
                c.sse().sendComment("keep-alive");
            } catch (RuntimeException e) {
                drop(c);
            }
            if (c.sse().terminated()) drop(c);
        }
    }

    private boolean send(Client c, String event, String data) {
        try {
            c.sse().sendEvent(event, data);
            if (!c.sse().terminated()) return true;
        } catch (RuntimeException e) {
            LOG.debug("live client of {} went away: {}", c.user(), e.toString());
        }
        drop(c);
        return false;
    }

    private void drop(Client c) {
        clients.remove(c);
        try {
            c.sse().close();
        } catch (RuntimeException ignored) {
            // already closed
        }
    }

    public void closeAll() {
        clients.forEach(this::drop);
    }

    /** The deepest region code an alert carries, which a scope prefix must match. */
    public static String mostSpecificRegion(JsonNode alert) {
        JsonNode r = alert.path("region");
        for (String level : new String[] {"grid", "community", "street", "district"}) {
            String code = r.path(level).asText(null);
            if (code != null && !code.isEmpty()) return code;
        }
        return "";
    }
}
