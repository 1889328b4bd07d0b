package org.fenghuo.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.fenghuo.core.json.Json;

/** Counts what the demo has indexed, for its status line. */
final class StatusProbe {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String es;

    StatusProbe(String elasticsearchUrl) {
        this.es = elasticsearchUrl;
    }

    long count(String index) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(es + "/" + index + "/_count"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Json.mapper().readTree(r.body()).path("count").asLong(-1) : -1;
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    String status() {
        return "indexed " + count("fenghuo-events") + " events, " + count("fenghuo-deadletters") + " dead letters";
    }
}
