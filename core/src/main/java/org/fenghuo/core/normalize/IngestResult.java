package org.fenghuo.core.normalize;

import org.fenghuo.core.model.DeadLetter;
import org.fenghuo.core.model.NormalizedEvent;

/** What became of one raw feed record: exactly one of an event or a dead letter. */
public sealed interface IngestResult {
    record Accepted(NormalizedEvent event) implements IngestResult {}

    record Rejected(DeadLetter deadLetter) implements IngestResult {}
}
