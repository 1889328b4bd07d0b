package org.fenghuo.connectors.elasticsearch;

import org.fenghuo.connectors.Validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, idempotently, the composable index template and the alias-backed write index for each of the
 * DESIGN §7 names: template {@code <name>} matching {@code <name>-*}, index {@code <name>-000001} with
 * alias {@code <name>} ({@code is_write_index: true}). Writers address only the alias, so a later
 * rollover or reindex does not touch the jobs, and replays overwrite by id within the write index.
 *
 * <p>Uses only what the minimal Elasticsearch build offers (no ILM, no ingest pipelines, no {@code GET
 * /}). Safe to run from several processes at once: "already exists" from a concurrent run counts as
 * success. Existing indices get the template's mappings added, so new fields reach them without a
 * reindex (a conflicting change fails loudly instead).
 */
public final class IndexBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(IndexBootstrap.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEMPLATE_RESOURCES = "/org/fenghuo/connectors/elasticsearch/templates/";

    public enum Outcome {
        /** This run created the write index and alias. */
        CREATED,
        /** The alias already existed (its template and mappings were refreshed). */
        EXISTED
    }

    private final ElasticsearchConnection connection;
    private final int replicas;
    private final List<String> names;

    private IndexBootstrap(Builder b) {
        this.connection = b.connection;
        this.replicas = b.replicas;
        this.names = List.copyOf(b.names);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Bootstraps the five Fenghuo names with the given replica count. */
    public static Map<String, Outcome> run(ElasticsearchConnection connection, int replicas) throws IOException {
        return builder().connection(connection).replicas(replicas).build().run();
    }

    public Map<String, Outcome> run() throws IOException {
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        try (RestClient client = connection.createRestClient()) {
            for (String name : names) {
                ObjectNode template = template(name, replicas);
                putTemplate(client, name, template);
                Outcome outcome = ensureAlias(client, name, template.path("template").path("mappings"));
                outcomes.put(name, outcome);
                LOG.info("Elasticsearch index bootstrap: {} {} (template {}, write index {}-000001, replicas {})",
                        name, outcome == Outcome.CREATED ? "created" : "already existed", name, name, replicas);
            }
        }
        return outcomes;
    }

    /** The template body for {@code name} as it will be sent, with the replica count applied. */
    public static ObjectNode template(String name, int replicas) {
        String resource = TEMPLATE_RESOURCES + name + ".json";
        try (InputStream in = IndexBootstrap.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no index template resource for '" + name + "' (" + resource + ")");
            }
            ObjectNode template = (ObjectNode) JSON.readTree(in);
            ((ObjectNode) template.path("template").path("settings").path("index"))
                    .put("number_of_replicas", replicas);
            return template;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static void putTemplate(RestClient client, String name, ObjectNode template) throws IOException {
        Request put = new Request("PUT", "/_index_template/" + name);
        put.setEntity(json(template));
        perform(client, put, "put index template " + name);
    }

    private static Outcome ensureAlias(RestClient client, String alias, JsonNode mappings) throws IOException {
        if (aliasExists(client, alias)) {
            updateMappings(client, alias, mappings);
            return Outcome.EXISTED;
        }
        String index = alias + "-000001";
        Request create = new Request("PUT", "/" + index);
        ObjectNode body = JSON.createObjectNode();
        body.putObject("aliases").putObject(alias).put("is_write_index", true);
        create.setEntity(json(body));
        try {
            client.performRequest(create);
            return Outcome.CREATED;
        } catch (ResponseException e) {
            String type = errorType(e);
            if ("resource_already_exists_exception".equals(type)) {
                // Another process won the race, or the index survived without its alias: make sure the
                // alias is there (adding an existing alias is a no-op).
                addAlias(client, index, alias);
                updateMappings(client, alias, mappings);
                return Outcome.EXISTED;
            }
            if ("invalid_alias_name_exception".equals(type) || "invalid_index_name_exception".equals(type)) {
                throw new IllegalStateException("cannot create alias " + alias + ": a concrete index named " + alias
                        + " exists (typically auto-created by a writer that ran before IndexBootstrap). Reindex"
                        + " it into " + index + " or delete it, then run the bootstrap again. Elasticsearch said: "
                        + body(e), e);
            }
            throw new IOException("create index " + index + " with alias " + alias + " failed: " + body(e), e);
        }
    }

    private static boolean aliasExists(RestClient client, String alias) throws IOException {
        Request head = new Request("HEAD", "/_alias/" + alias);
        Response response = client.performRequest(head);
        int status = response.getStatusLine().getStatusCode();
        if (status == 200) {
            return true;
        }
        if (status == 404) {
            return false;
        }
        throw new IOException("HEAD /_alias/" + alias + " answered " + status);
    }

    private static void addAlias(RestClient client, String index, String alias) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode add = body.putArray("actions").addObject().putObject("add");
        add.put("index", index).put("alias", alias).put("is_write_index", true);
        Request post = new Request("POST", "/_aliases");
        post.setEntity(json(body));
        perform(client, post, "add alias " + alias + " to " + index);
    }

    private static void updateMappings(RestClient client, String alias, JsonNode mappings) throws IOException {
        Request put = new Request("PUT", "/" + alias + "/_mapping");
        put.setEntity(json(mappings));
        perform(client, put, "update the mappings of " + alias + " (a field changed type? that needs a new index)");
    }

    private static void perform(RestClient client, Request request, String what) throws IOException {
        try {
            client.performRequest(request);
        } catch (ResponseException e) {
            throw new IOException(what + " failed: " + body(e), e);
        }
    }

    private static StringEntity json(JsonNode node) throws IOException {
        return new StringEntity(JSON.writeValueAsString(node), ContentType.APPLICATION_JSON);
    }

    private static String body(ResponseException e) {
        try {
            return e.getResponse().getEntity() == null ? e.getMessage()
                    : EntityUtils.toString(e.getResponse().getEntity(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException ignored) {
            return e.getMessage();
        }
    }

    private static String errorType(ResponseException e) {
        try {
            return JSON.readTree(body(e)).path("error").path("type").asText(null);
        } catch (IOException ignored) {
            return null;
        }
    }

    public static final class Builder {
        private ElasticsearchConnection connection;
        private int replicas = 0;
        private List<String> names = FenghuoIndices.all();

        private Builder() {}

        /** Required. */
        public Builder connection(ElasticsearchConnection connection) {
            this.connection = connection;
            return this;
        }

        /** Replicas per index, 0..10: default 0 for a single local node; use 1 on a production cluster. */
        public Builder replicas(int replicas) {
            this.replicas = replicas;
            return this;
        }

        /** Which names to bootstrap; default all five of {@link FenghuoIndices}. Each needs a template resource. */
        public Builder names(List<String> names) {
            this.names = names;
            return this;
        }

        public IndexBootstrap build() {
            if (connection == null) {
                throw new IllegalArgumentException("connection is required");
            }
            Validate.intInRange("replicas", replicas, 0, 10);
            if (names == null || names.isEmpty()) {
                throw new IllegalArgumentException("names must list at least one index name");
            }
            for (String name : names) {
                Validate.indexName("names", name);
                if (IndexBootstrap.class.getResource(TEMPLATE_RESOURCES + name + ".json") == null) {
                    throw new IllegalArgumentException("names: no index template resource for '" + name + "'");
                }
            }
            return new IndexBootstrap(this);
        }
    }
}
