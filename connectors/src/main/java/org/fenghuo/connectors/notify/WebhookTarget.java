package org.fenghuo.connectors.notify;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.fenghuo.core.alert.Alert;
import org.fenghuo.core.alert.AlertLevel;
import org.fenghuo.core.alert.AlertNotification;
import org.fenghuo.core.model.EventRegion;

/**
 * One webhook the notifier posts to, and which notifications it wants.
 *
 * <p>A notification is sent to this target when all of these hold:
 * <ul>
 *   <li>the alert's level is at least {@link #minLevel} (default BLUE: every level);</li>
 *   <li>{@link #regionPrefixes} is empty, or one of the alert's region codes (district, street, community,
 *       grid, and the {@code responsibleRegion} an escalation moved it to) starts with one of the prefixes;</li>
 *   <li>{@link #reasons} is empty, or contains the notification's reason.</li>
 * </ul>
 *
 * <p>The {@link #headers} are secret (they usually carry an access token): {@link #toString()} masks their values,
 * and the notifier never logs them. The URL is treated as secret too (many chat webhooks carry their key in the path
 * or the query), so only {@link #redactedUrl()} appears in logs and messages.
 *
 * <p>Config strings ({@link #parse}): {@code URL[;key=value]...}, e.g.
 * {@code https://ops.example/hook;minLevel=ORANGE;regions=339901,339902;reasons=NEW,ESCALATED;name=district-1}.
 * Keys (case-insensitive): {@code name}, {@code minLevel}, {@code regions}, {@code reasons},
 * {@code header.<Name>}. Values are percent-decoded, so {@code header.Authorization=Bearer%20TOKEN} sends
 * {@code Authorization: Bearer TOKEN}.
 *
 * @param name           a short name for logs and metrics; {@link #parse} defaults it to the URL's host[:port]
 * @param url            absolute http or https URL
 * @param minLevel       the least severe level sent; null means BLUE
 * @param regionPrefixes region code prefixes (digits); empty means every region
 * @param reasons        the reasons sent; empty means every reason
 * @param headers        extra request headers, e.g. {@code Authorization}; values are secret
 */
