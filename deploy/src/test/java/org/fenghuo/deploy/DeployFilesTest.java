package org.fenghuo.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the files in deploy/ against the code they start: the job submission script against the job classes and
 * their settings, the dashboards service's variables against DashboardConfig, the Dockerfile against the repository,
 * env.example against the variables docker-compose.yml uses, and the scripts' shape.
 */
class DeployFilesTest {
    private static final Pattern SETTING_DECLARATION = Pattern.compile("Setting\\.\\w+\\(\\s*\"(fenghuo\\.[a-z0-9.-]+)\"");

    static String submit;
    static Map<String, JsonNode> services;

    @BeforeAll
    static void read() {
        submit = Repo.read("deploy/flink/submit-jobs.sh");
        services = Repo.services(Repo.compose());
    }

    @Test
    void submitScriptNamesBothJobsAsTheirSourcesAndTheDockerfileDo() {
        String dockerfile = Repo.read("deploy/Dockerfile");
        for (String job : List.of("INGEST", "CORRELATION")) {
            String name = assignment(submit, job + "_NAME");
            String entryClass = assignment(submit, job + "_CLASS");
            String jar = assignment(submit, job + "_JAR");
            Path source = Repo.path("jobs/src/main/java/" + entryClass.replace('.', '/') + ".java");
            assertThat(source).as(job + "_CLASS " + entryClass + " in submit-jobs.sh: its source file").isRegularFile();
            Matcher declaredName = Pattern.compile("String NAME = \"([^\"]+)\"").matcher(Repo.read(Repo.ROOT.relativize(source).toString()));
            assertThat(declaredName.find()).as(entryClass + " declares its job NAME").isTrue();
            assertThat(name).as(job + "_NAME in submit-jobs.sh (the running-job check compares it with the job's name)")
                    .isEqualTo(declaredName.group(1));
            assertThat(jar).as(job + "_JAR").endsWith(".jar");
            assertThat(dockerfile).as("deploy/Dockerfile copies jobs/target/" + jar + " into the jobs image").contains("jobs/target/" + jar);
        }
        assertThat(submit).contains("/jars/upload").contains("/jars/$jar_id/run").contains("programArgsList").contains("entryClass");
    }

    private static String assignment(String script, String variable) {
        Matcher m = Pattern.compile("(?m)^" + variable + "=(\\S+)$").matcher(script);
        assertThat(m.find()).as(variable + "= in deploy/flink/submit-jobs.sh").isTrue();
        return m.group(1);
    }

    @Test
    void everyProgramArgumentIsASettingTheJobsDeclare() throws IOException {
        Set<String> declared = declaredSettings("core/src/main/java", "connectors/src/main/java", "jobs/src/main/java");
        Set<String> passed = new TreeSet<>();
        Matcher m = Pattern.compile("--(fenghuo\\.[a-z0-9.-]+)=").matcher(submit);
        while (m.find()) passed.add(m.group(1));
        assertThat(passed).as("settings submit-jobs.sh passes").contains("fenghuo.kafka.bootstrap", "fenghuo.elasticsearch.hosts",
                "fenghuo.regions.file", "fenghuo.privacy.secret", "fenghuo.checkpoint.dir", "fenghuo.ingest.parallelism",
                "fenghuo.correlation.parallelism", "fenghuo.kafka.delivery", "fenghuo.elasticsearch.username",
                "fenghuo.elasticsearch.password");
        Set<String> unknown = new TreeSet<>(passed);
        unknown.removeAll(declared);
        // the jobs reject an unknown --fenghuo.* argument, so the submission would fail
        assertThat(unknown).as("settings passed by submit-jobs.sh that no job declares (a typo, or a renamed setting)").isEmpty();
    }

