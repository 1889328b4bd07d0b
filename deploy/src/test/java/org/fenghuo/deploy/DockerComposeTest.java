package org.fenghuo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks docker-compose.yml against itself, the repository, deploy/README.md, the Kafka topic script and the
 * Prometheus configuration. Docker is not available here: the file is parsed, never started (deploy/README.md,
 * "What is checked here and what is not"). Every check collects all offending services before failing, and names
 * them.
 */
class DockerComposeTest {
    /** DESIGN §7: the Kafka topics other tools rely on. */
    static final Set<String> DESIGN_TOPICS = Set.of("feed.grid-reports", "feed.linkage-calls", "feed.petitions",
            "feed.labor-inspections", "feed.dead-letter", "events.normalized", "alerts", "alert.actions", "control.rules");

    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(PASSWORD|SECRET|API_KEY|TOKEN|ENCRYPTIONKEY|PRIVATE_KEY).*");
    /** A required interpolation: compose stops with the message when the variable is unset or empty. */
    private static final Pattern REQUIRED_INTERPOLATION = Pattern.compile("\\$\\{[A-Za-z_][A-Za-z0-9_]*:?\\?[^}]*}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    static JsonNode compose;
    static Map<String, JsonNode> services;

    @BeforeAll
    static void parse() {
        compose = Repo.compose();
        services = Repo.services(compose);
        assertThat(services).as("services in docker-compose.yml").isNotEmpty();
    }

    // 1 ---------------------------------------------------------------------------------------------------------------
    @Test
    void everyImageIsPinned() {
        List<String> problems = new ArrayList<>();
        services.forEach((name, s) -> {
            String image = s.path("image").asText("");
            boolean built = s.has("build");
            if (image.isEmpty()) {
                problems.add(name + ": no image" + (built ? " name (a service with build: needs image: fenghuo/<name>:<version>)" : ""));
                return;
            }
            Optional<String> problem = pinProblem(image);
            problem.ifPresent(p -> problems.add(name + ": image " + image + " " + p
                    + (built ? " (built locally: give it the project version as tag)" : "")));
        });
        assertThat(problems).as("services whose image is not pinned to an explicit tag or digest").isEmpty();
    }

    /** Why an image reference is not pinned, or empty when it is (explicit non-latest tag, or a digest). */
    static Optional<String> pinProblem(String image) {
        if (image.contains("${")) return Optional.of("is interpolated; the file must name the version itself");
        int at = image.indexOf('@');
        if (at >= 0) {
            return DIGEST.matcher(image.substring(at + 1)).matches() ? Optional.empty() : Optional.of("has a malformed digest");
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon <= slash) return Optional.of("has no tag (means :latest)");
        String tag = image.substring(colon + 1);
        if (tag.isBlank()) return Optional.of("has an empty tag");
        if (tag.equalsIgnoreCase("latest")) return Optional.of("uses :latest");
        return Optional.empty();
    }

    @Test
    void pinCheckRecognisesUnpinnedImages() {
        assertThat(pinProblem("flink:2.2.1-java17")).isEmpty();
        assertThat(pinProblem("docker.elastic.co/kibana/kibana:8.19.19")).isEmpty();
        assertThat(pinProblem("registry:5000/team/app@sha256:" + "a".repeat(64))).isEmpty();
        assertThat(pinProblem("flink")).isPresent();
        assertThat(pinProblem("registry:5000/team/app")).isPresent();
        assertThat(pinProblem("prom/prometheus:latest")).isPresent();
        assertThat(pinProblem("fenghuo/tools:${TAG}")).isPresent();
    }

    // 2 ---------------------------------------------------------------------------------------------------------------
    @Test
    void everyBindMountBuildFileAndEnvFileExists() {
        List<String> problems = new ArrayList<>();
        Set<String> declaredVolumes = new HashSet<>();
        compose.path("volumes").fieldNames().forEachRemaining(declaredVolumes::add);
        services.forEach((name, s) -> {
            for (JsonNode v : s.path("volumes")) {
                String source;
                String type;
                if (v.isTextual()) {
                    String spec = v.asText();
                    int colon = spec.indexOf(':');
                    source = colon < 0 ? spec : spec.substring(0, colon);
                    type = source.startsWith(".") || source.startsWith("/") || source.startsWith("~") ? "bind"
                            : colon < 0 ? "anonymous" : "volume";
                } else {
                    source = v.path("source").asText("");
                    type = v.path("type").asText("volume");
                }
                if (type.equals("bind")) {
                    if (source.startsWith("./") || source.startsWith("../")) {
                        if (!Files.exists(Repo.path(source))) problems.add(name + ": bind mount " + source + " does not exist in the repository");
                    } else {
                        problems.add(name + ": bind mount " + source + " is not relative to the repository (use ./… or a named volume)");
                    }
                } else if (type.equals("volume") && !declaredVolumes.contains(source)) {
                    problems.add(name + ": named volume " + source + " is not declared under top-level volumes:");
                }
            }
            JsonNode build = s.path("build");
            if (!build.isMissingNode()) {
                String context = build.isTextual() ? build.asText() : build.path("context").asText(".");
                Path contextDir = Repo.path(context);
                if (!Files.isDirectory(contextDir)) problems.add(name + ": build context " + context + " does not exist");
                String dockerfile = build.path("dockerfile").asText("Dockerfile");
                Path file = contextDir.resolve(dockerfile).normalize();
                if (!Files.isRegularFile(file)) {
                    problems.add(name + ": build.dockerfile " + dockerfile + " does not exist (relative to context " + context + ")");
                } else if (build.has("target")) {
                    String target = build.path("target").asText();
                    Pattern stage = Pattern.compile("(?im)^\\s*FROM\\s+\\S+\\s+AS\\s+" + Pattern.quote(target) + "\\s*$");
                    if (!stage.matcher(Repo.read(rootRelative(file))).find()) {
                        problems.add(name + ": build.target " + target + " is not a stage (FROM … AS " + target + ") of " + dockerfile);
                    }
                }
            }
            JsonNode envFiles = s.path("env_file");
            List<JsonNode> entries = new ArrayList<>();
            if (envFiles.isArray()) envFiles.forEach(entries::add);
            else if (!envFiles.isMissingNode()) entries.add(envFiles);
            for (JsonNode e : entries) {
                String path = e.isTextual() ? e.asText() : e.path("path").asText();
                boolean required = e.isTextual() || e.path("required").asBoolean(true);
                boolean optionalDotEnv = path.equals(".env") && !required;
                if (!optionalDotEnv && !Files.isRegularFile(Repo.path(path))) {
                    problems.add(name + ": env_file " + path + " does not exist"
                            + (path.endsWith(".env") ? " (operator files such as .env must be marked required: false)" : ""));
                }
            }
        });
        assertThat(problems).as("mounted host paths, build files and env files that are missing").isEmpty();
    }

    private static String rootRelative(Path file) {
        return Repo.ROOT.relativize(file).toString();
    }

    // 3 ---------------------------------------------------------------------------------------------------------------
    @Test
    void readmeServiceTableListsExactlyTheComposeServices() {
        Set<String> documented = readmeServices(Repo.read("deploy/README.md"));
        assertThat(documented).as("service table in deploy/README.md (a table whose first column is `service`)").isNotEmpty();
        Set<String> missingInCompose = new TreeSet<>(documented);
        missingInCompose.removeAll(services.keySet());
        Set<String> missingInReadme = new TreeSet<>(services.keySet());
        missingInReadme.removeAll(documented);
        assertThat(missingInCompose).as("services named in deploy/README.md's service table but absent from docker-compose.yml").isEmpty();
        assertThat(missingInReadme).as("docker-compose.yml services missing from deploy/README.md's service table").isEmpty();
    }

    /** The backticked names in the first column of the Markdown table whose header's first cell is "service". */
    static Set<String> readmeServices(String markdown) {
        Set<String> names = new LinkedHashSet<>();
        boolean inTable = false;
        for (String line : markdown.split("\n")) {
            String t = line.trim();
            if (!t.startsWith("|")) {
                inTable = false;
                continue;
            }
            String first = t.substring(1).split("\\|", -1)[0].trim();
            if (!inTable) {
                inTable = first.equalsIgnoreCase("service");
                continue;
            }
            if (first.matches(":?-{3,}:?")) continue;
            Matcher m = Pattern.compile("^`([^`]+)`").matcher(first);
            if (m.find()) names.add(m.group(1));
        }
        return names;
    }

    // 4 ---------------------------------------------------------------------------------------------------------------
    @Test
    void longRunningServicesHaveHealthChecksAndRestartPolicies() {
        List<String> problems = new ArrayList<>();
        services.forEach((name, s) -> {
            String restart = s.path("restart").asText("");
            if (restart.isEmpty()) {
                problems.add(name + ": no restart policy (long-running: unless-stopped; one-shot: \"no\")");
                return;
            }
            if (restart.equals("no")) return;
            if (!restart.equals("unless-stopped") && !restart.equals("always")) {
                problems.add(name + ": restart " + restart + " (long-running services use unless-stopped)");
            }
            JsonNode hc = s.path("healthcheck");
            List<String> test = Repo.strings(hc.path("test"));
            if (hc.isMissingNode() || hc.path("disable").asBoolean(false) || test.isEmpty() || test.get(0).equals("NONE")
                    || test.stream().skip(1).allMatch(String::isBlank)) {
                problems.add(name + ": long-running (restart " + restart + ") but has no health check");
            }
        });
        assertThat(problems).as("long-running services without a health check or with a wrong restart policy").isEmpty();
    }

    // 5 ---------------------------------------------------------------------------------------------------------------
    @Test
    void noSecretIsWrittenIntoTheComposeFile() {
        List<String> problems = new ArrayList<>();
        Pattern inlineSecret = Pattern.compile("(?i)(password|secret|token|api[_-]?key)=(?!\\$)[^\\s\"']+");
        services.forEach((name, s) -> {
            Repo.environment(s).forEach((key, value) -> {
                if (SECRET_KEY.matcher(key).matches() && (value == null || !REQUIRED_INTERPOLATION.matcher(value.trim()).matches())) {
                    problems.add(name + ": environment " + key + " = " + (value == null ? "(empty)" : "'" + value + "'")
                            + " must be a required ${VAR:?message} reference to .env");
                }
            });
            List<String> commandLines = new ArrayList<>();
            commandLines.addAll(Repo.strings(s.path("command")));
            commandLines.addAll(Repo.strings(s.path("entrypoint")));
            commandLines.addAll(Repo.strings(s.path("healthcheck").path("test")));
            for (String c : commandLines) {
                Matcher m = inlineSecret.matcher(c);
                if (m.find()) problems.add(name + ": command line holds a literal secret: " + m.group());
            }
        });
        assertThat(problems).as("secrets hard-coded in docker-compose.yml").isEmpty();
    }

    // 6 ---------------------------------------------------------------------------------------------------------------
    @Test
    void kafkaHasThreeBrokersWithReplicationThreeAndMinIsrTwo() {
        Map<String, Map<String, String>> brokers = new LinkedHashMap<>();
        services.forEach((name, s) -> {
            Map<String, String> env = Repo.environment(s);
            if (s.path("image").asText().startsWith("apache/kafka:") && env.getOrDefault("KAFKA_PROCESS_ROLES", "").contains("broker")) {
                brokers.put(name, env);
            }
        });
        assertThat(brokers.keySet()).as("Kafka broker services (apache/kafka with KAFKA_PROCESS_ROLES containing broker)").hasSize(3);

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("KAFKA_DEFAULT_REPLICATION_FACTOR", "3");
        expected.put("KAFKA_MIN_INSYNC_REPLICAS", "2");
        expected.put("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3");
        expected.put("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3");
        expected.put("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2");
        expected.put("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        List<String> problems = new ArrayList<>();
        Set<String> nodeIds = new HashSet<>();
        Set<String> clusterIds = new HashSet<>();
        Set<String> voters = new HashSet<>();
        brokers.forEach((name, env) -> {
            expected.forEach((key, value) -> {
                if (!value.equals(env.get(key))) problems.add(name + ": " + key + " is " + env.get(key) + ", expected " + value);
            });
            if (!nodeIds.add(env.get("KAFKA_NODE_ID"))) problems.add(name + ": KAFKA_NODE_ID " + env.get("KAFKA_NODE_ID") + " is not unique");
            clusterIds.add(env.get("CLUSTER_ID"));
            voters.add(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"));
            String advertised = env.getOrDefault("KAFKA_ADVERTISED_LISTENERS", "");
            if (!advertised.contains("//" + name + ":")) {
                problems.add(name + ": KAFKA_ADVERTISED_LISTENERS (" + advertised + ") does not advertise the service name " + name);
            }
        });
        if (clusterIds.size() != 1 || clusterIds.contains(null)) problems.add("the brokers do not share one CLUSTER_ID: " + clusterIds);
        if (voters.size() != 1) {
            problems.add("the brokers disagree on KAFKA_CONTROLLER_QUORUM_VOTERS: " + voters);
        } else {
            String v = voters.iterator().next();
            brokers.forEach((name, env) -> {
                if (v == null || !v.contains(env.get("KAFKA_NODE_ID") + "@" + name + ":")) {
                    problems.add(name + ": not in KAFKA_CONTROLLER_QUORUM_VOTERS " + v);
                }
            });
        }
        assertThat(problems).as("Kafka broker settings").isEmpty();
    }

    @Test
    void topicScriptCreatesEveryDesignTopicWithReplicationThreeAndMinIsrTwo() {
        String script = Repo.read("deploy/kafka/create-topics.sh");
        Map<String, Integer> topics = topicTable(script);
        assertThat(topics.keySet()).as("topics in deploy/kafka/create-topics.sh's TOPICS table (DESIGN §7)")
                .containsExactlyInAnyOrderElementsOf(DESIGN_TOPICS);
        topics.forEach((topic, partitions) -> assertThat(partitions).as("partitions of " + topic).isPositive());
        assertThat(script).as("create-topics.sh creates with a replication factor and min.insync.replicas")
                .contains("--replication-factor \"$REPLICATION_FACTOR\"")
                .contains("min.insync.replicas=$MIN_INSYNC_REPLICAS");

        JsonNode init = services.values().stream()
                .filter(s -> Repo.strings(s.path("entrypoint")).stream().anyMatch(e -> e.contains("create-topics.sh")))
                .findFirst().orElse(null);
        assertThat(init).as("a compose service running deploy/kafka/create-topics.sh").isNotNull();
        assertThat(init.path("restart").asText()).as("the topic-creating service is one-shot").isEqualTo("no");
        Map<String, String> env = Repo.environment(init);
        assertThat(effective(env, script, "REPLICATION_FACTOR")).as("replication factor of the created topics").isEqualTo("3");
        assertThat(effective(env, script, "MIN_INSYNC_REPLICAS")).as("min.insync.replicas of the created topics").isEqualTo("2");
    }

    /** The script's TOPICS='…' table: one "name partitions" per line. */
    static Map<String, Integer> topicTable(String script) {
        Matcher block = Pattern.compile("(?s)TOPICS='(.*?)'").matcher(script);
        assertThat(block.find()).as("a TOPICS='…' table in create-topics.sh").isTrue();
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String line : block.group(1).split("\n")) {
            Matcher m = Pattern.compile("^\\s*([a-z][a-z0-9._-]*)\\s+(\\d+)\\s*$").matcher(line);
            if (m.matches()) topics.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return topics;
    }

    /** The value the script sees: the service's environment, else the script's ${NAME:-default}. */
    private static String effective(Map<String, String> env, String script, String name) {
        if (env.containsKey(name)) return env.get(name);
        Matcher m = Pattern.compile(name + "=\\$\\{" + name + ":-([^}]*)}").matcher(script);
        return m.find() ? m.group(1) : null;
    }

    // 7 ---------------------------------------------------------------------------------------------------------------
    @Test
    void prometheusScrapesFlinkDashboardsAndExportersByServiceName() {
        JsonNode prometheus = Repo.yaml("deploy/prometheus/prometheus.yml");
        Map<String, String> targetJob = new LinkedHashMap<>();
        Map<String, String> metricsPath = new LinkedHashMap<>();
        for (JsonNode job : prometheus.path("scrape_configs")) {
            for (JsonNode sc : job.path("static_configs")) {
                for (JsonNode t : sc.path("targets")) {
                    targetJob.put(t.asText(), job.path("job_name").asText());
                    metricsPath.put(t.asText(), job.path("metrics_path").asText("/metrics"));
                }
            }
        }
        assertThat(targetJob).as("scrape targets in deploy/prometheus/prometheus.yml").isNotEmpty();

        List<String> problems = new ArrayList<>();
        targetJob.forEach((target, job) -> {
            int colon = target.lastIndexOf(':');
            String host = colon < 0 ? target : target.substring(0, colon);
            if (colon < 0) problems.add("job " + job + ": target " + target + " has no port");
            if (!services.containsKey(host)) {
                problems.add("job " + job + ": target " + target + " is not a docker-compose.yml service");
                return;
            }
            // an exporter's port must be the one its command line listens on
            for (String arg : Repo.strings(services.get(host).path("command"))) {
                Matcher m = Pattern.compile("--web\\.listen-address=.*:(\\d+)$").matcher(arg);
                if (m.find() && !target.endsWith(":" + m.group(1))) {
                    problems.add("job " + job + ": target " + target + " but " + host + " listens on " + m.group(1));
                }
            }
        });

        services.forEach((name, s) -> {
            if (!s.path("image").asText().startsWith("flink:")) return;
            String props = Repo.environment(s).getOrDefault("FLINK_PROPERTIES", "");
            if (!props.contains("metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory")
                    || !props.contains("metrics.reporter.prom.port: 9249")) {
                problems.add(name + ": FLINK_PROPERTIES lacks the Prometheus reporter on port 9249");
            }
            if (!targetJob.containsKey(name + ":9249")) problems.add(name + ": Flink process not scraped (no target " + name + ":9249)");
        });
        long flink = services.values().stream().filter(s -> s.path("image").asText().startsWith("flink:")).count();
        assertThat(flink).as("Flink services (a JobManager and two TaskManagers)").isEqualTo(3);
        assertThat(services).as("compose services").containsKey("jobmanager");
        if (!targetJob.containsKey("dashboards:8080")) {
            problems.add("dashboards: not scraped (no target dashboards:8080)");
        } else if (!metricsPath.get("dashboards:8080").equals("/metrics")) {
            problems.add("dashboards: scraped at " + metricsPath.get("dashboards:8080") + ", the service serves /metrics");
        }
        assertThat(problems).as("Prometheus scrape targets").isEmpty();
    }

    @Test
    void flinkRunsRocksDbWithRetainedCheckpointsOnAVolumeEveryFlinkContainerShares() {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, String>> flink = new LinkedHashMap<>();
        services.forEach((name, s) -> {
            if (!s.path("image").asText().startsWith("flink:")) return;
            Map<String, String> props = new LinkedHashMap<>();
            for (String line : Repo.environment(s).getOrDefault("FLINK_PROPERTIES", "").split("\n")) {
                if (line.isBlank()) continue;
                // the image's entry point deletes all whitespace in a line, then splits at the first colon
                int colon = line.indexOf(':');
                if (line.trim().startsWith("#") || colon < 0) {
                    problems.add(name + ": FLINK_PROPERTIES line '" + line.trim() + "' is not key: value (no comments in that block)");
                    continue;
                }
                String value = line.substring(colon + 1).trim();
                if (value.matches(".*\\s.*")) problems.add(name + ": FLINK_PROPERTIES value with whitespace would be mangled: " + line.trim());
                props.put(line.substring(0, colon).trim(), value);
            }
            flink.put(name, props);
        });
        assertThat(flink).as("Flink services").isNotEmpty();
        Set<String> checkpointDirs = new HashSet<>();
        flink.forEach((name, props) -> {
            if (!"rocksdb".equals(props.get("state.backend.type"))) problems.add(name + ": state.backend.type is not rocksdb");
            String dir = props.get("execution.checkpointing.dir");
            String savepoints = props.get("execution.checkpointing.savepoint-dir");
            checkpointDirs.add(dir);
            for (String d : new String[] {dir, savepoints}) {
                if (d == null || !d.startsWith("file:///")) {
                    problems.add(name + ": checkpoint/savepoint directory " + d + " is not a file:/// path");
                } else if (namedVolumeAt(services.get(name), d.substring("file://".length())) == null) {
                    problems.add(name + ": " + d + " is not on a named volume");
                }
            }
        });
        if (checkpointDirs.size() != 1) problems.add("the Flink services disagree on execution.checkpointing.dir: " + checkpointDirs);
        Set<String> volumes = new HashSet<>();
        flink.keySet().forEach(name -> volumes.add(namedVolumeAt(services.get(name), "/flink-data/checkpoints")));
        if (volumes.size() != 1) problems.add("the Flink services do not share one checkpoint volume: " + volumes);
        Map<String, String> jm = flink.getOrDefault("jobmanager", Map.of());
        if (!"RETAIN_ON_CANCELLATION".equals(jm.get("execution.checkpointing.externalized-checkpoint-retention"))) {
            problems.add("jobmanager: checkpoints are not retained on cancellation");
        }
        if (!jm.containsKey("restart-strategy.type")) problems.add("jobmanager: no restart-strategy.type");
        JsonNode submit = services.get("flink-submit");
        if (submit == null) {
            problems.add("no flink-submit service");
        } else if (!checkpointDirs.contains(Repo.environment(submit).get("FENGHUO_CHECKPOINT_DIR"))) {
            problems.add("flink-submit: FENGHUO_CHECKPOINT_DIR " + Repo.environment(submit).get("FENGHUO_CHECKPOINT_DIR")
                    + " differs from the cluster's execution.checkpointing.dir " + checkpointDirs);
        }
        assertThat(problems).as("Flink configuration").isEmpty();
    }

    /** The named volume mounted at or above {@code path} in the service, or null. */
    private static String namedVolumeAt(JsonNode service, String path) {
        for (JsonNode v : service.path("volumes")) {
            if (!v.isTextual()) continue;
            String[] parts = v.asText().split(":");
            if (parts.length < 2 || parts[0].startsWith(".") || parts[0].startsWith("/")) continue;
            if (path.equals(parts[1]) || path.startsWith(parts[1] + "/")) return parts[0];
        }
        return null;
    }

    // 8 ---------------------------------------------------------------------------------------------------------------
    @Test
    void everyDependencyIsAnExistingServiceWithAMatchingCondition() {
        List<String> problems = new ArrayList<>();
        services.forEach((name, s) -> Repo.dependsOn(s).forEach((dep, condition) -> {
            JsonNode target = services.get(dep);
            if (target == null) {
                problems.add(name + ": depends on " + dep + ", which is not a service");
                return;
            }
            if (dep.equals(name)) problems.add(name + ": depends on itself");
            switch (condition) {
                case "service_started" -> { }
                case "service_healthy" -> {
                    if (!target.has("healthcheck")) problems.add(name + ": waits for " + dep + " to be healthy, but " + dep + " has no health check");
                }
                case "service_completed_successfully" -> {
                    if (!"no".equals(target.path("restart").asText())) {
                        problems.add(name + ": waits for " + dep + " to complete, but " + dep + " is not a one-shot (restart: \"no\")");
                    }
                }
                default -> problems.add(name + ": unknown depends_on condition " + condition + " for " + dep);
            }
        }));
        assertThat(problems).as("depends_on entries").isEmpty();
    }

    // the parse above is only faithful without YAML anchors/aliases, which the YAML mapper does not resolve -----------
    @Test
    void composeFileUsesNoYamlAnchorsOrAliases() {
        List<String> problems = new ArrayList<>();
        String[] lines = Repo.read("docker-compose.yml").split("\n");
        Pattern anchorOrAlias = Pattern.compile("(^|[\\s\\[{,:-])[&*][A-Za-z0-9_-]+(\\s|$|,|]|})|<<\\s*:");
        for (int i = 0; i < lines.length; i++) {
            String code = lines[i].replaceFirst("(^|\\s)#.*$", "");
            if (anchorOrAlias.matcher(code).find()) problems.add("line " + (i + 1) + ": " + lines[i].trim());
        }
        assertThat(problems).as("YAML anchors, aliases or merge keys in docker-compose.yml").isEmpty();
    }
}
