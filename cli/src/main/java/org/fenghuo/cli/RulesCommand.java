package org.fenghuo.cli;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.fenghuo.core.feed.Topics;
import org.fenghuo.core.json.Json;
import org.fenghuo.core.rules.RuleSet;
import org.fenghuo.core.rules.RuleUpdate;
import org.fenghuo.core.rules.RulesFile;
import org.fenghuo.core.rules.RulesFileException;
import org.fenghuo.simulator.KafkaFeedSink;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

/**
 * {@code ./fenghuo rules check FILE | push FILE | enable ID | disable ID | delete ID}: checks a rules file, or changes
 * the running correlation job's rules through {@code control.rules} and waits for its STATUS answer.
 */
final class RulesCommand {
    static final Set<String> FLAGS = Set.of("no-wait");
    static final Set<String> OPTIONS = Set.of("kafka", "wait", "by");

    private final Args args;

    RulesCommand(Args args) {
        this.args = args;
    }

    int run() throws Exception {
        List<String> p = args.positionals();
        if (p.size() != 2) throw new UsageException("rules needs an action and its argument: rules check|push FILE, rules enable|disable|delete RULE-ID");
        String action = p.get(0);
        String arg = p.get(1);
        return switch (action) {
            case "check" -> {
                RuleSet set = load(arg);
                System.out.println("[rules] " + arg + ": " + set.rules().size() + " rules, all valid: "
                        + String.join(", ", set.rules().stream().map(r -> r.id() + (r.isEnabled() ? "" : " (disabled)")).toList()));
                yield 0;
            }
            case "push" -> {
                RuleSet set = load(arg);
                yield send(new RuleUpdate(RuleUpdate.Type.REPLACE_ALL, UUID.randomUUID().toString(), null, null, null,
                        set.rules(), by(), Path.of(arg).getFileName().toString(), Instant.now(), null, null, null));
            }
            case "enable", "disable", "delete" -> {
                RuleUpdate.Type type = RuleUpdate.Type.valueOf(action.toUpperCase(java.util.Locale.ROOT));
                yield send(new RuleUpdate(type, UUID.randomUUID().toString(), null, arg, null, null, by(), "command line",
                        Instant.now(), null, null, null));
            }
            default -> throw new UsageException("rules: unknown action '" + action + "' (check, push, enable, disable, delete)");
        };
    }

    private String by() {
        return args.value("by", System.getProperty("user.name", "operator"));
    }

    static RuleSet load(String file) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) throw new CommandException("rules: file " + file + " does not exist or is not readable");
        try {
            return RulesFile.load(path);
        } catch (RulesFileException e) {
            throw new CommandException("rules file refused, nothing sent:\n" + e.getMessage());
        }
    }

    private int send(RuleUpdate update) throws Exception {
        String kafka = DemoState.kafka(args);
        Duration wait = parseWait(args.value("wait", "30s"));
        Properties cp = new Properties();
        cp.put("bootstrap.servers", kafka);
        cp.put("key.deserializer", ByteArrayDeserializer.class.getName());
        cp.put("value.deserializer", ByteArrayDeserializer.class.getName());
        cp.put("enable.auto.commit", "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaFeedSink.properties(kafka, Map.of()))) {
            // listen before sending, so the answer cannot slip past
            // the answer is keyed by the request id, so it may be on any partition of a topic made with several
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CONTROL_RULES).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            producer.send(new ProducerRecord<>(Topics.CONTROL_RULES, update.requestId().getBytes(StandardCharsets.UTF_8),
                    Json.toBytes(update))).get();
            System.out.println("[rules] sent " + update.type() + (update.ruleId() != null ? " " + update.ruleId() : "")
                    + (update.rules() != null ? " (" + update.rules().size() + " rules from " + update.source() + ")" : "")
                    + " to " + Topics.CONTROL_RULES + " at " + kafka + ", request " + update.requestId());
            if (args.flag("no-wait")) return 0;
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    RuleUpdate status;
                    try {
                        status = Json.fromBytes(r.value(), RuleUpdate.class);
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    if (status.type() != RuleUpdate.Type.STATUS || !update.requestId().equals(status.requestId())) continue;
                    if (Boolean.TRUE.equals(status.accepted())) {
                        System.out.println("[rules] accepted: version " + status.version() + " running, rules "
                                + String.join(", ", status.ruleIds() == null ? List.of() : status.ruleIds()));
                        return 0;
                    }
                    System.err.println("[rules] refused: " + status.reason() + " (version " + status.version() + " keeps running)");
                    return 1;
                }
            }
            throw new CommandException("no answer from the correlation job within " + wait.toSeconds()
                    + " s: is it running? (the update stays on " + Topics.CONTROL_RULES + " and applies when it starts)");
        }
    }

    static Duration parseWait(String text) {
        try {
            Duration d = Duration.ofSeconds(Long.parseLong(text.endsWith("s") ? text.substring(0, text.length() - 1) : text));
            if (!d.isNegative() && d.toSeconds() <= 3600) return d;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--wait " + text + " is not a number of seconds from 0 to 3600 (e.g. 30s)");
    }
}
