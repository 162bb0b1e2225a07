package io.ssmd.cli;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.worker.WorkerRuntime;
import io.ssmd.worker.WorkerSettings;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ssmd run worker}: the Temporal worker of the operations workflows, configured by the
 * environment variables of the worker deployment guide (see {@link WorkerSettings}); SIGTERM stops
 * polling and lets in-flight activities finish.
 */
@Command(
    name = "worker",
    description = {"Temporal worker for the operations workflows (SecmasterSync, ExchangeSync, FeesSync, DayStart, DayEnd,",
        "DataQuality, Notify). Configured by TEMPORAL_ADDRESS (unset: embedded server on TEMPORAL_EMBEDDED_PORT, 7233),",
        "TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE, HEALTH_CHECK_PORT, MAX_CONCURRENT_ACTIVITY_EXECUTIONS,",
        "MAX_CONCURRENT_WORKFLOW_TASK_EXECUTIONS, DATABASE_URL, SSMD_CONFIG_DIR, SSMD_READY_URLS, NOTIFY_WEBHOOK_URL, SMTP_*",
        "(see ssmd-worker/README.md)."},
    mixinStandardHelpOptions = true)
final class RunWorker implements Callable<Integer> {
  @Option(names = "--health-port", description = "Port of /health, /ready, /metrics (default: $HEALTH_CHECK_PORT, else 8080).")
  Integer healthPort;

  @Option(names = "--data-dir", defaultValue = "data", description = "Embedded PostgreSQL (data-dir/pg) and Parquet exports "
      + "(data-dir/normalized) when $SSMD_DATA_DIR is unset (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Override
  public Integer call() throws InterruptedException {
    WorkerSettings settings;
    try {
      settings = WorkerSettings.fromEnv(System::getenv, Optional.ofNullable(healthPort), dataDir);
    } catch (IllegalArgumentException e) {
      throw new UsageException(String.join("\nssmd: ", e.getMessage().lines().toList()));
    }
    WorkerRuntime runtime = WorkerRuntime.start(settings, new PrometheusRegistry());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      runtime.close();
      stopped.countDown();
    }, "shutdown"));
    System.err.println("ssmd worker: task queue " + runtime.taskQueue() + " at " + runtime.temporalAddress()
        + (runtime.embeddedServer() ? " (embedded server)" : "") + "; health on :" + runtime.healthPort());
    stopped.await();
    return Main.EXIT_OK;
  }
}