public record WebhookTarget(String name, URI url, AlertLevel minLevel, Set<String> regionPrefixes,
                            Set<AlertNotification.Reason> reasons, Map<String, String> headers)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Pattern REGION_PREFIX = Pattern.compile("\\d{1,15}");
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}._:@/+-]{1,64}");
    /** RFC 9110 token. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern URL_AUTHORITY = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)(.*)$", Pattern.DOTALL);
    /** Set by the notifier, or refused by {@link java.net.http.HttpClient}. */
    private static final Set<String> RESERVED_HEADERS = Set.of("content-type", "content-length", "host", "connection",
            "expect", "upgrade", "transfer-encoding", "te", "trailer", "keep-alive", "proxy-connection");
    private static final String RESERVED_HEADER_PREFIX = "x-fenghuo-";
    private static final String FORMAT_HINT =
            "expected URL[;name=NAME][;minLevel=LEVEL][;regions=CODE,...][;reasons=REASON,...][;header.NAME=VALUE]";

    public WebhookTarget {
        String label = "webhook '" + (url != null ? redact(url.toString()) : name) + "'";
        if (url == null) {
            throw new IllegalArgumentException(label + ": url is required");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(label + ": url must be http or https");
        }
        if (url.getHost() == null || url.getHost().isBlank()) {
            throw new IllegalArgumentException(label + ": url has no host (write e.g. https://ops.example/hook)");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException(label + ": url must not carry user:password; send credentials as a header,"
                    + " e.g. header.Authorization=Basic%20BASE64");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(label + ": name is required (a short name for logs and metrics, e.g. district-1)");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(label + ": name must be 1-64 letters, digits or . _ : @ / + -");
        }
        minLevel = minLevel == null ? AlertLevel.BLUE : minLevel;
        Set<String> prefixes = new LinkedHashSet<>();
        if (regionPrefixes != null) {
            for (String p : regionPrefixes) {
                String code = p == null ? "" : p.strip();
                if (!REGION_PREFIX.matcher(code).matches()) {
                    throw new IllegalArgumentException(label + ": regions '" + p + "' is not a region code prefix"
                            + " (1-15 digits of a statistical division code, e.g. 339901)");
                }
                prefixes.add(code);
            }
        }
        regionPrefixes = Collections.unmodifiableSet(prefixes);
        Set<AlertNotification.Reason> rs = EnumSet.noneOf(AlertNotification.Reason.class);
        if (reasons != null) {
            for (AlertNotification.Reason r : reasons) {
                if (r == null) {
                    throw new IllegalArgumentException(label + ": reasons must not contain null");
                }
                rs.add(r);
            }
        }
        reasons = Collections.unmodifiableSet(rs);
        Map<String, String> hs = new LinkedHashMap<>();
        if (headers != null) {
            for (Map.Entry<String, String> h : headers.entrySet()) {
                String key = h.getKey();
                if (key == null || !HEADER_NAME.matcher(key).matches()) {
                    throw new IllegalArgumentException(label + ": header name '" + key + "' is not a valid HTTP header name");
                }
                String lower = key.toLowerCase(Locale.ROOT);
                if (RESERVED_HEADERS.contains(lower) || lower.startsWith(RESERVED_HEADER_PREFIX)) {
                    throw new IllegalArgumentException(label + ": header '" + key + "' is set by the notifier and cannot be configured");
                }
                if (hs.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(key))) {
                    throw new IllegalArgumentException(label + ": header '" + key + "' is given twice");
                }
                String value = h.getValue();
                if (value == null || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                    // the value is secret: never echo it
                    throw new IllegalArgumentException(label + ": header '" + key + "' needs a value without line breaks");
                }
                hs.put(key, value);
            }
        }
        headers = Collections.unmodifiableMap(hs);
    }

    /** A target that receives every notification. */
    public static WebhookTarget of(String name, URI url) {
        return new WebhookTarget(name, url, AlertLevel.BLUE, Set.of(), Set.of(), Map.of());
    }

    /** A target that receives every notification; {@code url} must be absolute http(s). */
    public static WebhookTarget of(String name, String url) {
        return of(name, toUri(url, "webhook '" + name + "'"));
    }

    public WebhookTarget withMinLevel(AlertLevel level) {
        return new WebhookTarget(name, url, level, regionPrefixes, reasons, headers);
    }

    public WebhookTarget withRegions(String... prefixes) {
        return new WebhookTarget(name, url, minLevel, new LinkedHashSet<>(Arrays.asList(prefixes)), reasons, headers);
    }

    public WebhookTarget withReasons(AlertNotification.Reason... rs) {
        return new WebhookTarget(name, url, minLevel, regionPrefixes, new LinkedHashSet<>(Arrays.asList(rs)), headers);
    }

    /** Adds a request header; its value is treated as secret. */
    public WebhookTarget withHeader(String headerName, String value) {
        Map<String, String> hs = new LinkedHashMap<>(headers);
        hs.put(headerName, value);
        return new WebhookTarget(name, url, minLevel, regionPrefixes, reasons, hs);
    }

    /** Whether this target wants the notification (level, region prefix and reason; see the class comment). */
    public boolean accepts(AlertNotification notification) {
        if (notification == null || notification.alert() == null) {
            return false;
        }
        Alert alert = notification.alert();
        if (alert.level() == null || !alert.level().isAtLeast(minLevel)) {
            return false;
        }
        if (!reasons.isEmpty() && !reasons.contains(notification.reason())) {
            return false;
        }
        if (regionPrefixes.isEmpty()) {
            return true;
        }
        EventRegion r = alert.region();
        if (r != null && (matchesRegion(r.district()) || matchesRegion(r.street())
                || matchesRegion(r.community()) || matchesRegion(r.grid()))) {
            return true;
        }
        return matchesRegion(alert.responsibleRegion());
    }

    private boolean matchesRegion(String code) {
        if (code == null || code.isEmpty()) {
            return false;
        }
        for (String prefix : regionPrefixes) {
            if (code.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The URL without path, query or credentials ({@code https://ops.example/…}): safe for logs. */
    public String redactedUrl() {
        return redact(url.toString());
    }

    /** Masks header values and the URL's path and query, which may be secret. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("WebhookTarget[name=").append(name)
                .append(", url=").append(redactedUrl())
                .append(", minLevel=").append(minLevel);
        if (!regionPrefixes.isEmpty()) {
            b.append(", regions=").append(String.join(",", regionPrefixes));
        }
        if (!reasons.isEmpty()) {
            b.append(", reasons=").append(reasons.stream().map(Enum::name).collect(Collectors.joining(",")));
        }
        if (!headers.isEmpty()) {
            b.append(", headers=").append(headers.keySet().stream().map(k -> k + ": ***").collect(Collectors.joining(", ", "{", "}")));
        }
        return b.append(']').toString();
    }

    // ------------------------------------------------------------------ config strings

    /**
     * Parses several webhook specs separated by whitespace or {@code |}. Blank text gives an empty list (no
     * webhooks configured). Every bad spec is reported in one exception.
     *
     * @throws IllegalArgumentException naming each bad spec and what to write instead
     */
    public static List<WebhookTarget> parseList(String specs) {
        List<WebhookTarget> targets = new ArrayList<>();
        if (specs == null || specs.isBlank()) {
            return targets;
        }
        List<String> errors = new ArrayList<>();
        String[] parts = specs.strip().split("[\\s|]+");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            try {
                targets.add(parse(parts[i]));
            } catch (IllegalArgumentException e) {
                String msg = e.getMessage();
                if (!parts[i].contains("://")) {
                    msg = "webhook #" + (i + 1) + " does not start with an http(s) URL (separate webhooks by spaces or '|';"
                            + " write a space inside a value as %20, e.g. header.Authorization=Bearer%20TOKEN)";
                }
                errors.add(msg);
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
        return targets;
    }

    /**
     * Parses one webhook spec: {@code URL[;key=value]...}; see the class comment for the keys.
     *
     * @throws IllegalArgumentException naming the bad part and how to fix it
     */
    public static WebhookTarget parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("webhook spec is empty: " + FORMAT_HINT);
        }
        String[] parts = spec.strip().split(";");
        String rawUrl = parts[0].strip();
        String label = "webhook '" + redact(rawUrl) + "'";
        URI url = toUri(rawUrl, label);
        String name = null;
        AlertLevel minLevel = null;
        Set<String> regions = new LinkedHashSet<>();
        Set<AlertNotification.Reason> reasons = new LinkedHashSet<>();
        Map<String, String> headers = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                String shown = eq == 0 ? "=…" : part.length() > 20 ? part.substring(0, 20) + "…" : part;
                throw new IllegalArgumentException(label + ": option '" + shown + "' is not key=value; " + FORMAT_HINT);
            }
            String key = part.substring(0, eq).strip();
            String lowerKey = key.toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).strip();
            if (!seen.add(lowerKey)) {
                throw new IllegalArgumentException(label + ": option '" + key + "' is given twice");
            }
            if (lowerKey.startsWith("header.")) {
                String headerName = key.substring("header.".length());
                headers.put(headerName, percentDecode(value, label + ": header '" + headerName + "'", false));
                continue;
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException(label + ": option '" + key + "' has no value; " + FORMAT_HINT);
            }
            value = percentDecode(value, label + ": option '" + key + "'", true);
            switch (lowerKey) {
                case "name" -> name = value;
                case "minlevel", "level" -> minLevel = parseLevel(value, label);
                case "regions", "region" -> {
                    for (String code : value.split(",")) {
                        if (!code.isBlank()) {
                            regions.add(code.strip());
                        }
                    }
                }
                case "reasons", "reason" -> {
                    for (String r : value.split(",")) {
                        if (!r.isBlank()) {
                            reasons.add(parseReason(r.strip(), label));
                        }
                    }
                }
                default -> throw new IllegalArgumentException(label + ": unknown option '" + key
                        + "' (known: name, minLevel, regions, reasons, header.<Name>)");
            }
        }
        if (name == null) {
            name = url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "");
        }
        return new WebhookTarget(name, url, minLevel, regions, reasons, headers);
    }

    private static AlertLevel parseLevel(String value, String label) {
        for (AlertLevel l : AlertLevel.values()) {
            if (l.name().equalsIgnoreCase(value) || l.label().equals(value)) {
                return l;
            }
        }
        throw new IllegalArgumentException(label + ": minLevel '" + value + "' unknown: one of "
                + Arrays.stream(AlertLevel.values()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    private static AlertNotification.Reason parseReason(String value, String label) {
        for (AlertNotification.Reason r : AlertNotification.Reason.values()) {
            if (r.name().equalsIgnoreCase(value)) {
                return r;
            }
        }
        throw new IllegalArgumentException(label + ": reason '" + value + "' unknown: one of "
                + Arrays.stream(AlertNotification.Reason.values()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    private static URI toUri(String raw, String label) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException(label + ": url is missing; " + FORMAT_HINT);
        }
        URI uri;
        try {
            uri = new URI(raw.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(label + ": url is not a valid URI (" + e.getReason()
                    + "; percent-encode spaces and special characters)");
        }
        if (!uri.isAbsolute()) {
            throw new IllegalArgumentException(label + ": url must be absolute http or https, e.g. https://ops.example/hook");
        }
        return uri;
    }

    /** Strict %XX decoding; {@code +} stays a plus. A bad escape is reported without echoing the (secret) value. */
    private static String percentDecode(String value, String what, boolean echo) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        byte[] out = new byte[value.length() * 4];
        int n = 0;
        for (int i = 0; i < value.length(); ) {
            char c = value.charAt(i);
            if (c == '%') {
                int hi = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
                int lo = i + 2 < value.length() ? Character.digit(value.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new IllegalArgumentException(what + (echo ? " value '" + value + "'" : "")
                            + " has a bad %-escape: write %XX with two hex digits (%25 for a literal %)");
                }
                out[n++] = (byte) (hi * 16 + lo);
                i += 3;
            } else {
                int cp = value.codePointAt(i);
                byte[] bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(bytes, 0, out, n, bytes.length);
                n += bytes.length;
                i += Character.charCount(cp);
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** {@code scheme://host[:port]} plus {@code /…} when there was more; user info is dropped. */
    static String redact(String rawUrl) {
        if (rawUrl == null) {
            return "?";
        }
        Matcher m = URL_AUTHORITY.matcher(rawUrl.strip());
        if (!m.matches()) {
            return rawUrl.length() > 24 ? rawUrl.substring(0, 24) + "…" : rawUrl;
        }
        String authority = m.group(2);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        String rest = m.group(3);
        return m.group(1) + authority + (rest.isEmpty() || rest.equals("/") ? rest : "/…");
    }

    /** Names of targets that occur more than once in {@code targets}. */
    static Set<String> duplicateNames(Collection<WebhookTarget> targets) {
        Set<String> seen = new LinkedHashSet<>();
        Set<String> dup = new LinkedHashSet<>();
        for (WebhookTarget t : targets) {
            if (!seen.add(t.name())) {
                dup.add(t.name());
            }
        }
        return dup;
    }
}
