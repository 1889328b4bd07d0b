package org.fenghuo.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The repository the deployment files live in, and the parsed files the tests share. */
final class Repo {
    /** Duplicate keys are an error, as they are for docker compose (otherwise the last one would silently win). */
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    static final ObjectMapper JSON = new ObjectMapper();

    /** The repository root: Maven runs the tests in deploy/, so normally the parent of the working directory. */
    static final Path ROOT = findRoot();

    private Repo() {}

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker-compose.yml")) && Files.isDirectory(p.resolve("deploy"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (a directory with docker-compose.yml and deploy/) at or above " + dir);
    }

    static Path path(String relative) {
        return ROOT.resolve(relative).normalize();
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + relative, e);
        }
    }

    static JsonNode yaml(String relative) {
        try {
            return YAML.readTree(read(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(relative + " is not valid YAML", e);
        }
    }

    static JsonNode compose() {
        return yaml("docker-compose.yml");
    }

    /** The compose services by name, in file order. */
    static Map<String, JsonNode> services(JsonNode compose) {
        Map<String, JsonNode> services = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = compose.path("services").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            services.put(e.getKey(), e.getValue());
        }
        return services;
    }

    /** A service's environment as a map, whether written as a map or as a list of KEY=value. */
    static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode node = service.path("environment");
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                String s = item.asText();
                int eq = s.indexOf('=');
                env.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return env;
    }

    /** The names a service depends on, whether depends_on is a list or a map. */
    static Map<String, String> dependsOn(JsonNode service) {
        Map<String, String> deps = new LinkedHashMap<>();
        JsonNode node = service.path("depends_on");
        if (node.isArray()) {
            for (JsonNode item : node) deps.put(item.asText(), "service_started");
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> deps.put(e.getKey(), e.getValue().path("condition").asText("service_started")));
        }
        return deps;
    }

    /** A node that may be a string or a list of strings (command, entrypoint) as a list. */
    static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (!node.isMissingNode() && !node.isNull()) {
            out.add(node.asText());
        }
        return out;
    }
}
