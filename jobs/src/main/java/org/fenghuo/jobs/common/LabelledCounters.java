package org.fenghuo.jobs.common;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * One counter per combination of label values, under the operator's {@code fenghuo} group: Flink's Prometheus reporter
 * turns each key/value group into a label and puts the key into the name too, e.g.
 * {@code flink_taskmanager_job_task_operator_fenghuo_feed_recordsIn{feed="petition"}}.
 * Counters are made on first use, so only the values that occur are exported; callers pass values from a small fixed
 * set (feeds, reason classes, rules, levels), never free text.
 */
public final class LabelledCounters {
    /** The metric group under which the project's own metrics live. */
    public static final String GROUP = "fenghuo";

    private final MetricGroup parent;
    private final String name;
    private final String[] keys;
    private final Map<List<String>, Counter> counters = new HashMap<>();

    private LabelledCounters(MetricGroup parent, String name, String[] keys) {
        this.parent = parent;
        this.name = name;
        this.keys = keys.clone();
    }

    public static LabelledCounters of(MetricGroup operatorGroup, String name, String... keys) {
        return new LabelledCounters(operatorGroup.addGroup(GROUP), name, keys);
    }

    public void inc(String... values) {
        if (values.length != keys.length) {
            throw new IllegalArgumentException(name + " takes " + keys.length + " labels " + Arrays.toString(keys) + ", got " + values.length);
        }
        counters.computeIfAbsent(List.of(values), v -> {
            MetricGroup g = parent;
            for (int i = 0; i < keys.length; i++) g = g.addGroup(keys[i], v.get(i) == null ? "unknown" : v.get(i));
            return g.counter(name);
        }).inc();
    }
}
