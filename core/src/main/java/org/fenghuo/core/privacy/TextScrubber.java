package org.fenghuo.core.privacy;

import java.text.Normalizer;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data inside free text (summaries, descriptions, addresses), which is where raw personal data most
 * often leaks: the record's own names, phones and identity numbers literally, then anything shaped like an identity
 * or phone number. Text is NFKC-normalised first so full-width digits (１３８…) are caught too.
 */
public final class TextScrubber {
    private TextScrubber() {}

    // 18-character identity numbers (also written with spaces), and 15-digit old-style ones
    private static final Pattern ID_NUMBER = Pattern.compile("(?<![0-9])[1-9][0-9]{5} ?[0-9]{4} ?[0-9]{4} ?[0-9]{3}[0-9Xx](?![0-9])|(?<![0-9])[1-9][0-9]{14}(?![0-9])");
    // any run of 7 or more digits, possibly broken by spaces, dashes, dots or an area code in brackets: phones in all
    // their local spellings ((0755) 8888 6666, 138-1234-5678, +86 138 1234 5678, 8-digit local numbers)
    private static final Pattern DIGIT_RUN = Pattern.compile("(?:\\+?\\(?[0-9]\\)?[ \\-.()]{0,2}){6,}[0-9]");

    public static String scrub(String text, Collection<String> knownNames) {
        return scrub(text, knownNames, List.of());
    }

    /** @param knownNumbers the record's own raw phone and identity numbers, removed however they were written */
    public static String scrub(String text, Collection<String> knownNames, Collection<String> knownNumbers) {
        if (text == null || text.isEmpty()) return text;
        String out = Normalizer.normalize(text, Normalizer.Form.NFKC);
        if (knownNumbers != null) {
            for (String n : knownNumbers) {
                if (n == null) continue;
                String norm = Normalizer.normalize(n, Normalizer.Form.NFKC).strip();
                if (norm.length() >= 4) out = out.replace(norm, Masking.phone(norm.replaceAll("[^0-9Xx]", "")));
            }
        }
        out = replace(ID_NUMBER, out, m -> Masking.identityNumber(m.replace(" ", "")));
        out = replace(DIGIT_RUN, out, m -> {
            String digits = m.replaceAll("[^0-9]", "");
            return digits.length() >= 7 ? Masking.phone(digits) : m;
        });
        if (knownNames != null) {
            for (String name : knownNames) {
                if (name == null) continue;
                String n = Normalizer.normalize(name, Normalizer.Form.NFKC).strip();
                if (n.length() >= 2) out = out.replace(n, Masking.name(n));
            }
        }
        return out;
    }

    private static String replace(Pattern p, String text, java.util.function.UnaryOperator<String> mask) {
        Matcher m = p.matcher(text);
        if (!m.find()) return text;
        StringBuilder sb = new StringBuilder(text.length());
        do {
            m.appendReplacement(sb, Matcher.quoteReplacement(mask.apply(m.group())));
        } while (m.find());
        m.appendTail(sb);
        return sb.toString();
    }
}
