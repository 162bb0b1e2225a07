package io.ssmd.worker.workflows;

/**
 * Input of {@link FeesSyncWorkflow}.
 *
 * @param env a Kalshi environment name, resolved under the worker's config directory
 */
public record FeesSyncInput(String env) {
  public FeesSyncInput {
    env = Inputs.requireText("FeesSyncInput", "env", env, "name a Kalshi environment, e.g. \"kalshi-prod\"");
  }
}
