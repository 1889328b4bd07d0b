package org.fenghuo.core.ids;

/**
 * Check digits of the two national identifiers the feeds carry.
 * A record with a bad check digit is kept but must not be used to link records (DESIGN §2),
 * because a typo would otherwise merge two people or two enterprises.
 */
public final class CheckDigits {
    private CheckDigits() {}

    private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] ID_CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

    /** GB 11643-1999 (ISO 7064 MOD 11-2) check character for the first 17 digits. */
    public static char identityCheckChar(CharSequence first17) {
        if (first17.length() < 17) throw new IllegalArgumentException("need 17 digits");
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            char c = first17.charAt(i);
            if (c < '0' || c > '9') throw new IllegalArgumentException("not a digit at position " + (i + 1));
            sum += (c - '0') * ID_WEIGHTS[i];
        }
        return ID_CHECK[sum % 11];
    }

    /** True when {@code id} is 18 characters, 17 digits plus a valid GB 11643 check character (x accepted). */
    public static boolean isValidIdentityNumber(String id) {
        if (id == null || id.length() != 18) return false;
        for (int i = 0; i < 17; i++) if (id.charAt(i) < '0' || id.charAt(i) > '9') return false;
        return Character.toUpperCase(id.charAt(17)) == identityCheckChar(id);
    }

    /** The character set of GB 32100-2015 (no I, O, Z, S, V). */
    private static final String CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] CREDIT_WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    /** GB 32100-2015 check character for the first 17 characters of a unified social credit code. */
    public static char creditCheckChar(CharSequence first17) {
        if (first17.length() < 17) throw new IllegalArgumentException("need 17 characters");
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            int v = CREDIT_CHARS.indexOf(Character.toUpperCase(first17.charAt(i)));
            if (v < 0) throw new IllegalArgumentException("invalid character at position " + (i + 1));
            sum += v * CREDIT_WEIGHTS[i];
        }
        int check = (31 - sum % 31) % 31;
        return CREDIT_CHARS.charAt(check);
    }

    /** True when {@code code} is 18 characters of the GB 32100 set with a valid check character. */
    public static boolean isValidCreditCode(String code) {
        if (code == null || code.length() != 18) return false;
        for (int i = 0; i < 18; i++) if (CREDIT_CHARS.indexOf(Character.toUpperCase(code.charAt(i))) < 0) return false;
        return Character.toUpperCase(code.charAt(17)) == creditCheckChar(code);
    }

    /** Normalised identity number: upper-case X, trimmed. */
    public static String normalizeIdentityNumber(String id) {
        return id == null ? null : id.trim().toUpperCase(java.util.Locale.ROOT);
    }
}
