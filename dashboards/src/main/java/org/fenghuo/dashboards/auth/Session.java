package org.fenghuo.dashboards.auth;

import java.time.Instant;

/** A logged-in user: the cookie carries {@code id}; state-changing requests must also carry {@code csrfToken}. */
public record Session(String id, User user, String csrfToken, Instant createdAt, Instant expiresAt) {
    public boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "Session[" + user + ", expires " + expiresAt + "]"; // never the tokens
    }
}
