package org.fenghuo.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.fenghuo.core.feed.Feed;
import org.fenghuo.core.json.Json;
import org.fenghuo.simulator.KafkaFeedSink;

/**
 * {@code ./fenghuo replay FILE…}: sends JSON Lines files into the matching feed topics, one line one record,
 * keyed by the record id, with a progress bar and a summary. Lines are sent as they are (malformed ones too: the
 * ingest job is what decides, and dead-letters them with the reason).
 */
final class ReplayCommand {
    static final Set<String> FLAGS = Set.of("quiet");
    static final Set<String> OPTIONS = Set.of("kafka", "topic");
    private final Args args;

    ReplayCommand(Args args) {
        this.args = args;
    }

    record Plan(Path file, Feed feed, long lines) {}

    int run() {
        List<String> files = args.positionals();
        if (files.isEmpty()) throw new UsageException("replay needs at least one JSON Lines file");
        Feed forced = null;
        if (args.value("topic", null) != null) {
            String t = args.value("topic", null);
            forced = Feed.byTopic(t).orElseThrow(() -> new UsageException("--topic " + t + " is not a feed topic; one of "
                    + String.join(", ", org.fenghuo.core.feed.Topics.feedTopics())));
        }
        List<Plan> plans = new ArrayList<>();
        for (String f : files) {
            Path p = Path.of(f);
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) throw new CommandException("replay: file " + f + " does not exist or is not readable");
            Feed feed = forced != null ? forced : feedOf(p);
            plans.add(new Plan(p, feed, countLines(p)));
        }
        String kafka = DemoState.kafka(args);
        long total = plans.stream().mapToLong(Plan::lines).sum();
        Progress progress = new Progress("replay", total, !args.flag("quiet"));
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaFeedSink.properties(kafka, Map.of()))) {
            for (Plan plan : plans) {
                long sent = 0, blank = 0;
                try (BufferedReader r = Files.newBufferedReader(plan.file(), StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.isBlank()) {
                            blank++;
                            continue;
                        }
                        byte[] value = line.getBytes(StandardCharsets.UTF_8);
                        producer.send(new ProducerRecord<>(plan.feed().topic(), keyOf(plan.feed(), line), value), (md, e) -> {
                            if (e != null) {
                                failed.incrementAndGet();
                                firstError.compareAndSet(null, e);
                            }
                        });
                        sent++;
                        progress.advance(1);
                    }
                } catch (IOException e) {
                    throw new CommandException("replay: cannot read " + plan.file() + ": " + e.getMessage(), e);
                }
                progress.note(String.format(Locale.ROOT, "%s → %s: %,d records%s", plan.file().getFileName(), plan.feed().topic(),
                        sent, blank > 0 ? " (" + blank + " blank lines skipped)" : ""));
            }
            producer.flush();
        }
        progress.finish();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "replayed %,d records from %d file(s) to %s in %.1f s (%,.0f records/s), %d failed%n",
                total - failed.get(), plans.size(), kafka, seconds, total / Math.max(seconds, 1e-3), failed.get());
        if (failed.get() > 0) {
            throw new CommandException("replay: " + failed.get() + " records could not be sent; first error: " + firstError.get());
        }
        return 0;
    }

    static Feed feedOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<Feed> matches = new ArrayList<>();
        for (Feed f : Feed.values()) {
            String shortTopic = f.topic().substring("feed.".length());
            if (name.contains(f.topic()) || name.contains(shortTopic) || name.contains(f.id())) matches.add(f);
        }
        if (matches.size() != 1) {
            throw new UsageException("cannot tell the feed of " + file.getFileName()
                    + " from its name; name it after the topic (e.g. feed.petitions.jsonl) or pass --topic");
        }
        return matches.get(0);
    }

    private static long countLines(Path p) {
        try (var lines = Files.lines(p, StandardCharsets.UTF_8)) {
            return lines.filter(l -> !l.isBlank()).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new CommandException("replay: cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static byte[] keyOf(Feed feed, String line) {
        try {
            var node = Json.mapper().readTree(line);
            var id = node == null ? null : node.get(feed.idField());
            return id != null && id.isTextual() ? id.asText().getBytes(StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null; // malformed lines are sent unkeyed; ingest dead-letters them
        }
    }
}
