package org.fenghuo.jobs.correlation;

import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.fenghuo.core.json.Json;
import org.fenghuo.core.rules.Rule;
import org.fenghuo.core.rules.RuleSet;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The running rules in broadcast state. The state holds the rule set as JSON (one entry) so that its serializer never
 * changes when the rule model grows; operators compile it once per version and cache the result.
 */
final class RuleBroadcast implements Serializable {
    static final MapStateDescriptor<String, String> DESCRIPTOR =
            new MapStateDescriptor<>("running-rules", Types.STRING, Types.STRING);
    static final String KEY = "rules";

    private final String initialJson;
    private transient String cachedJson;
    private transient Compiled cached;

    RuleBroadcast(RuleSet initial) {
        this.initialJson = new String(Json.toBytes(initial), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The compiled enabled rules of the broadcast state, or of the initial set before any update. */
    Compiled current(ReadOnlyBroadcastState<String, String> state) throws Exception {
        String json = state == null ? null : state.get(KEY);
        if (json == null) json = initialJson;
        if (json != cachedJson && !json.equals(cachedJson)) {
            cached = compile(json);
            cachedJson = json;
        }
        return cached;
    }

    /** The initial rules, compiled (tests look rules up without a broadcast state). */
    Compiled initial() {
        return compile(initialJson);
    }

    static String toJson(RuleSet set) {
        return new String(Json.toBytes(set), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Compiled compile(String json) {
        RuleSet set = Json.fromBytes(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), RuleSet.class);
        Map<String, CompiledRule> enabled = new LinkedHashMap<>();
        for (Rule r : set.rules()) {
            if (r.isEnabled()) enabled.put(r.id(), new CompiledRule(r));
        }
        return new Compiled(set, set.versionOrDefault(), Collections.unmodifiableMap(enabled));
    }

    /** One version of the running rules. */
    record Compiled(RuleSet set, int version, Map<String, CompiledRule> enabled) {
        CompiledRule get(String ruleId) { return enabled.get(ruleId); }
    }
}
