package org.fenghuo.jobs.ingest;

import java.nio.file.Path;
import java.time.Clock;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.fenghuo.jobs.common.LabelledCounters;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.fenghuo.core.model.DeadLetter;
import org.fenghuo.core.model.NormalizedEvent;
import org.fenghuo.core.model.RawFeedRecord;
import org.fenghuo.core.normalize.FeedNormalizer;
import org.fenghuo.core.normalize.IngestResult;
import org.fenghuo.core.privacy.PersonKeyer;
import org.fenghuo.core.region.RegionHierarchy;

/**
 * Validates, masks and normalises raw feed records; rejected records leave through {@link #DEAD_LETTERS}
 * with their reason, so every input record leaves as exactly one event or one dead letter.
 */
public final class NormalizeFeedRecords extends ProcessFunction<RawFeedRecord, NormalizedEvent> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final String regionFile;
    private final byte[] personKeySecret;
    private transient FeedNormalizer normalizer;
    private transient Clock clock;
    private transient Counter accepted;
    private transient Counter rejected;
    private transient LabelledCounters recordsIn;
    private transient LabelledCounters deadLetters;

    public NormalizeFeedRecords(String regionFile, byte[] personKeySecret) {
        this.regionFile = regionFile;
        this.personKeySecret = personKeySecret.clone();
    }

    @Override
    public void open(OpenContext openContext) {
        normalizer = new FeedNormalizer(RegionHierarchy.load(Path.of(regionFile)), new PersonKeyer(personKeySecret));
        clock = Clock.systemUTC();
        accepted = getRuntimeContext().getMetricGroup().counter("recordsAccepted");
        rejected = getRuntimeContext().getMetricGroup().counter("recordsRejected");
        recordsIn = LabelledCounters.of(getRuntimeContext().getMetricGroup(), "recordsIn", "feed");
        deadLetters = LabelledCounters.of(getRuntimeContext().getMetricGroup(), "deadLetters", "reason");
    }

    @Override
    public void processElement(RawFeedRecord raw, Context ctx, Collector<NormalizedEvent> out) {
        recordsIn.inc(org.fenghuo.core.feed.Feed.byTopic(raw.topic()).map(org.fenghuo.core.feed.Feed::id).orElse("unknown"));
        IngestResult result;
        try {
            result = normalizer.normalize(raw, clock.instant());
        } catch (RuntimeException e) {
            // a record we cannot handle must not stop the job (it would fail again on every restart) nor vanish:
            // it becomes a dead letter, and the class of the bug is named without the message, which may quote the record
            result = new IngestResult.Rejected(DeadLetter.rejected(raw, org.fenghuo.core.feed.Feed.byTopic(raw.topic())
                    .map(org.fenghuo.core.feed.Feed::id).orElse(null), null, null,
                    "internal error while normalising (" + e.getClass().getSimpleName() + "); please report it", clock.instant()));
        }
        if (result instanceof IngestResult.Accepted a) {
            accepted.inc();
            out.collect(a.event());
        } else if (result instanceof IngestResult.Rejected r) {
            rejected.inc();
            deadLetters.inc(RejectionClass.of(r.deadLetter().reason()).label());
            ctx.output(DEAD_LETTERS, r.deadLetter());
        }
    }
}
