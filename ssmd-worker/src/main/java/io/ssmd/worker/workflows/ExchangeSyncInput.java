package io.ssmd.worker.workflows;

/**
 * Input of {@link ExchangeSyncWorkflow}.
 *
 * @param env a Kraken or Polymarket environment name, resolved under the worker's config directory
 */
public record ExchangeSyncInput(String env) {
  public ExchangeSyncInput {
    env = Inputs.requireText("ExchangeSyncInput", "env", env, "name a Kraken or Polymarket environment, e.g. \"kraken-prod\"");
  }
}
