package org.fenghuo.dashboards.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions in memory: a restart logs everyone out, which a duty shift survives (log in again) and which keeps no
 * session secret on disk. Expired sessions are dropped on access and by {@link #purgeExpired}.
 */
public final class SessionStore {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;

    public SessionStore(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    public Session open(User user) {
        Instant now = clock.instant();
        Session s = new Session(token(), user, token(), now, now.plus(ttl));
        sessions.put(s.id(), s);
        return s;
    }

    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) return Optional.empty();
        Session s = sessions.get(id);
        if (s == null) return Optional.empty();
        if (s.expiredAt(clock.instant())) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    public void close(String id) {
        if (id != null) sessions.remove(id);
    }

    public int purgeExpired() {
        Instant now = clock.instant();
        int before = sessions.size();
        sessions.values().removeIf(s -> s.expiredAt(now));
        return before - sessions.size();
    }

    public int size() {
        return sessions.size();
    }

    public Duration ttl() {
        return ttl;
    }

    /** Compares a presented CSRF token with the session's in constant time. */
    public static boolean csrfMatches(Session s, String presented) {
        return presented != null && MessageDigest.isEqual(s.csrfToken().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                presented.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static String token() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
