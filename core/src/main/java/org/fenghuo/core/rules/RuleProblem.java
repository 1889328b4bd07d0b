package org.fenghuo.core.rules;

/**
 * One thing wrong with a rule or a rules file.
 *
 * @param ruleId the id of the rule as written, or null when the rule has none (then {@code field} starts with
 *               {@code rules[i]}) or the problem concerns the file as a whole
 * @param field  the path of the field inside the rule, e.g. {@code levels[1].atLeast}; null for the whole rule/file
 * @param reason what is wrong and, where it helps, what is allowed, e.g. {@code must be a positive number, got -3}
 */
public record RuleProblem(String ruleId, String field, String reason) {

    /** {@code rule 'petition.repeat': levels[1].atLeast: must be a positive number, got -3}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (ruleId != null) sb.append("rule '").append(ruleId).append("': ");
        if (field != null && !field.isEmpty()) sb.append(field).append(": ");
        return sb.append(reason).toString();
    }

    /** The same problem with its field placed under {@code prefix} (e.g. {@code rules[2]} for a rule without id). */
    RuleProblem under(String prefix) {
        if (prefix == null || prefix.isEmpty()) return this;
        return new RuleProblem(ruleId, field == null || field.isEmpty() ? prefix : prefix + "." + field, reason);
    }

    @Override
    public String toString() { return describe(); }
}
