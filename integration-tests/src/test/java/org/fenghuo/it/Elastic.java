package org.fenghuo.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;
import org.fenghuo.core.json.Json;

/** Reads Elasticsearch over plain HTTP, so the tests check what is really stored, independent of our client code. */
final class Elastic {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;

    Elastic(String url) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    JsonNode request(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (r.statusCode() >= 300 && r.statusCode() != 404) throw new IllegalStateException(method + " " + path + " → " + r.statusCode() + ": " + r.body());
            return Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    long count(String index, String query) {
        request("POST", "/" + index + "/_refresh", null);
        JsonNode r = request("POST", "/" + index + "/_count", query == null ? null : "{\"query\":" + query + "}");
        return r.path("count").asLong(-1);
    }

    long count(String index) {
        return count(index, null);
    }

    /** All documents' sources (up to 10,000). */
    List<JsonNode> all(String index) {
        request("POST", "/" + index + "/_refresh", null);
        JsonNode r = request("POST", "/" + index + "/_search", "{\"size\":10000,\"query\":{\"match_all\":{}}}");
        List<JsonNode> out = new ArrayList<>();
        r.path("hits").path("hits").forEach(h -> out.add(h.get("_source")));
        return out;
    }

    /** The raw text of every document of every fenghuo index: for scanning for personal data. */
    String dumpAll() {
        request("POST", "/fenghuo-*/_refresh", null);
        return request("POST", "/fenghuo-*/_search", "{\"size\":10000,\"query\":{\"match_all\":{}}}").toString();
    }

    long awaitCount(String index, String query, LongPredicate done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long c = count(index, query);
        while (!done.test(c) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            c = count(index, query);
        }
        return c;
    }
}
