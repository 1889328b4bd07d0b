package org.fenghuo.core.region;

import java.util.List;

/**
 * A region file that cannot be used. The message has one line per problem, each naming the file,
 * the feature (its 0-based index in {@code features} and its code) and what is wrong, e.g.
 * {@code regions.geojson: feature #17 (code 330102001): parent 330102 is not in the file}.
 */
public class RegionFileException extends RuntimeException {
    private final String sourceName;
    private final List<String> problems;

    public RegionFileException(String sourceName, List<String> problems) {
        this(sourceName, problems, null);
    }

    public RegionFileException(String sourceName, List<String> problems, Throwable cause) {
        super(String.join("\n", problems), cause);
        this.sourceName = sourceName;
        this.problems = List.copyOf(problems);
    }

    public String sourceName() { return sourceName; }

    /** Every problem found, each a full line as in the message. */
    public List<String> problems() { return problems; }
}
