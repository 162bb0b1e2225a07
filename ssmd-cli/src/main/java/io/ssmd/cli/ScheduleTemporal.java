package io.ssmd.cli;

import io.ssmd.worker.schedule.ScheduleStore;
import io.ssmd.worker.schedule.ScheduleStores;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The Temporal server {@code ssmd schedule} talks to, configured like the worker: {@code
 * TEMPORAL_ADDRESS}, {@code TEMPORAL_NAMESPACE}, {@code TEMPORAL_TASK_QUEUE}, each overridable by
 * an option.
 */
final class ScheduleTemporal implements AutoCloseable {
  /** Where the Temporal CLI's dev server listens, used when nothing else is said. */
  static final String DEFAULT_ADDRESS = "127.0.0.1:7233";

  /** The connection options shared by the subcommands that need a server. */
  static final class Options {
    @Option(names = "--address", paramLabel = "HOST:PORT",
        description = "Temporal frontend (default: $TEMPORAL_ADDRESS, else " + DEFAULT_ADDRESS + ").")
    String address;

    @Option(names = "--namespace", paramLabel = "NAME", description = "Temporal namespace (default: $TEMPORAL_NAMESPACE, else default).")
    String namespace;

    @Option(names = "--task-queue", paramLabel = "QUEUE", description = "Task queue of the worker that runs the workflows (default: $TEMPORAL_TASK_QUEUE, else ssmd).")
    String taskQueue;

    /** True when a server was named (option or environment), as opposed to the default address. */
    boolean configured() {
      return address != null || env("TEMPORAL_ADDRESS") != null;
    }

    String address() {
      String a = address != null ? address : env("TEMPORAL_ADDRESS");
      a = a == null ? DEFAULT_ADDRESS : a.strip();
      if (!a.matches("[^\\s:/]+:\\d{1,5}")) {
        throw new UsageException("Temporal address \"" + a + "\" (" + (address != null ? "--address" : "TEMPORAL_ADDRESS")
            + ") must be host:port, e.g. 127.0.0.1:7233");
      }
      return a;
    }

    String namespace() {
      String n = namespace != null ? namespace : env("TEMPORAL_NAMESPACE");
      return n == null ? "default" : n.strip();
    }

    String taskQueue() {
      String q = taskQueue != null ? taskQueue : env("TEMPORAL_TASK_QUEUE");
      return q == null ? "ssmd" : q.strip();
    }

    private static String env(String name) {
      String v = System.getenv(name);
      return v == null || v.isBlank() ? null : v;
    }
  }

  private final WorkflowServiceStubs stubs;
  final String address;
  final String namespace;
  final String taskQueue;
  final ScheduleStore store;

  private ScheduleTemporal(WorkflowServiceStubs stubs, String address, String namespace, String taskQueue, ScheduleStore store) {
    this.stubs = stubs;
    this.address = address;
    this.namespace = namespace;
    this.taskQueue = taskQueue;
    this.store = store;
  }

  /** Connects and picks the Schedules API or runner workflows; a server that cannot be reached is one line, exit 1. */
  static ScheduleTemporal connect(Options o) {
    String address = o.address();
    WorkflowServiceStubs stubs;
    try {
      stubs = WorkflowServiceStubs.newConnectedServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget(address).build(), Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot reach Temporal at " + address + ": " + rootMessage(e)
          + " (start a server, or set TEMPORAL_ADDRESS / --address)", e);
    }
    try {
      WorkflowClient client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace(o.namespace()).build());
      return new ScheduleTemporal(stubs, address, o.namespace(), o.taskQueue(), ScheduleStores.connect(client, o.taskQueue()));
    } catch (RuntimeException e) {
      stubs.shutdownNow();
      throw e;
    }
  }

  /** One line describing the target, printed before acting on it. */
  String describe() {
    return store.kind() + " at " + address + " (namespace " + namespace + ", task queue " + taskQueue + ")";
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  @Override
  public void close() {
    stubs.shutdown();
    stubs.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
  }
}
