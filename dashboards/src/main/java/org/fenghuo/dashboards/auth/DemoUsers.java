package org.fenghuo.dashboards.auth;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.fenghuo.core.region.Region;
import org.fenghuo.core.region.RegionHierarchy;
import org.fenghuo.core.region.RegionLevel;

/** The demo's users: {@code admin} and {@code analyst} for the whole city, one {@code duty-<districtCode>} per district. */
public final class DemoUsers {
    public static final String PASSWORD_ENV = "FENGHUO_DEMO_PASSWORD";
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";

    private DemoUsers() {}

    public static List<User> create(RegionHierarchy regions, String password) {
        List<User> users = new ArrayList<>();
        users.add(new User("admin", Role.ADMIN, "", PasswordHasher.hash(password, PasswordHasher.DEFAULT_COST)));
        users.add(new User("analyst", Role.ANALYST, "", PasswordHasher.hash(password, PasswordHasher.DEFAULT_COST)));
        for (Region d : regions.all(RegionLevel.DISTRICT)) {
            users.add(new User("duty-" + d.code(), Role.DUTY_OFFICER, d.code(), PasswordHasher.hash(password, PasswordHasher.DEFAULT_COST)));
        }
        return users;
    }

    /** The password from {@value #PASSWORD_ENV}, or a fresh random one (the demo prints it). */
    public static String password(java.util.Map<String, String> env) {
        String given = env.get(PASSWORD_ENV);
        if (given != null && !given.isBlank()) {
            if (given.length() < 8) throw new org.fenghuo.core.config.ConfigException(PASSWORD_ENV + " must be at least 8 characters long");
            return given;
        }
        SecureRandom r = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 14; i++) b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        return b.toString();
    }
}
