package org.fenghuo.flinkcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The part of Flink's REST API that operators use: jar upload and run, jobs and their state, checkpoints, stop with
 * a savepoint, cancel. Works against any Flink 2.x session cluster (the local one or a remote one).
 */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public FlinkRest(String baseUrl) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** One job as {@code /jobs/overview} lists it. */
    public record Job(String id, String name, String state, long startTime) {
        public boolean running() {
            return "RUNNING".equals(state);
        }

        public boolean terminal() {
            return List.of("FINISHED", "CANCELED", "FAILED", "SUSPENDED").contains(state);
        }
    }

    public JsonNode overview() {
        return get("/overview");
    }

    /** Uploads a job jar; returns the id the cluster gave it. */
    public String uploadJar(Path jar) {
        String boundary = "----fenghuo" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName()
                    + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(jar));
            body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new FlinkClusterException("cannot read job jar " + jar + ": " + e.getMessage(), e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/jars/upload")).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        JsonNode answer = send(request, "upload of " + jar.getFileName());
        String file = answer.path("filename").asText("");
        if (!"success".equals(answer.path("status").asText()) || file.isEmpty()) {
            throw new FlinkClusterException("upload of " + jar.getFileName() + " was not accepted: " + answer);
        }
        return Path.of(file).getFileName().toString();
    }

    /**
     * Runs an uploaded jar's entry class with {@code args}; {@code savepointPath} (may be null) restores its state.
     * Returns the job id. The entry class's own errors (a bad setting) come back in the exception's message.
     */
    public String runJar(String jarId, String entryClass, List<String> args, int parallelism, String savepointPath) {
        ObjectNode body = JSON.createObjectNode().put("entryClass", entryClass).put("parallelism", parallelism);
        args.forEach(body.putArray("programArgsList")::add);
        if (savepointPath != null) body.put("savepointPath", savepointPath).put("allowNonRestoredState", false);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/jars/" + jarId + "/run")).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        JsonNode answer = send(request, "run of " + entryClass);
        String id = answer.path("jobid").asText("");
        if (id.isEmpty()) throw new FlinkClusterException("run of " + entryClass + " returned no job id: " + answer);
        return id;
    }

    public List<Job> jobs() {
        List<Job> out = new ArrayList<>();
        for (JsonNode j : get("/jobs/overview").path("jobs")) {
            out.add(new Job(j.path("jid").asText(), j.path("name").asText(), j.path("state").asText(), j.path("start-time").asLong()));
        }
        return out;
    }

    /** The newest job of that name that is not finished, failed or cancelled. */
    public Optional<Job> activeJob(String name) {
        return jobs().stream().filter(j -> j.name().equals(name) && !j.terminal()).max((a, b) -> Long.compare(a.startTime(), b.startTime()));
    }

    public JsonNode job(String jobId) {
        return get("/jobs/" + jobId);
    }

    /** The resource ids of the TaskManagers running any task of the job (a local cluster names them {@code taskmanager-<i>}). */
    public java.util.Set<String> taskManagersOf(String jobId) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (JsonNode v : job(jobId).path("vertices")) {
            for (JsonNode tm : get("/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/taskmanagers").path("taskmanagers")) {
                out.add(tm.path("taskmanager-id").asText());
            }
        }
        return out;
    }

    public JsonNode checkpoints(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints");
    }

    /** Waits for the job to reach {@code state}; fails early, with the job's root exception, if it ends otherwise. */
    public void awaitState(String jobId, String state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String now = "?";
        while (System.nanoTime() < deadline) {
            now = job(jobId).path("state").asText();
            if (now.equals(state)) return;
            if (List.of("FAILED", "CANCELED", "FINISHED").contains(now)) {
                throw new FlinkClusterException("job " + jobId + " is " + now + ", not " + state + rootException(jobId));
            }
            sleep(200);
        }
        throw new FlinkClusterException("job " + jobId + " did not reach " + state + " within " + timeout.toSeconds() + " s (it is " + now + ")"
                + rootException(jobId));
    }

    /** Waits until every task of the job is RUNNING (the job state alone turns RUNNING while tasks still deploy). */
    public void awaitAllTasksRunning(String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = job(jobId);
            if ("RUNNING".equals(job.path("state").asText())) {
                boolean all = true;
                for (JsonNode v : job.path("vertices")) all &= "RUNNING".equals(v.path("status").asText());
                if (all) return;
            } else if (List.of("FAILED", "CANCELED", "FINISHED").contains(job.path("state").asText())) {
                throw new FlinkClusterException("job " + jobId + " is " + job.path("state").asText() + rootException(jobId));
            }
            sleep(200);
        }
        throw new FlinkClusterException("not every task of job " + jobId + " was running within " + timeout.toSeconds() + " s" + rootException(jobId));
    }

    /** Stops the job with a savepoint in {@code targetDirectory} (null: the cluster's default) and returns its path. */
    public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout) {
        ObjectNode body = JSON.createObjectNode().put("drain", false);
        if (targetDirectory != null) body.put("targetDirectory", targetDirectory);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "/stop")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        String trigger = send(request, "stop with savepoint of " + jobId).path("request-id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if ("COMPLETED".equals(status.path("status").path("id").asText())) {
                JsonNode op = status.path("operation");
                if (op.hasNonNull("failure-cause")) {
                    throw new FlinkClusterException("stop with savepoint of " + jobId + " failed: "
                            + op.path("failure-cause").path("stack-trace").asText(op.path("failure-cause").toString()).lines().findFirst().orElse(""));
                }
                return op.path("location").asText();
            }
            sleep(250);
        }
        throw new FlinkClusterException("the savepoint of " + jobId + " did not complete within " + timeout.toSeconds() + " s");
    }

    public void cancel(String jobId) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel")).timeout(Duration.ofSeconds(30))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build();
        send(request, "cancel of " + jobId);
    }

    /** The job's root exception in one line (empty when there is none), to put in an error message. */
    public String rootException(String jobId) {
        try {
            JsonNode ex = get("/jobs/" + jobId + "/exceptions");
            String root = ex.path("root-exception").asText("");
            if (root.isEmpty()) {
                JsonNode history = ex.path("exceptionHistory").path("entries");
                if (history.size() > 0) root = history.get(0).path("stacktrace").asText("");
            }
            return root.isEmpty() ? "" : "; its error: " + root.lines().findFirst().orElse("");
        } catch (FlinkClusterException e) {
            return "";
        }
    }

    private JsonNode get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15)).GET().build();
        return send(request, "GET " + path);
    }

    private JsonNode send(HttpRequest request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new FlinkClusterException(what + ": Flink's REST API at " + base + " does not answer (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkClusterException(what + ": interrupted");
        }
        JsonNode body;
        try {
            body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new FlinkClusterException(what + ": HTTP " + response.statusCode() + " with a body that is not JSON: " + abbreviate(response.body()));
        }
        if (response.statusCode() >= 300) {
            StringBuilder errors = new StringBuilder();
            body.path("errors").forEach(e -> errors.append(errors.length() == 0 ? "" : " | ").append(firstMeaningfulLines(e.asText())));
            throw new FlinkClusterException(what + ": HTTP " + response.statusCode() + (errors.length() > 0 ? ": " + errors : ""));
        }
        return body;
    }

    /** A Flink REST error is a whole stack trace; the lines naming the causes are what a person needs. */
    static String firstMeaningfulLines(String text) {
        List<String> causes = new ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.startsWith("at ") || l.startsWith("...") || l.isEmpty()) continue;
            if (causes.size() < 4) causes.add(l);
        }
        return String.join(" / ", causes);
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkClusterException("interrupted");
        }
    }
}
