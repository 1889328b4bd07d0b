package org.fenghuo.simulator.city;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.random.RandomGenerator;
import org.fenghuo.core.ids.CheckDigits;

/** Builds identity numbers, credit codes and phone numbers that are well-formed and carry valid check characters. */
public final class Identifiers {
    private Identifiers() {}

    private static final DateTimeFormatter BIRTH = DateTimeFormatter.BASIC_ISO_DATE;
    private static final String CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] ORG_WEIGHTS = {3, 7, 9, 10, 5, 8, 4, 2};
    private static final String[] MOBILE_PREFIXES = {
        "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
        "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182", "183", "184",
        "185", "186", "187", "188", "189", "191", "198", "199"};

    /**
     * GB 11643 citizen identity number: 6-digit division code, birth date, 3-digit sequence (odd for men, even
     * for women) and the check character.
     */
    public static String identityNumber(String divisionCode, LocalDate birthDate, int sequence, boolean male) {
        if (divisionCode.length() != 6) throw new IllegalArgumentException("division code must be 6 digits");
        int seq = sequence % 500 * 2 + (male ? 1 : 0);
        String first17 = divisionCode + BIRTH.format(birthDate) + String.format("%03d", seq);
        return first17 + CheckDigits.identityCheckChar(first17);
    }

    /**
     * GB 32100 unified social credit code of an enterprise: registration authority 9 (market regulation), type 1
     * (enterprise), the 6-digit division code, a 9-character organisation code (8 digits and its GB 11714 check
     * character) and the check character.
     */
    public static String creditCode(String divisionCode, RandomGenerator rnd) {
        StringBuilder org = new StringBuilder(9);
        for (int i = 0; i < 8; i++) org.append((char) ('0' + rnd.nextInt(10)));
        org.append(organisationCheckChar(org));
        String first17 = "91" + divisionCode + org;
        return first17 + CheckDigits.creditCheckChar(first17);
    }

    /** GB 11714 check character of the first 8 characters of an organisation code (digits here). */
    static char organisationCheckChar(CharSequence first8) {
        int sum = 0;
        for (int i = 0; i < 8; i++) sum += Character.digit(first8.charAt(i), 36) * ORG_WEIGHTS[i];
        int c = 11 - sum % 11;
        return c == 10 ? 'X' : c == 11 ? '0' : (char) ('0' + c);
    }

    /** A mainland mobile number 1[3-9]x xxxx xxxx with a real operator prefix. */
    public static String mobilePhone(RandomGenerator rnd) {
        StringBuilder b = new StringBuilder(11).append(MOBILE_PREFIXES[rnd.nextInt(MOBILE_PREFIXES.length)]);
        for (int i = 0; i < 8; i++) b.append((char) ('0' + rnd.nextInt(10)));
        return b.toString();
    }

    /** The same identity number with a different, wrong check character (a typical typing error). */
    public static String withBadIdentityCheck(String id, RandomGenerator rnd) {
        char good = CheckDigits.identityCheckChar(id);
        String options = "0123456789X".replace(String.valueOf(good), "");
        return id.substring(0, 17) + options.charAt(rnd.nextInt(options.length()));
    }

    /** The same credit code with a different, wrong check character. */
    public static String withBadCreditCheck(String code, RandomGenerator rnd) {
        char good = CheckDigits.creditCheckChar(code);
        String options = CREDIT_CHARS.replace(String.valueOf(good), "");
        return code.substring(0, 17) + options.charAt(rnd.nextInt(options.length()));
    }
}
