package org.fenghuo.core.rules;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * A message on {@code control.rules}: a change to the running rules, or the job's answer to one.
 *
 * <ul>
 *   <li>{@code UPSERT} {@code rule}: add it, or replace the rule with its id;</li>
 *   <li>{@code ENABLE} / {@code DISABLE} / {@code DELETE} {@code ruleId};</li>
 *   <li>{@code REPLACE_ALL} {@code rules}: the whole set;</li>
 *   <li>{@code STATUS}: written by the correlation job after each request: {@code accepted}, {@code reason} and the
 *       rules {@code version} now running. The job ignores STATUS messages it reads.</li>
 * </ul>
 *
 * @param requestId chosen by the sender so it can find the answer (a UUID); STATUS repeats it
 * @param version   optional on requests: the version the sender expects to create; refused if not above the running
 *                  one (a stale push). On STATUS, the version running after the request
 * @param by        who sent it (user or tool)
 * @param source    where the rules came from, e.g. the file name, for the status and logs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuleUpdate(Type type, String requestId, Integer version, String ruleId, Rule rule, List<Rule> rules,
                         String by, String source, Instant at, Boolean accepted, String reason, List<String> ruleIds) {

    public enum Type { UPSERT, ENABLE, DISABLE, DELETE, REPLACE_ALL, STATUS }

    public static RuleUpdate status(RuleUpdate request, boolean accepted, String reason, int runningVersion,
                                    List<String> ruleIds, Instant at) {
        return new RuleUpdate(Type.STATUS, request == null ? null : request.requestId(), runningVersion,
                request == null ? null : request.ruleId(), null, null, "correlation-job",
                request == null ? null : request.source(), at, accepted, reason, ruleIds);
    }
}
