package org.fenghuo.cli;

import java.util.Arrays;
import java.util.List;
import org.fenghuo.core.config.ConfigException;

/** {@code ./fenghuo}: the one command operators use. */
public final class Main {
    static final String USAGE = """
            usage: ./fenghuo <command> [options]

            commands:
              demo [--no-simulator] [--regions FILE] [--rules FILE] [--speed N|realtime] [--seed N]
                                   start Kafka, Elasticsearch, the Flink jobs and the feed simulator on this machine
              replay FILE… [--kafka HOST:PORT] [--topic TOPIC]
                                   send JSON Lines files to the feed topics (topic from the file name, e.g. petitions.jsonl)
              simulate --out DIR [--records N] [--seed N] [--start ISO-TIME]
                                   write simulated feed records as JSON Lines files, for replay
              city --out FILE [--seed N]
                                   write the generated demo city (GeoJSON region file)
              rules check FILE     validate a rules file (docs/rules.md)
              rules push FILE [--kafka HOST:PORT] [--wait 30s]
                                   replace the running correlation job's rules and wait for its answer
              rules enable|disable|delete RULE-ID [--kafka HOST:PORT]
                                   change one running rule
              bench ingest [--records N] [--rate N]
                                   measure ingest throughput and write-to-searchable latency on a local stack
              bench correlation [--events N] [--entities N] [--grids N] [--days N] [--passes 3]
                                   measure the correlation job alone (in memory): throughput and state held
              bench alerts [--rate 100] [--seconds 120] [--probes 2]
                                   on the demo stack under live traffic: feed write → alert on the topic and searchable
              bench api [--alerts 10000] [--requests 200]
                                   the dashboards' alert list under filters with that many alerts indexed: p50/p95/p99
              bench cluster [--records 200000] [--jar-dir jobs/target]
                                   ingest and correlation throughput, each alone, in the MiniCluster and on a local
                                   2-TaskManager cluster (the job jars, parallelism 2, RocksDB)
              cluster up [--task-managers 2] [--slots 4] [--regions FILE]
                                   a real Flink cluster (JobManager and TaskManager processes) with local Kafka and
                                   Elasticsearch; stays in the foreground
              cluster submit [ingest|correlation|all] [--parallelism 2] [--from-savepoint PATH]
                                   upload the job jars and run them over Flink's REST API
              cluster status       TaskManagers, slots, jobs and their checkpoints
              cluster stop ingest|correlation
                                   stop a job with a savepoint (prints how to resume it)
              cluster down         stop the cluster, Kafka and Elasticsearch
              help                 this text
            """;

    private Main() {}

    public static void main(String[] argv) {
        System.exit(run(Arrays.asList(argv)));
    }

    /** Runs one command line and returns its exit code (0 ok, 1 failed, 2 bad usage); {@link #main} exits with it. */
    public static int run(List<String> argv) {
        if (argv.isEmpty()) {
            System.err.println("fenghuo: no command given");
            System.err.print(USAGE);
            return 2;
        }
        String command = argv.get(0);
        List<String> rest = argv.subList(1, argv.size());
        try {
            return switch (command) {
                case "demo" -> new DemoCommand(Args.parse(rest, DemoCommand.FLAGS, DemoCommand.OPTIONS)).run();
                case "replay" -> new ReplayCommand(Args.parse(rest, ReplayCommand.FLAGS, ReplayCommand.OPTIONS)).run();
                case "simulate" -> new SimulateCommand(Args.parse(rest, SimulateCommand.FLAGS, SimulateCommand.OPTIONS)).run();
                case "city" -> new CityCommand(Args.parse(rest, CityCommand.FLAGS, CityCommand.OPTIONS)).run();
                case "rules" -> new RulesCommand(Args.parse(rest, RulesCommand.FLAGS, RulesCommand.OPTIONS)).run();
                case "bench" -> new BenchCommand(Args.parse(rest, BenchCommand.FLAGS, BenchCommand.OPTIONS)).run();
                case "cluster" -> new ClusterCommand(Args.parse(rest, ClusterCommand.FLAGS, ClusterCommand.OPTIONS)).run();
                case "help", "--help", "-h" -> {
                    System.out.print(USAGE);
                    yield 0;
                }
                default -> throw new UsageException("unknown command '" + command + "'");
            };
        } catch (UsageException e) {
            System.err.println("fenghuo: " + e.getMessage());
            System.err.print(USAGE);
            return 2;
        } catch (ConfigException | CommandException | org.fenghuo.flinkcluster.FlinkClusterException e) {
            System.err.println("fenghuo: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (Exception e) {
            // anything unexpected still gets one readable line; the trace is for a developer
            System.err.println("fenghuo: " + command + " failed: " + e);
            if (System.getenv("FENGHUO_DEBUG") != null) e.printStackTrace();
            else System.err.println("(set FENGHUO_DEBUG=1 for the stack trace)");
            return 1;
        }
    }
}
