package org.fenghuo.connectors.elasticsearch;

import org.fenghuo.connectors.Validate;

import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * Where Elasticsearch is and how to authenticate: shared by {@link ElasticsearchSink} and
 * {@link IndexBootstrap}. Serializable because it travels inside the sink to the task managers, where
 * each writer opens its own client.
 */
public final class ElasticsearchConnection implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private final List<String> hosts;
    private final String username;
    private final String password;
    private final String apiKey;
    private final Duration connectTimeout;
    private final Duration socketTimeout;

    private ElasticsearchConnection(Builder b) {
        this.hosts = List.copyOf(b.hosts);
        this.username = b.username;
        this.password = b.password;
        this.apiKey = b.apiKey;
        this.connectTimeout = b.connectTimeout;
        this.socketTimeout = b.socketTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Convenience for local use: no authentication, default timeouts. */
    public static ElasticsearchConnection of(String... hosts) {
        return builder().hosts(List.of(hosts)).build();
    }

    public List<String> hosts() {
        return hosts;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration socketTimeout() {
        return socketTimeout;
    }

    /** The low-level client; the caller closes it. */
    public RestClient createRestClient() {
        HttpHost[] httpHosts = hosts.stream().map(ElasticsearchConnection::toHttpHost).toArray(HttpHost[]::new);
        RestClientBuilder builder = RestClient.builder(httpHosts)
                .setRequestConfigCallback(rc -> rc
                        .setConnectTimeout((int) connectTimeout.toMillis())
                        .setSocketTimeout((int) socketTimeout.toMillis()));
        List<Header> headers = new ArrayList<>();
        if (apiKey != null) {
            headers.add(new BasicHeader("Authorization", "ApiKey " + apiKey));
        }
        if (!headers.isEmpty()) {
            builder.setDefaultHeaders(headers.toArray(Header[]::new));
        }
        if (username != null) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(username, password));
            builder.setHttpClientConfigCallback(hc -> hc.setDefaultCredentialsProvider(credentials));
        }
        return builder.build();
    }

    /** A Java-client transport over a new low-level client; closing the transport closes the client. */
    public RestClientTransport createTransport() {
        return new RestClientTransport(createRestClient(), new JacksonJsonpMapper());
    }

    private static HttpHost toHttpHost(String url) {
        URI uri = URI.create(url);
        int port = uri.getPort() != -1 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 9200);
        return new HttpHost(uri.getHost(), port, uri.getScheme());
    }

    /** Never prints secrets. */
    @Override
    public String toString() {
        return "ElasticsearchConnection[hosts=" + hosts
                + (username != null ? ", username=" + username + ", password=***" : "")
                + (apiKey != null ? ", apiKey=***" : "")
                + ", connectTimeout=" + connectTimeout + ", socketTimeout=" + socketTimeout + "]";
    }

    public static final class Builder {
        private List<String> hosts = List.of();
        private String username;
        private String password;
        private String apiKey;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;

        private Builder() {}

        /** One or more {@code http://host:port} or {@code https://host:port} URLs. Required. */
        public Builder hosts(List<String> hosts) {
            this.hosts = hosts == null ? List.of()
                    : hosts.stream().map(h -> h == null ? "" : h.trim()).toList();
            return this;
        }

        public Builder hosts(String... hosts) {
            return hosts(List.of(hosts));
        }

        /** HTTP basic authentication; mutually exclusive with {@link #apiKey(String)}. */
        public Builder basicAuth(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        /** The encoded API key ({@code base64(id:key)}) as Elasticsearch returns it. */
        public Builder apiKey(String encodedApiKey) {
            this.apiKey = encodedApiKey;
            return this;
        }

        /** Convenience for an API key given as its id and secret. */
        public Builder apiKey(String id, String secret) {
            this.apiKey = Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /** Upper bound for one bulk round trip; a timed-out request is retried like a connection error. */
        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = socketTimeout;
            return this;
        }

        public ElasticsearchConnection build() {
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("hosts is required: at least one http(s)://host:port URL");
            }
            for (String host : hosts) {
                validateUrl(host);
            }
            if ((username == null) != (password == null)) {
                throw new IllegalArgumentException("basicAuth needs both username and password");
            }
            if (username != null && username.isBlank()) {
                throw new IllegalArgumentException("basicAuth username must not be blank");
            }
            if (username != null && apiKey != null) {
                throw new IllegalArgumentException("set either basicAuth or apiKey, not both");
            }
            if (apiKey != null && apiKey.isBlank()) {
                throw new IllegalArgumentException("apiKey must not be blank");
            }
            Validate.durationInRange("connectTimeout", connectTimeout, Duration.ofMillis(1), Duration.ofMinutes(10));
            Validate.durationInRange("socketTimeout", socketTimeout, Duration.ofMillis(1), Duration.ofHours(1));
            return new ElasticsearchConnection(this);
        }

        private static void validateUrl(String url) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("hosts: '" + url + "' is not a URL (expected http(s)://host:port)");
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("hosts: '" + url + "' is not a URL (expected http(s)://host:port)");
            }
            if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
                throw new IllegalArgumentException("hosts: '" + url + "' must not have a path");
            }
        }
    }
}
