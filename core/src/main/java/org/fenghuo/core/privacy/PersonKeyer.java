package org.fenghuo.core.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Links people across feeds without storing who they are: {@code PER:} + HMAC-SHA-256 (secret from configuration)
 * of the normalised identity number, or of the phone number when no valid identity number is given (DESIGN §3).
 * Without the secret the hash cannot be reversed by enumerating the (small) space of identity numbers.
 *
 * <p>Not thread-safe (one {@link Mac} per instance); create one per operator instance.
 */
public final class PersonKeyer {
    public static final int MIN_SECRET_BYTES = 16;
    private static final String ALGORITHM = "HmacSHA256";
    private final Mac mac;

    public PersonKeyer(byte[] secret) {
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the person-key secret must be at least " + MIN_SECRET_BYTES
                    + " bytes; set fenghuo.privacy.secret (FENGHUO_PRIVACY_SECRET) to a long random value");
        }
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is not available in this JVM", e);
        }
    }

    /** Key from an identity number whose check digit has been verified. */
    public String byIdentityNumber(String idNumber) {
        return "PER:" + hash("id:" + idNumber.trim().toUpperCase(Locale.ROOT));
    }

    /** Key from a phone number, normalised to its digits without a +86/0086 country prefix. */
    public String byPhone(String phone) {
        String digits = normalizePhone(phone);
        if (digits.isEmpty()) throw new IllegalArgumentException("phone number has no digits");
        return "PER:" + hash("phone:" + digits);
    }

    static String normalizePhone(String phone) {
        String digits = phone.replaceAll("[^0-9]", "");
        if (digits.startsWith("0086")) digits = digits.substring(4);
        else if (digits.startsWith("86") && digits.length() == 13) digits = digits.substring(2);
        return digits;
    }

    private String hash(String value) {
        byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        // 128 bits are plenty to avoid collisions among a city's residents and keep keys short
        return HexFormat.of().formatHex(digest, 0, 16);
    }
}
