package org.fenghuo.core.privacy;

/** Display masks of DESIGN §3: phone {@code 138****5678}, identity number {@code 110105********1234}, name {@code 张*}. */
public final class Masking {
    private Masking() {}

    public static String phone(String phone) {
        if (phone == null) return null;
        String digits = phone.replaceAll("[^0-9]", "");
        if (digits.length() >= 11) {
            // mobile and long landline numbers: keep the carrier/area prefix and the last four digits
            return digits.substring(0, 3) + "****" + digits.substring(digits.length() - 4);
        }
        if (digits.length() > 4) return "*".repeat(digits.length() - 4) + digits.substring(digits.length() - 4);
        return "****";
    }

    public static String identityNumber(String id) {
        if (id == null) return null;
        String s = id.trim();
        if (s.length() == 18) return s.substring(0, 6) + "********" + s.substring(14).toUpperCase(java.util.Locale.ROOT);
        if (s.length() > 4) return "*".repeat(s.length() - 4) + s.substring(s.length() - 4);
        return "****";
    }

    /** First character kept, one star per remaining character ({@code 张三} → {@code 张*}). */
    public static String name(String name) {
        if (name == null) return null;
        String s = name.strip();
        if (s.isEmpty()) return s;
        int first = s.offsetByCodePoints(0, 1);
        int rest = s.codePointCount(first, s.length());
        return s.substring(0, first) + "*".repeat(Math.max(1, rest));
    }
}
