package org.fenghuo.flinkcluster;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How the local Flink cluster is started. Defaults: two TaskManagers of 4 slots and 1,600 MB each, a JobManager of
 * 1,024 MB, RocksDB state, under {@code /var/tmp/fenghuo/flink}.
 */
public record LocalFlinkClusterOptions(int taskManagers, int slotsPerTaskManager, String taskManagerMemory, String jobManagerMemory,
                                       String stateBackend, Path baseDirectory, Duration startTimeout, boolean keepRunDirectory,
                                       PrintStream progress) {
    public LocalFlinkClusterOptions {
        if (taskManagers < 1 || taskManagers > 8) throw new IllegalArgumentException("taskManagers must be from 1 to 8, not " + taskManagers);
        if (slotsPerTaskManager < 1 || slotsPerTaskManager > 32) throw new IllegalArgumentException("slotsPerTaskManager must be from 1 to 32, not " + slotsPerTaskManager);
        if (!Set.of("rocksdb", "hashmap").contains(stateBackend)) throw new IllegalArgumentException("stateBackend must be rocksdb or hashmap, not " + stateBackend);
        if (!taskManagerMemory.matches("\\d+[mg]") || !jobManagerMemory.matches("\\d+[mg]")) {
            throw new IllegalArgumentException("memory sizes are like 1600m or 2g, not " + taskManagerMemory + " / " + jobManagerMemory);
        }
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(progress, "progress");
    }

    public static LocalFlinkClusterOptions defaults(PrintStream progress) {
        return new LocalFlinkClusterOptions(2, 4, "1600m", "1024m", "rocksdb", Path.of("/var/tmp/fenghuo/flink"), Duration.ofSeconds(120),
                false, progress);
    }

    public LocalFlinkClusterOptions withBaseDirectory(Path dir) {
        return new LocalFlinkClusterOptions(taskManagers, slotsPerTaskManager, taskManagerMemory, jobManagerMemory, stateBackend, dir,
                startTimeout, keepRunDirectory, progress);
    }

    public LocalFlinkClusterOptions withTaskManagers(int count, int slots) {
        return new LocalFlinkClusterOptions(count, slots, taskManagerMemory, jobManagerMemory, stateBackend, baseDirectory, startTimeout,
                keepRunDirectory, progress);
    }

    public LocalFlinkClusterOptions keepingRunDirectory(boolean keep) {
        return new LocalFlinkClusterOptions(taskManagers, slotsPerTaskManager, taskManagerMemory, jobManagerMemory, stateBackend,
                baseDirectory, startTimeout, keep, progress);
    }
}
