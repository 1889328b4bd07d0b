package org.fenghuo.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.model.RawFeedRecord;
import org.fenghuo.core.normalize.FeedNormalizer;
import org.fenghuo.core.normalize.IngestResult;
import org.fenghuo.core.privacy.PersonKeyer;
import org.fenghuo.core.region.RegionHierarchy;

/**
 * Asks the ingest job's own normaliser what it makes of a simulated record, so the simulator is tested against the
 * real dead-letter rules of DESIGN §2 rather than a second copy of them. "In the future" is judged at the later of
 * the simulated clock when the record arrived and today's clock (which the job uses), so that a verdict holds both
 * for a live run and for a replay, long after, of a run that started in the past. Returns the kind of rejection, or
 * null when the record is kept.
 */
final class DeadLetterOracle {
    private final FeedNormalizer normalizer;

    DeadLetterOracle(RegionHierarchy regions) {
        this.normalizer = new FeedNormalizer(regions, new PersonKeyer("simulator-test-secret-0123".getBytes(StandardCharsets.UTF_8)));
    }

    String reason(Feed feed, byte[] value, long arrivalMillis) {
        RawFeedRecord raw = new RawFeedRecord(feed.topic(), 0, 0, null, value, arrivalMillis);
        Instant now = Instant.ofEpochMilli(Math.max(arrivalMillis, System.currentTimeMillis()));
        if (!(normalizer.normalize(raw, now) instanceof IngestResult.Rejected rejected)) return null;
        String reason = rejected.deadLetter().reason();
        if (reason.startsWith("not valid JSON") || reason.equals("empty record")) return "NOT_JSON " + reason;
        if (reason.startsWith("record is not a JSON object")) return "NOT_AN_OBJECT " + reason;
        if (reason.contains(" not in regions ")) return "UNKNOWN_REGION " + reason;
        if (reason.contains("in the future")) return "FUTURE " + reason;
        return "SCHEMA " + reason;
    }
}
