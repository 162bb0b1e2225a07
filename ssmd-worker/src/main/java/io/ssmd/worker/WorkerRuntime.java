package io.ssmd.worker;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.observability.HealthServer;
import io.ssmd.worker.internal.DayActivitiesImpl;
import io.ssmd.worker.internal.DayWorkflows;
import io.ssmd.worker.internal.Databases;
import io.ssmd.worker.internal.Environments;
import io.ssmd.worker.internal.NotifyActivitiesImpl;
import io.ssmd.worker.internal.Profiles;
import io.ssmd.worker.internal.SyncActivitiesImpl;
import io.ssmd.worker.internal.SyncWorkflows;
import io.ssmd.worker.workflows.DataQualityWorkflow;
import io.ssmd.worker.workflows.DayEndWorkflow;
import io.ssmd.worker.workflows.DayStartWorkflow;
import io.ssmd.worker.workflows.ExchangeSyncWorkflow;
import io.ssmd.worker.workflows.FeesSyncWorkflow;
import io.ssmd.worker.workflows.NotifyWorkflow;
import io.ssmd.worker.workflows.SecmasterSyncWorkflow;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import io.temporal.common.converter.DataConverterException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations worker: a Temporal worker polling {@code TEMPORAL_TASK_QUEUE} with every workflow
 * of {@link io.ssmd.worker.workflows.WorkflowCatalog} and their activities, plus /health, /ready
 * (connected to Temporal and polling) and /metrics (the worker's and the Temporal SDK's
 * {@code temporal_*} metrics) on the health port. Without {@code TEMPORAL_ADDRESS} it first starts
 * the embedded server (the Temporal Java test server, real time, in memory) on
 * {@code TEMPORAL_EMBEDDED_PORT}, so {@code ssmd day} of another process can reach it.
 *
 * <p>Embedding ({@code ssmd up}): {@code WorkerRuntime.start(WorkerSettings.embedded(configDir,
 * dataDir, healthPort), registry)}, then {@link #client()} to start workflows, {@link #close()} to stop.
 */
public final class WorkerRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerRuntime.class);
  private static final Duration METRICS_REPORT_EVERY = Duration.ofSeconds(5);
  /**
   * An input its record rejects fails the workflow with the record's message: by default a
   * deserialization error fails only the workflow task, which the server retries forever.
   */
  private static final WorkflowImplementationOptions FAIL_ON_BAD_INPUT = WorkflowImplementationOptions.newBuilder()
      .setFailWorkflowExceptionTypes(DataConverterException.class, IllegalArgumentException.class)
      .build();

  private final WorkerSettings settings;
  private final String address;
  private final TestServer.PortBoundTestServer embedded;
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final WorkerFactory factory;
  private final Scope scope;
  private final PrometheusMeterRegistry micrometer;
  private final Databases databases;
  private final HealthServer health;
  private final WorkerMetrics metrics;
  private volatile boolean closed;

  private WorkerRuntime(WorkerSettings settings, String address, TestServer.PortBoundTestServer embedded, WorkflowServiceStubs service,
      WorkflowClient client, WorkerFactory factory, Scope scope, PrometheusMeterRegistry micrometer, Databases databases,
      HealthServer health, WorkerMetrics metrics) {
    this.settings = settings;
    this.address = address;
    this.embedded = embedded;
    this.service = service;
    this.client = client;
    this.factory = factory;
    this.scope = scope;
    this.micrometer = micrometer;
    this.databases = databases;
    this.health = health;
    this.metrics = metrics;
  }

  /** Starts the worker (and the embedded server when {@code TEMPORAL_ADDRESS} is unset) and its health endpoints. */
  public static WorkerRuntime start(WorkerSettings settings, PrometheusRegistry registry) {
    return start(settings, registry, Profiles.standard(settings.readyTimeout()), SyncActivitiesImpl.PageObserver.NONE);
  }

  /**
   * As {@link #start(WorkerSettings, PrometheusRegistry)} with other activity profiles and an observer
   * of the Kalshi sync's pages (tests shorten the heartbeat timeout and stall an attempt).
   */
  public static WorkerRuntime start(WorkerSettings settings, PrometheusRegistry registry, Profiles profiles,
      SyncActivitiesImpl.PageObserver kalshiPages) {
    TestServer.PortBoundTestServer embedded = null;
    String address;
    if (settings.temporalAddress().isPresent()) {
      address = settings.temporalAddress().get();
    } else {
      int port = settings.embeddedPort() == 0 ? freePort() : settings.embeddedPort();
      // lockTimeSkipping: the embedded server runs in real time, timers fire when the clock says so
      embedded = TestServer.createPortBoundServer(port, true);
      address = "127.0.0.1:" + port;
      LOG.info("TEMPORAL_ADDRESS is unset: embedded Temporal server (in memory, real time) on {}", address);
    }
    WorkerMetrics metrics = new WorkerMetrics(registry);
    PrometheusMeterRegistry micrometer = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, registry,
        io.micrometer.core.instrument.Clock.SYSTEM);
    Scope scope = new RootScopeBuilder().reporter(new MicrometerClientStatsReporter(micrometer))
        .reportEvery(com.uber.m3.util.Duration.ofMillis(METRICS_REPORT_EVERY.toMillis()));
    WorkflowServiceStubs service = null;
    WorkflowClient client;
    WorkerFactory factory = null;
    Databases databases = new Databases(settings.databaseUrl(), settings.dataDir().resolve("pg"));
    try {
      service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
          .setTarget(address).setMetricsScope(scope).build());
      // fail at start, with the address, rather than log poller errors forever
      service.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS).getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(settings.namespace()).build());
      factory = WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder().build());
      register(factory.newWorker(settings.taskQueue(), WorkerOptions.newBuilder()
          .setMaxConcurrentActivityExecutionSize(settings.maxConcurrentActivities())
          .setMaxConcurrentWorkflowTaskExecutionSize(settings.maxConcurrentWorkflowTasks())
          .build()), settings, profiles, kalshiPages, metrics, databases);
      factory.start();
    } catch (RuntimeException e) {
      quietly(factory == null ? null : factory::shutdownNow);
      quietly(service == null ? null : service::shutdownNow);
      quietly(embedded == null ? null : embedded::close);
      throw new IllegalStateException("cannot reach Temporal at " + address + " (" + (embedded != null ? "embedded server"
          : WorkerSettings.TEMPORAL_ADDRESS) + "): " + e.getMessage(), e);
    }
    HealthServer health;
    WorkerRuntime[] self = new WorkerRuntime[1];
    try {
      health = HealthServer.start(settings.healthPort(), registry, () -> self[0] == null ? List.of("starting") : self[0].notReadyReasons());
    } catch (RuntimeException e) {
      factory.shutdownNow();
      service.shutdownNow();
      if (embedded != null) {
        embedded.close();
      }
      throw e;
    }
    self[0] = new WorkerRuntime(settings, address, embedded, service, client, factory, scope, micrometer, databases, health, metrics);
    LOG.info("worker polling task queue {} in namespace {} at {}; health on port {}; config {}; data {}", settings.taskQueue(),
        settings.namespace(), address, health.port(), settings.configDir(), settings.dataDir());
    return self[0];
  }

  private static void register(Worker worker, WorkerSettings settings, Profiles profiles, SyncActivitiesImpl.PageObserver kalshiPages,
      WorkerMetrics metrics, Databases databases) {
    worker.registerWorkflowImplementationFactory(SecmasterSyncWorkflow.class, () -> new SyncWorkflows.SecmasterSync(profiles), FAIL_ON_BAD_INPUT);
    worker.registerWorkflowImplementationFactory(ExchangeSyncWorkflow.class, () -> new SyncWorkflows.ExchangeSync(profiles), FAIL_ON_BAD_INPUT);
    worker.registerWorkflowImplementationFactory(FeesSyncWorkflow.class, () -> new SyncWorkflows.FeesSync(profiles), FAIL_ON_BAD_INPUT);
    worker.registerWorkflowImplementationFactory(NotifyWorkflow.class, () -> new SyncWorkflows.Notify(profiles), FAIL_ON_BAD_INPUT);
    worker.registerWorkflowImplementationFactory(DayStartWorkflow.class, () -> new DayWorkflows.DayStart(profiles), FAIL_ON_BAD_INPUT);
    worker.registerWorkflowImplementationFactory(DayEndWorkflow.class, () -> new DayWorkflows.DayEnd(profiles), FAIL_ON_BAD_INPUT);
    worker.registerWorkflowImplementationFactory(DataQualityWorkflow.class, () -> new DayWorkflows.DataQuality(profiles), FAIL_ON_BAD_INPUT);
    // schedules on a server without the Schedules API (the embedded one) run as these workflows;
    // registered on every worker so a seeded runner always finds one, whichever server it is
    worker.registerWorkflowImplementationTypes(io.ssmd.worker.schedule.ScheduleRunnerWorkflowImpl.class);
    Environments environments = new Environments(settings.configDir());
    worker.registerActivitiesImplementations(
        new SyncActivitiesImpl(environments, databases, metrics, kalshiPages),
        new DayActivitiesImpl(environments, databases, settings, metrics, Clock.systemUTC()),
        new NotifyActivitiesImpl(settings.notifications(), metrics));
  }

  /** Why the worker is not ready: shut down, not started, or Temporal not answering. */
  List<String> notReadyReasons() {
    if (closed || factory.isShutdown()) {
      metrics.polling(false);
      return List.of("worker is shutting down");
    }
    if (!factory.isStarted()) {
      metrics.polling(false);
      return List.of("worker not started");
    }
    try {
      service.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS).getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    } catch (RuntimeException e) {
      metrics.polling(false);
      return List.of("Temporal at " + address + " not reachable: " + e.getMessage());
    }
    metrics.polling(true);
    return List.of();
  }

  /** A client of the server the worker polls: start workflows of {@link io.ssmd.worker.workflows.WorkflowCatalog} with it. */
  public WorkflowClient client() {
    return client;
  }

  /** {@code host:port} of the Temporal frontend (the embedded server's when there is one). */
  public String temporalAddress() {
    return address;
  }

  /** True when this runtime started the embedded server. */
  public boolean embeddedServer() {
    return embedded != null;
  }

  /** The task queue the worker polls. */
  public String taskQueue() {
    return settings.taskQueue();
  }

  /** The bound health port. */
  public int healthPort() {
    return health.port();
  }

  /**
   * Stops polling and waits up to {@code SSMD_SHUTDOWN_GRACE} for in-flight activities to finish;
   * what is still running then is interrupted (a heartbeating activity resumes on its next attempt,
   * on another worker or after a restart). Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    LOG.info("worker stopping: no new tasks, waiting up to {} for in-flight activities", settings.shutdownGrace());
    factory.shutdown();
    factory.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
    if (factory.isTerminated()) {
      LOG.info("worker stopped: in-flight activities finished");
    } else {
      LOG.warn("worker stopped: activities still running after {} were interrupted", settings.shutdownGrace());
      factory.shutdownNow();
      factory.awaitTermination(5, TimeUnit.SECONDS);
    }
    metrics.polling(false);
    try {
      scope.close();
    } catch (com.uber.m3.tally.ScopeCloseException e) {
      LOG.debug("metrics scope did not close cleanly: {}", e.getMessage());
    }
    service.shutdown();
    try {
      service.awaitTermination(5, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      LOG.debug("service stubs did not stop cleanly: {}", e.getMessage());
    }
    if (embedded != null) {
      embedded.close();
    }
    databases.close();
    micrometer.close();
    health.close();
  }

  /** Runs a clean-up step of a failed start; its own failure must not hide the cause. */
  private static void quietly(Runnable step) {
    if (step == null) {
      return;
    }
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.debug("clean-up after a failed start: {}", e.getMessage());
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port for the embedded Temporal server", e);
    }
  }
}
