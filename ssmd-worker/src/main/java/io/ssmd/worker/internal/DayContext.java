package io.ssmd.worker.internal;

/**
 * A day workflow's environment, resolved once by an activity so the workflow code stays
 * deterministic (it reads neither files nor the clock).
 *
 * @param env environment name
 * @param date trading day {@code YYYY-MM-DD}
 * @param feed feed name
 * @param timezone the environment's schedule timezone
 * @param transport {@code nats} or {@code memory}
 * @param storage {@code local} or {@code s3}
 */
public record DayContext(String env, String date, String feed, String timezone, String transport, String storage) {}
