package org.fenghuo.dashboards.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** bcrypt hashes for the users file. */
public final class PasswordHasher {
    /** Cost of new hashes: about 50–100 ms per check on a small server, slow enough to resist offline guessing. */
    public static final int DEFAULT_COST = 10;
    // checked when the user name is unknown, so that a wrong name costs as much time as a wrong password
    private static final String DECOY = hash("decoy-password-never-valid", DEFAULT_COST);

    private PasswordHasher() {}

    public static String hash(String password, int cost) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    public static boolean isHash(String text) {
        return text != null && text.matches("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}");
    }

    public static boolean matches(String password, String hash) {
        if (password == null || hash == null) return false;
        return BCrypt.verifyer().verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    /** Spends the time of one check without a user, then answers false. */
    public static boolean decoyCheck(String password) {
        matches(password == null ? "" : password, DECOY);
        return false;
    }
}
