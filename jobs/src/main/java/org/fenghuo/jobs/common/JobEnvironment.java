package org.fenghuo.jobs.common;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** Settings every Fenghuo job shares: exactly-once checkpoints of state and Kafka offsets, retained on cancel. */
public final class JobEnvironment {
    private JobEnvironment() {}

    public static void configure(StreamExecutionEnvironment env, Duration checkpointInterval, String checkpointDir, int parallelism,
                                 Platform platform) {
        env.setParallelism(parallelism);
        // our functions never keep or modify their input records, so chained operators may pass them without a copy
        env.getConfig().enableObjectReuse();
        env.enableCheckpointing(checkpointInterval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        CheckpointConfig cc = env.getCheckpointConfig();
        cc.setMinPauseBetweenCheckpoints(Math.min(checkpointInterval.toMillis() / 2, 5_000));
        cc.setCheckpointTimeout(Duration.ofMinutes(10).toMillis());
        cc.setTolerableCheckpointFailureNumber(3);
        Configuration conf = new Configuration();
        if (platform.stateBackend() != null) conf.set(StateBackendOptions.STATE_BACKEND, platform.stateBackend());
        if (checkpointDir != null && !checkpointDir.isBlank()) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                    org.apache.flink.configuration.ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        env.configure(conf);
    }
}
