package org.fenghuo.dashboards;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.fenghuo.core.config.ConfigException;
import org.fenghuo.core.config.Setting;
import org.fenghuo.core.config.Settings;

/** The dashboards service's configuration, declared once and parsed once (arguments {@code --name=value} or env). */
public record DashboardConfig(
        String host,
        int port,
        String kafkaBootstrap,
        List<String> elasticsearchHosts,
        String elasticsearchUsername,
        String elasticsearchPassword,
        Path regionFile,
        Path usersFile,
        Duration sessionTtl,
        boolean secureCookies,
        int loginMaxFailures,
        Duration loginLockout,
        int exportMaxRows) {

    public static final Setting<String> HOST = Setting.string("fenghuo.dashboard.host", "127.0.0.1",
            "address the HTTP service listens on (0.0.0.0 for every interface)");
    public static final Setting<Integer> PORT = Setting.integer("fenghuo.dashboard.port", 8080, 0, 65535,
            "HTTP port (0 picks a free one)");
    public static final Setting<String> KAFKA = Setting.string("fenghuo.kafka.bootstrap", null,
            "Kafka bootstrap servers, host:port[,host:port] (live alerts from 'alerts', actions to 'alert.actions')");
    public static final Setting<String> ES_HOSTS = Setting.string("fenghuo.elasticsearch.hosts", null,
            "Elasticsearch URLs, comma-separated, e.g. http://127.0.0.1:9200");
    public static final Setting<String> ES_USER = Setting.string("fenghuo.elasticsearch.username", null,
            "Elasticsearch user for basic authentication (with security enabled)");
    public static final Setting<String> ES_PASSWORD = Setting.string("fenghuo.elasticsearch.password", null,
            "password of fenghuo.elasticsearch.username").secret();
    public static final Setting<String> REGIONS = Setting.string("fenghuo.regions.file", null,
            "GeoJSON region file (DESIGN §4), for the map and region names");
    public static final Setting<String> USERS = Setting.string("fenghuo.dashboard.users-file", null,
            "users file (JSON: name, role, scope, bcrypt passwordHash); see dashboards/README.md");
    public static final Setting<Duration> SESSION_TTL = Setting.duration("fenghuo.dashboard.session-ttl",
            Duration.ofHours(12), Duration.ofMinutes(1), Duration.ofDays(7), "how long a login lasts (a duty shift)");
    public static final Setting<Boolean> SECURE_COOKIES = Setting.bool("fenghuo.dashboard.secure-cookies", false,
            "mark the session cookie Secure (set true behind HTTPS)");
    public static final Setting<Integer> LOGIN_MAX_FAILURES = Setting.integer("fenghuo.dashboard.login-max-failures", 5, 1, 100,
            "failed logins of one user name or one address before it is locked out for a while");
    public static final Setting<Duration> LOGIN_LOCKOUT = Setting.duration("fenghuo.dashboard.login-lockout",
            Duration.ofMinutes(15), Duration.ofSeconds(1), Duration.ofDays(1), "how long a locked-out login waits");
    public static final Setting<Integer> EXPORT_MAX_ROWS = Setting.integer("fenghuo.dashboard.export-max-rows", 10_000, 1, 10_000,
            "largest CSV export (Elasticsearch's result window caps it at 10,000)");

    public static final List<Setting<?>> ALL = List.of(HOST, PORT, KAFKA, ES_HOSTS, ES_USER, ES_PASSWORD, REGIONS, USERS,
            SESSION_TTL, SECURE_COOKIES, LOGIN_MAX_FAILURES, LOGIN_LOCKOUT, EXPORT_MAX_ROWS);

    public static DashboardConfig from(Settings s) {
        String user = s.get(ES_USER);
        String password = s.get(ES_PASSWORD);
        if ((user == null) != (password == null)) {
            throw new ConfigException("settings " + ES_USER.name() + " and " + ES_PASSWORD.name() + " go together: set both or neither");
        }
        return new DashboardConfig(s.get(HOST), s.get(PORT), s.require(KAFKA), s.httpUrls(ES_HOSTS), user, password,
                Path.of(s.readableFile(REGIONS)), Path.of(s.readableFile(USERS)), s.get(SESSION_TTL), s.get(SECURE_COOKIES),
                s.get(LOGIN_MAX_FAILURES), s.get(LOGIN_LOCKOUT), s.get(EXPORT_MAX_ROWS));
    }

    @Override
    public String toString() {
        return "DashboardConfig[" + host + ":" + port + ", kafka=" + kafkaBootstrap + ", elasticsearch=" + elasticsearchHosts
                + (elasticsearchUsername == null ? "" : " as " + elasticsearchUsername) + ", regions=" + regionFile
                + ", users=" + usersFile + ", sessionTtl=" + sessionTtl + "]";
    }
}
