package io.ssmd.worker.workflows;

import java.util.List;

/**
 * What a {@link DayStartWorkflow} or {@link DayEndWorkflow} did.
 *
 * @param env environment
 * @param date the trading day resolved in the environment's timezone
 * @param ok every step OK or SKIPPED
 * @param steps in order
 * @param quality the data-quality report ({@link DayEndWorkflow} only; null otherwise)
 */
public record DayResult(String env, String date, boolean ok, List<DayStep> steps, QualityReport quality) {
  public DayResult {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }
}
