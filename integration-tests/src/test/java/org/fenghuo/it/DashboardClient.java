package org.fenghuo.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.fenghuo.core.json.Json;

/** One user of the dashboards API over real HTTP: keeps the session cookie and the CSRF token like a page does. */
final class DashboardClient {
    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + body, e);
            }
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    String cookie;
    String csrf;

    DashboardClient(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    Reply login(String user, String password) {
        Reply r = send("POST", "/api/session", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}", false);
        if (r.status() == 200) {
            String setCookie = r.raw().headers().firstValue("Set-Cookie").orElseThrow();
            cookie = setCookie.substring(0, setCookie.indexOf(';'));
            csrf = r.json().path("csrfToken").asText();
        }
        return r;
    }

    DashboardClient as(String user, String password) {
        Reply r = login(user, password);
        if (r.status() != 200) throw new IllegalStateException("login of " + user + " failed: " + r.status() + " " + r.body());
        return this;
    }

    Reply get(String path) {
        return send("GET", path, null, false);
    }

    Reply post(String path, String body) {
        return send("POST", path, body, true);
    }

    Reply postWithoutCsrf(String path, String body) {
        return send("POST", path, body, false);
    }

    Reply send(String method, String path, String body, boolean withCsrf) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (cookie != null) b.header("Cookie", cookie);
        if (withCsrf && csrf != null) b.header("X-CSRF-Token", csrf);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(r.statusCode(), r.body(), r);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
