package org.fenghuo.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.fenghuo.core.json.Json;

/** Asks Elasticsearch what the demo (or a benchmark) has indexed: counts for the status line, and which ids are searchable. */
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

    /**
     * Which of {@code values} (at most 10,000 are asked) some document of {@code index} holds in the keyword
     * {@code field}, dotted for nested objects; arrays on the way are followed.
     */
    java.util.Set<String> found(String index, String field, java.util.Collection<String> values)
            throws java.io.IOException, InterruptedException {
        com.fasterxml.jackson.databind.node.ObjectNode body = Json.mapper().createObjectNode().put("size", 10_000);
        body.putArray("_source").add(field);
        com.fasterxml.jackson.databind.node.ArrayNode terms = body.putObject("query").putObject("terms").putArray(field);
        values.stream().limit(10_000).forEach(terms::add);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(es + "/" + index + "/_search"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        java.util.Set<String> out = new java.util.HashSet<>();
        for (com.fasterxml.jackson.databind.JsonNode h : Json.mapper().readTree(r.body()).path("hits").path("hits")) {
            collect(h.path("_source"), field.split("\\."), 0, out);
        }
        out.retainAll(values instanceof java.util.Set<?> ? values : new java.util.HashSet<>(values));
        return out;
    }

    private static void collect(com.fasterxml.jackson.databind.JsonNode node, String[] path, int i, java.util.Set<String> out) {
        if (node.isArray()) {
            for (com.fasterxml.jackson.databind.JsonNode n : node) collect(n, path, i, out);
        } else if (i == path.length) {
            if (node.isValueNode()) out.add(node.asText());
        } else {
            collect(node.path(path[i]), path, i + 1, out);
        }
    }

    String status() {
        return "indexed " + count("fenghuo-events") + " events, " + count("fenghuo-deadletters") + " dead letters";
    }
}
