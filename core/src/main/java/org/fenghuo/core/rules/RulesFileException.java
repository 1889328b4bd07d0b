package org.fenghuo.core.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A rules file (or a rule set pushed at run time) that cannot be used. The message lists every problem found, one per
 * line, each naming the file, the rule, the field and the reason, e.g.
 * {@code rules.yaml: rule 'petition.repeat': levels[1].atLeast: must be a positive number, got -3}.
 */
public class RulesFileException extends RuntimeException {
    private final String source;
    private final List<RuleProblem> problems;

    public RulesFileException(String source, List<RuleProblem> problems) {
        this(source, problems, null);
    }

    public RulesFileException(String source, List<RuleProblem> problems, Throwable cause) {
        super(message(source, problems), cause);
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    /** The file name (or other source name) the rules came from. */
    public String source() { return source; }

    /** Every problem found, in file order. */
    public List<RuleProblem> problems() { return problems; }

    private static String message(String source, List<RuleProblem> problems) {
        if (problems.isEmpty()) return source + ": invalid rules";
        return problems.stream().map(p -> source + ": " + p.describe()).collect(Collectors.joining("\n"));
    }
}
