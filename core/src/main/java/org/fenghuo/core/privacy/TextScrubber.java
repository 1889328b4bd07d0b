package org.fenghuo.core.privacy;

import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data inside free text (summaries, descriptions, addresses): identity numbers and phone numbers by
 * pattern, and the names the record itself gives. Free text is where raw personal data most often leaks.
 */
public final class TextScrubber {
    private TextScrubber() {}

    // 18-character identity numbers, not part of a longer digit run
    private static final Pattern ID_NUMBER = Pattern.compile("(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])");
    // mainland mobiles, optionally with +86, and landlines with an area code
    private static final Pattern MOBILE = Pattern.compile("(?<![0-9])(?:\\+?86[- ]?)?1[3-9][0-9][- ]?[0-9]{4}[- ]?[0-9]{4}(?![0-9])");
    private static final Pattern LANDLINE = Pattern.compile("(?<![0-9])0[1-9][0-9]{1,2}-?[0-9]{7,8}(?![0-9])");

    public static String scrub(String text, Collection<String> knownNames) {
        if (text == null || text.isEmpty()) return text;
        String out = replace(ID_NUMBER, text, m -> Masking.identityNumber(m));
        out = replace(MOBILE, out, Masking::phone);
        out = replace(LANDLINE, out, Masking::phone);
        if (knownNames != null) {
            for (String name : knownNames) {
                if (name != null && name.strip().length() >= 2) {
                    out = out.replace(name.strip(), Masking.name(name));
                }
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