    @Test
    void dashboardsServiceVariablesAreDashboardSettings() throws IOException {
        Map<String, String> byEnv = new LinkedHashMap<>();
        for (String setting : declaredSettings("dashboards/src/main/java")) {
            byEnv.put(setting.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), setting);
        }
        JsonNode dashboards = services.get("dashboards");
        assertThat(dashboards).as("a dashboards service in docker-compose.yml").isNotNull();
        Map<String, String> env = Repo.environment(dashboards);
        Set<String> unknown = new TreeSet<>();
        env.keySet().stream().filter(k -> k.startsWith("FENGHUO_")).filter(k -> !byEnv.containsKey(k)).forEach(unknown::add);
        assertThat(unknown).as("FENGHUO_* variables of the dashboards service that DashboardConfig does not read; it reads " + byEnv.keySet())
                .isEmpty();
        assertThat(env).as("the dashboards service's required settings")
                .containsKeys("FENGHUO_KAFKA_BOOTSTRAP", "FENGHUO_ELASTICSEARCH_HOSTS", "FENGHUO_REGIONS_FILE",
                        "FENGHUO_DASHBOARD_USERS_FILE", "FENGHUO_DASHBOARD_HOST");
        assertThat(env.get("FENGHUO_DASHBOARD_HOST")).as("listen address inside the container").isEqualTo("0.0.0.0");
    }

    private static Set<String> declaredSettings(String... sourceRoots) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String root : sourceRoots) {
            try (Stream<Path> files = Files.walk(Repo.path(root))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = SETTING_DECLARATION.matcher(Files.readString(f));
                    while (m.find()) names.add(m.group(1));
                }
            }
        }
        assertThat(names).as("settings declared under " + String.join(", ", sourceRoots)).isNotEmpty();
        return names;
    }

    @Test
    void filesNamedToAServiceAreMountedWhereItReadsThem() {
        List<String> problems = new ArrayList<>();
        Set<String> flinkServices = new LinkedHashSet<>();
        services.forEach((name, s) -> {
            if (s.path("image").asText().startsWith("flink:")) flinkServices.add(name);
        });
        services.forEach((name, s) -> Repo.environment(s).forEach((key, value) -> {
            if (value == null || !value.startsWith("/") || !(key.endsWith("_FILE") || key.endsWith("_DIR"))) return;
            if (mountTarget(s, value) == null) problems.add(name + ": " + key + "=" + value + " is not inside any of its mounts");
            // a file handed to a Flink job is opened by the JobManager and the TaskManagers, at the same path
            if (name.equals("flink-submit")) {
                for (String f : flinkServices) {
                    if (mountTarget(services.get(f), value) == null) problems.add(f + ": does not mount " + value + " (flink-submit passes it to the jobs)");
                }
            }
        }));
        assertThat(problems).as("file paths given to services that are not mounted").isEmpty();
    }

    /** The container path of the mount that contains {@code path}, or null. */
    private static String mountTarget(JsonNode service, String path) {
        for (JsonNode v : service.path("volumes")) {
            String target;
            if (v.isTextual()) {
                String[] parts = v.asText().split(":");
                if (parts.length < 2) continue;
                target = parts[1];
            } else {
                target = v.path("target").asText("");
            }
            if (!target.isEmpty() && (path.equals(target) || path.startsWith(target.endsWith("/") ? target : target + "/"))) return target;
        }
        return null;
    }

    @Test
    void shellScriptsAreExecutableAndStopOnErrors() throws IOException {
        List<Path> scripts;
        try (Stream<Path> files = Files.walk(Repo.path("deploy"))) {
            scripts = files.filter(p -> p.toString().endsWith(".sh")).filter(p -> !p.toString().contains("/target/")).toList();
        }
        assertThat(scripts).as("shell scripts in deploy/").hasSizeGreaterThanOrEqualTo(3);
        List<String> problems = new ArrayList<>();
        for (Path script : scripts) {
            String rel = Repo.ROOT.relativize(script).toString();
            String text = Files.readString(script);
            if (!Files.isExecutable(script)) problems.add(rel + ": not executable (chmod +x)");
            if (!text.startsWith("#!/bin/sh\n") && !text.startsWith("#!/usr/bin/env bash\n") && !text.startsWith("#!/bin/bash\n")) {
                problems.add(rel + ": does not start with #!/bin/sh or a bash shebang");
            }
            if (!Pattern.compile("(?m)^set -eu").matcher(text).find()) problems.add(rel + ": no `set -eu`");
        }
        assertThat(problems).as("shell scripts").isEmpty();
    }

    @Test
    void dockerfileUsesPinnedBaseImagesAndExistingFiles() {
        String dockerfile = Repo.read("deploy/Dockerfile");
        List<String> problems = new ArrayList<>();
        Set<String> stages = new LinkedHashSet<>();
        Matcher from = Pattern.compile("(?im)^FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$").matcher(dockerfile);
        while (from.find()) {
            String image = from.group(1);
            if (!stages.contains(image)) {
                DockerComposeTest.pinProblem(image).ifPresent(p -> problems.add("FROM " + image + " " + p));
            }
            if (from.group(2) != null) stages.add(from.group(2));
        }
        assertThat(stages).as("stages of deploy/Dockerfile").contains("build", "tools", "jobs", "dashboards");
        Matcher maven = Pattern.compile("(?m)^FROM\\s+maven:3\\.9\\.\\d+-eclipse-temurin-17\\s+AS\\s+build").matcher(dockerfile);
        if (!maven.find()) problems.add("the build stage is not a pinned maven:3.9.x-eclipse-temurin-17 image");

        Matcher copy = Pattern.compile("(?m)^COPY\\s+(?!--from)(?:--\\S+\\s+)*(\\S+)\\s+\\S+\\s*$").matcher(dockerfile);
        while (copy.find()) {
            String source = copy.group(1);
            if (!source.equals(".") && !Files.exists(Repo.path(source))) problems.add("COPY " + source + ": no such file in the repository");
        }

        Matcher arg = Pattern.compile("(?m)^ARG LOG4J_VERSION=(\\S+)$").matcher(dockerfile);
        Matcher pom = Pattern.compile("<log4j\\.version>([^<]+)</log4j\\.version>").matcher(Repo.read("pom.xml"));
        if (!arg.find() || !pom.find() || !arg.group(1).equals(pom.group(1))) {
            problems.add("ARG LOG4J_VERSION in deploy/Dockerfile differs from <log4j.version> in pom.xml");
        }
        if (Pattern.compile("(?im)^(ENV|ARG)\\s+\\S*(PASSWORD|SECRET|TOKEN)").matcher(dockerfile).find()) {
            problems.add("a password or secret is built into an image (ENV/ARG)");
        }
        assertThat(problems).as("deploy/Dockerfile").isEmpty();

        String ignore = Repo.read("deploy/Dockerfile.dockerignore");
        assertThat(ignore.lines().map(String::trim).toList()).as("deploy/Dockerfile.dockerignore keeps secrets and build output out of the context")
                .contains(".env", "deploy/dashboards/users.json", "**/target", ".git");
    }

    @Test
    void envExampleDocumentsEveryVariableTheComposeFileUses() {
        // without comments (they may mention ${VAR} as prose) and without $$, compose's escape for a literal $
        String compose = Repo.read("docker-compose.yml").lines().map(l -> l.replaceFirst("(^|\\s)#.*$", ""))
                .collect(java.util.stream.Collectors.joining("\n")).replace("$$", "");
        String example = Repo.read("deploy/env.example");
        Matcher ref = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?][^}]*)?}").matcher(compose);
        Map<String, Boolean> variables = new LinkedHashMap<>();
        while (ref.find()) {
            boolean required = ref.group(2) != null && ref.group(2).replace(":", "").startsWith("?");
            variables.merge(ref.group(1), required, Boolean::logicalOr);
        }
        assertThat(variables).as("variables docker-compose.yml reads from .env").isNotEmpty();
        List<String> problems = new ArrayList<>();
        variables.forEach((name, required) -> {
            Matcher line = Pattern.compile("(?m)^(#\\s*)?" + name + "=(.*)$").matcher(example);
            if (!line.find()) {
                problems.add(name + ": not in deploy/env.example");
            } else if (required && line.group(1) != null) {
                problems.add(name + ": required by docker-compose.yml but commented out in deploy/env.example");
            } else if (required && !line.group(2).isBlank()) {
                problems.add(name + ": deploy/env.example gives it a value; required secrets stay empty in the template");
            }
        });
        assertThat(problems).as("deploy/env.example against docker-compose.yml").isEmpty();
    }

    @Test
    void usersExampleHasTheUsersFileShapeAndCannotBeDeployedUnedited() throws IOException {
        JsonNode root = Repo.JSON.readTree(Repo.read("deploy/dashboards/users.example"));
        JsonNode users = root.path("users");
        assertThat(users.isArray() && users.size() > 0).as("a non-empty \"users\" array").isTrue();
        assertThat(root.path("_comment").toString()).as("the note on making entries").contains("htpasswd").contains("passwordHash");
        List<String> problems = new ArrayList<>();
        for (JsonNode u : users) {
            String name = u.path("name").asText();
            if (!name.matches("[a-z0-9][a-z0-9._-]{0,63}")) problems.add(name + ": not a valid user name");
            if (!Set.of("DUTY_OFFICER", "ANALYST", "ADMIN").contains(u.path("role").asText())) problems.add(name + ": role " + u.path("role"));
            if (!u.path("scope").asText("").matches("\\d{0,15}")) problems.add(name + ": scope " + u.path("scope"));
            // a working hash in an example would be a known password in production
            if (u.path("passwordHash").asText().matches("\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}")) {
                problems.add(name + ": carries a real bcrypt hash; the example must hold placeholders");
            }
        }
        assertThat(problems).as("deploy/dashboards/users.example").isEmpty();
        assertThat(Repo.read("deploy/.gitignore")).as("deploy/.gitignore keeps the real users file out of git").contains("/dashboards/users.json");
    }
}
