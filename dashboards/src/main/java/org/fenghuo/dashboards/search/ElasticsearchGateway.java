package org.fenghuo.dashboards.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.fenghuo.dashboards.api.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Elasticsearch as the dashboards read it: JSON query bodies in, JSON out. Unreachable or failing Elasticsearch
 * becomes a 503 that says so, never a stack trace in the page.
 */
public final class ElasticsearchGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchGateway.class);
    private final RestClient client;
    private final ObjectMapper json;

    public ElasticsearchGateway(RestClient client, ObjectMapper json) {
        this.client = client;
        this.json = json;
    }

    public static ElasticsearchGateway connect(List<String> hosts, String username, String password, ObjectMapper json) {
        HttpHost[] hh = hosts.stream().map(URI::create).map(u -> new HttpHost(u.getHost(), u.getPort(), u.getScheme())).toArray(HttpHost[]::new);
        RestClientBuilder b = RestClient.builder(hh).setRequestConfigCallback(c -> c.setConnectTimeout(3_000).setSocketTimeout(30_000));
        if (username != null) {
            BasicCredentialsProvider creds = new BasicCredentialsProvider();
            creds.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(username, password));
            b.setHttpClientConfigCallback(h -> h.setDefaultCredentialsProvider(creds));
        }
        return new ElasticsearchGateway(b.build(), json);
    }

    public JsonNode search(String index, JsonNode body) {
        return call("POST", "/" + index + "/_search", body);
    }

    public JsonNode count(String index, JsonNode body) {
        return call("POST", "/" + index + "/_count", body);
    }

    private JsonNode call(String method, String path, JsonNode body) {
        Request r = new Request(method, path);
        try {
            r.setEntity(new NStringEntity(json.writeValueAsString(body), ContentType.APPLICATION_JSON));
            Response response = client.performRequest(r);
            try (InputStream in = response.getEntity().getContent()) {
                return json.readTree(in);
            }
        } catch (ResponseException e) {
            int status = e.getResponse().getStatusLine().getStatusCode();
            LOG.warn("Elasticsearch answered {} to {} {}: {}", status, method, path, e.getMessage());
            throw new ApiException(503, "Elasticsearch 拒绝了查询 (HTTP " + status + ")，请稍后再试或联系运维");
        } catch (IOException e) {
            LOG.warn("Elasticsearch unreachable for {} {}: {}", method, path, e.toString());
            throw new ApiException(503, "Elasticsearch 暂时不可用，请稍后再试");
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
