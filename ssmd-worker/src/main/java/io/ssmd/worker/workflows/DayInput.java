package io.ssmd.worker.workflows;

/**
 * Input of the day workflows ({@link DayStartWorkflow}, {@link DayEndWorkflow}, {@link DataQualityWorkflow}).
 *
 * @param env environment name, resolved under the worker's config directory
 * @param date the trading day {@code YYYY-MM-DD}; null means today in the environment's {@code schedule.timezone}
 */
public record DayInput(String env, String date) {
  public DayInput {
    env = Inputs.requireText("DayInput", "env", env, "name an environment under the config directory, e.g. \"kalshi-prod\"");
    date = Inputs.optionalDate("DayInput", "date", date);
  }
}
