package org.fenghuo.jobs.correlation;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.util.Collector;
import org.fenghuo.core.rules.RuleSet;

import java.time.Duration;
import java.util.List;

/**
 * A detector whose state per rule and subject is the rule's window of inputs (threshold and correlation rules): each
 * input is remembered, the rule is evaluated on the windows that contain it, and inputs leave by event-time timers.
 */
abstract class WindowedRuleDetector extends RuleDetector {
    private transient ValueState<List<RuleInput>> facts;

    WindowedRuleDetector(RuleSet initial, String regionFile, Duration allowedLateness) {
        super(initial, regionFile, allowedLateness);
    }

    @Override
    void openState() {
        facts = getRuntimeContext().getState(new ValueStateDescriptor<>("facts", RuleInputSerializer.listType()));
    }

    /** What the stored inputs (sorted by time, {@code in} among them) raise now, or null. */
    abstract Detection detect(CompiledRule rule, List<RuleInput> sorted, RuleInput in);

    @Override
    public void processElement(RuleInput in, ReadOnlyContext ctx, Collector<Detection> out) throws Exception {
        CompiledRule rule = rule(ctx, in.ruleId());
        if (rule == null) {
            facts.clear();
            return;
        }
        List<RuleInput> list = remember(facts, rule, in, ctx.timerService(), true);
        if (list == null) return;
        Detection d = detect(rule, list, in);
        if (d != null) {
            out.collect(d);
            detections.inc();
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Detection> out) throws Exception {
        forget(facts, rule(ctx, ruleIdOf(ctx.getCurrentKey())), timestamp);
    }
}
