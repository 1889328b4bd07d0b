package org.fenghuo.localservices;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/** Kafka and Elasticsearch started in parallel in one run directory, stopped together (also by a shutdown hook). */
final class LocalProcessServices implements RunningServices {
    private final LocalServicesOptions options;
    private final PrintStream progress;
    private final Path runDirectory;
    private final LocalKafka kafka;
    private final LocalElasticsearch elasticsearch;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private volatile boolean keepRunDirectory;

    private LocalProcessServices(LocalServicesOptions options, Path runDirectory) {
        this.options = options;
        this.progress = options.progress();
        this.runDirectory = runDirectory;
        this.kafka = options.starts(Service.KAFKA) ? new LocalKafka(options, runDirectory.resolve("kafka")) : null;
        this.elasticsearch = options.starts(Service.ELASTICSEARCH)
                ? new LocalElasticsearch(options, runDirectory.resolve("elasticsearch")) : null;
        this.keepRunDirectory = options.keepRunDirectory();
        this.shutdownHook = new Thread(this::close, "fenghuo-local-services-shutdown");
    }

    static LocalProcessServices start(LocalServicesOptions options) {
        RunDirectories.createTraversable(options.baseDirectory(), LocalServicesOptions.BASE_DIR);
        RunDirectories.cleanUpStale(options.runsDirectory(), options.progress());
        Path runDirectory = RunDirectories.create(options.runsDirectory());
        LocalProcessServices services = new LocalProcessServices(options, runDirectory);
        if (services.elasticsearch != null) {
            try {
                services.elasticsearch.preflight();
            } catch (RuntimeException e) {
                RunDirectories.deleteRecursively(runDirectory);
                throw e;
            }
        }
        // registered before anything starts, so that Ctrl-C during a slow start still stops what was started
        Runtime.getRuntime().addShutdownHook(services.shutdownHook);
        try {
            services.startAll();
            return services;
        } catch (RuntimeException | Error e) {
            services.keepRunDirectory = true; // its logs explain the failure; the next start removes it
            services.close();
            throw e;
        }
    }

    private void startAll() {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        if (elasticsearch != null) starts.add(startAsync("elasticsearch", elasticsearch::start));
        if (kafka != null) starts.add(startAsync("kafka", kafka::start));
        // whichever fails first stops the other, rather than letting it finish a start nobody will use
        CompletableFuture<Void> firstFailure = new CompletableFuture<>();
        starts.forEach(f -> f.whenComplete((v, t) -> {
            if (t != null) firstFailure.completeExceptionally(t);
        }));
        firstFailure.whenComplete((v, t) -> {
            if (kafka != null) kafka.close();
            if (elasticsearch != null) elasticsearch.close();
        });
        List<Throwable> failures = new ArrayList<>();
        for (CompletableFuture<Void> f : starts) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failures.add(e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(new ServicesException("interrupted while starting services", e));
            }
        }
        if (!failures.isEmpty()) {
            // the first real failure, not the "stopped while starting" of the service we stopped because of it
            Throwable primary = failures.stream().filter(t -> !String.valueOf(t.getMessage()).contains("stopped while starting"))
                    .findFirst().orElse(failures.get(0));
            RuntimeException thrown = primary instanceof RuntimeException re ? re
                    : new ServicesException(String.valueOf(primary.getMessage()), primary);
            failures.stream().filter(t -> t != primary).forEach(thrown::addSuppressed);
            throw thrown;
        }
    }

    private static CompletableFuture<Void> startAsync(String name, Runnable start) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                start.run();
                f.complete(null);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "fenghuo-start-" + name);
        t.setDaemon(true);
        t.start();
        return f;
    }

    @Override
    public Optional<String> kafkaBootstrapServers() {
        return Optional.ofNullable(kafka).map(LocalKafka::bootstrapServers);
    }

    @Override
    public Optional<String> elasticsearchUrl() {
        return Optional.ofNullable(elasticsearch).map(LocalElasticsearch::url);
    }

    @Override
    public List<String> elasticsearchUrls() {
        return elasticsearch == null ? List.of() : elasticsearch.urls();
    }

    @Override
    public int kafkaBrokers() {
        return kafka == null ? 0 : kafka.brokerCount();
    }

    @Override
    public void killKafkaBroker(int index) {
        requireOpen();
        kafka().killBroker(index);
    }

    @Override
    public void startKafkaBroker(int index) {
        requireOpen();
        kafka().startBroker(index);
    }

    @Override
    public void stopElasticsearch() {
        requireOpen();
        elasticsearch().stop();
    }

    @Override
    public void startElasticsearch() {
        requireOpen();
        elasticsearch().startAgain();
    }

    private LocalKafka kafka() {
        if (kafka == null) throw new IllegalStateException("kafka was not started: " + LocalServicesOptions.SERVICES
                + " = " + options.services());
        return kafka;
    }

    private LocalElasticsearch elasticsearch() {
        if (elasticsearch == null) throw new IllegalStateException("elasticsearch was not started: "
                + LocalServicesOptions.SERVICES + " = " + options.services());
        return elasticsearch;
    }

    private void requireOpen() {
        if (closed.get()) throw new IllegalStateException("the services are closed");
    }

    @Override
    public Optional<Path> runDirectory() {
        return Optional.of(runDirectory);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        long t0 = System.nanoTime();
        boolean inHook = Thread.currentThread() == shutdownHook;
        progress.println("[services] stopping " + describeServices() + " …");
        // in parallel: each may take seconds to shut down gracefully
        CompletableFuture<Void> stopEs = elasticsearch == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(elasticsearch::close, r -> daemon("fenghuo-stop-elasticsearch", r));
        if (kafka != null) kafka.close();
        stopEs.join();
        if (!keepRunDirectory) {
            RunDirectories.deleteRecursively(runDirectory);
        } else {
            progress.println("[services] kept run directory " + runDirectory);
        }
        progress.printf("[services] stopped (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
        if (!inHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook finds the services closed
            }
        }
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private String describeServices() {
        if (kafka != null && elasticsearch != null) return "kafka and elasticsearch";
        return kafka != null ? "kafka" : "elasticsearch";
    }

    LocalServicesOptions options() {
        return options;
    }
}
