package org.fenghuo.dashboards.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import com.fasterxml.jackson.core.JsonProcessingException;

/** Request bodies: JSON objects, or a 400 that says what is wrong. */
final class Json {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Json() {}

    static JsonNode body(Context ctx) {
        String text = ctx.body();
        if (text == null || text.isBlank()) throw ApiException.badRequest("the request body must be a JSON object");
        try {
            JsonNode n = JSON.readTree(text);
            if (n == null || !n.isObject()) throw ApiException.badRequest("the request body must be a JSON object");
            return n;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
