package org.fenghuo.core.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Optional;

/**
 * A whole rules file, or the rules a running job holds.
 *
 * @param version increases with every change applied at run time; a file states its own (default 1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuleSet(Integer version, List<Rule> rules) {
    public RuleSet {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    public Optional<Rule> find(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    public int versionOrDefault() { return version == null ? 1 : version; }
}
