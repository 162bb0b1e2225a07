package io.ssmd.worker;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ssmd.secmaster.Database;
import io.ssmd.worker.internal.QualityStore;
import io.ssmd.worker.internal.ReadyProbe;
import io.ssmd.worker.workflows.DataQualityWorkflow;
import io.ssmd.worker.workflows.DayEndWorkflow;
import io.ssmd.worker.workflows.DayInput;
import io.ssmd.worker.workflows.DayResult;
import io.ssmd.worker.workflows.DayStartWorkflow;
import io.ssmd.worker.workflows.QualityReport;
import io.ssmd.worker.workflows.SecmasterSyncWorkflow;
import io.ssmd.worker.workflows.ExchangeSyncWorkflow;
import io.ssmd.worker.workflows.SyncResult;
import io.ssmd.worker.workflows.WorkflowIds;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts the day workflows and reads a day's state, for {@code ssmd day} and {@code ssmd up}. Day
 * workflows have one id per environment, day and type ({@link WorkflowIds}): starting one that is
 * running attaches to it; starting one that finished runs it again.
 */
public final class DayClient implements AutoCloseable {
  private final WorkflowClient client;
  private final String taskQueue;
  private final WorkflowServiceStubs owned;

  /** A client over an existing connection (e.g. {@link WorkerRuntime#client()}); {@link #close()} leaves it open. */
  public DayClient(WorkflowClient client, String taskQueue) {
    this(client, taskQueue, null);
  }

  private DayClient(WorkflowClient client, String taskQueue, WorkflowServiceStubs owned) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.owned = owned;
  }

  /**
   * Connects to the Temporal frontend at {@code address} and checks that it answers.
   *
   * @throws IllegalStateException naming the address when it does not
   */
  public static DayClient connect(String address, String namespace, String taskQueue) {
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    try {
      service.blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS).getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    } catch (RuntimeException e) {
      service.shutdownNow();
      throw new IllegalStateException("cannot reach Temporal at " + address + " (TEMPORAL_ADDRESS): " + e.getMessage()
          + "; is a worker (ssmd run worker, ssmd up) or a Temporal server running there?", e);
    }
    return new DayClient(WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build()),
        taskQueue, service);
  }

  /** Closes the connection this client opened ({@link #connect}); nothing otherwise. */
  @Override
  public void close() {
    if (owned != null) {
      owned.shutdown();
      owned.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * A started (or already running) day workflow.
   *
   * @param workflowId its id
   * @param runId its run
   * @param attached true when it was already running and this call attached to it
   */
  public record Started(String workflowId, String runId, boolean attached) {}

  /** Starts {@code DayStart} or {@code DayEnd} for a day (the input's date is required here: it names the workflow). */
  public Started start(String type, DayInput input) {
    if (!type.equals(DayStartWorkflow.TYPE) && !type.equals(DayEndWorkflow.TYPE) && !type.equals(DataQualityWorkflow.TYPE)) {
      throw new IllegalArgumentException("not a day workflow: " + type + " (DayStart, DayEnd or DataQuality)");
    }
    if (input.date() == null) {
      throw new IllegalArgumentException("the date is required to start " + type + " (it is part of the workflow id)");
    }
    String id = WorkflowIds.day(type, input.env(), input.date());
    WorkflowStub stub = client.newUntypedWorkflowStub(type, WorkflowOptions.newBuilder()
        .setTaskQueue(taskQueue).setWorkflowId(id).setWorkflowExecutionTimeout(Duration.ofHours(2)).build());
    try {
      WorkflowExecution e = stub.start(input);
      return new Started(id, e.getRunId(), false);
    } catch (WorkflowExecutionAlreadyStarted e) {
      return new Started(id, e.getExecution().getRunId(), true);
    }
  }

  /** Waits for a day workflow's result; a failed workflow is a {@link DayWorkflowException} with its cause's message. */
  public DayResult await(String workflowId, Duration timeout) throws TimeoutException {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId, Optional.empty(), Optional.empty());
    try {
      return stub.getResult(timeout.toMillis(), TimeUnit.MILLISECONDS, DayResult.class);
    } catch (WorkflowFailedException e) {
      throw new DayWorkflowException(workflowId + " failed: " + message(e), e);
    }
  }

  /** A workflow of the day that failed (as opposed to finishing with failed steps). */
  public static final class DayWorkflowException extends RuntimeException {
    DayWorkflowException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * One workflow of the day.
   *
   * @param type workflow type
   * @param workflowId its id
   * @param status {@code NOT_STARTED}, {@code RUNNING}, {@code COMPLETED}, {@code FAILED}, {@code TIMED_OUT}, {@code TERMINATED}, ...
   * @param startedAt ISO-8601, null when not started
   * @param closedAt ISO-8601, null while running
   * @param ok for a completed run: its result says ok (DayResult.ok, quality not RED); false otherwise
   * @param summary one line: the result or the failure
   * @param result the result (DayResult, SyncResult or QualityReport), null unless completed
   */
  public record Run(String type, String workflowId, String status, String startedAt, String closedAt, boolean ok, String summary, Object result) {}

  /**
   * A component's health now.
   *
   * @param name component name
   * @param url its /ready
   * @param ready 200 from /ready
   * @param reason why not, when not
   */
  public record Component(String name, String url, boolean ready, String reason) {}

  /**
   * The day's state.
   *
   * @param env environment
   * @param date day
   * @param runs the day workflows
   * @param quality the data-quality report, when DataQuality ran
   * @param components the components DayStart waits for, probed now
   */
  public record DayStatus(String env, String date, List<Run> runs, QualityReport quality, List<Component> components) {
    /** Something failed: a workflow failed or finished not ok, or a component is not ready. */
    public boolean failed() {
      return runs.stream().anyMatch(r -> !r.status().equals("NOT_STARTED") && !r.status().equals("RUNNING") && !r.ok())
          || components.stream().anyMatch(c -> !c.ready());
    }
  }

  /** Reads the day's workflows (DayStart, its security-master sync, DayEnd, DataQuality) and probes the components. */
  public DayStatus status(String env, String date, List<WorkerSettings.ReadyUrl> components) {
    List<Run> runs = new ArrayList<>();
    runs.add(run(DayStartWorkflow.TYPE, env, date, DayResult.class));
    Run kalshi = run(SecmasterSyncWorkflow.TYPE, env, date, SyncResult.class);
    runs.add(kalshi.status().equals("NOT_STARTED") ? run(ExchangeSyncWorkflow.TYPE, env, date, SyncResult.class) : kalshi);
    runs.add(run(DayEndWorkflow.TYPE, env, date, DayResult.class));
    Run dq = run(DataQualityWorkflow.TYPE, env, date, QualityReport.class);
    runs.add(dq);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    List<Component> cs = components.stream().filter(c -> c.appliesTo(env)).map(c -> {
      Optional<String> why = ReadyProbe.notReady(http, c.url());
      return new Component(c.name(), c.url().toString(), why.isEmpty(), why.orElse(null));
    }).toList();
    return new DayStatus(env, date, runs, dq.result() instanceof QualityReport q ? q : null, cs);
  }

  /**
   * The data-quality report stored by the worker in PostgreSQL ({@code DATABASE_URL}), for days
   * whose workflows the server no longer has (the embedded server keeps them in memory only).
   */
  public static Optional<QualityReport> storedQuality(String databaseUrl, String env, String date) {
    try (Database db = Database.fromUrl(databaseUrl)) {
      return new QualityStore(db).find(env, LocalDate.parse(date));
    } catch (java.sql.SQLException | java.io.IOException e) {
      throw new IllegalStateException("cannot read the stored quality report of " + env + " " + date + ": " + e.getMessage(), e);
    }
  }

  private Run run(String type, String env, String date, Class<?> resultType) {
    String id = WorkflowIds.day(type, env, date);
    WorkflowExecutionInfo info;
    try {
      info = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
          .setNamespace(client.getOptions().getNamespace())
          .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id).build()).build()).getWorkflowExecutionInfo();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return new Run(type, id, "NOT_STARTED", null, null, false, "not run", null);
      }
      throw e;
    }
    String status = info.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "");
    String started = info.hasStartTime() ? Instant.ofEpochSecond(info.getStartTime().getSeconds(), info.getStartTime().getNanos()).toString() : null;
    String closed = info.hasCloseTime() ? Instant.ofEpochSecond(info.getCloseTime().getSeconds(), info.getCloseTime().getNanos()).toString() : null;
    if (info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      return new Run(type, id, status, started, null, false, "running", null);
    }
    WorkflowStub stub = client.newUntypedWorkflowStub(id, Optional.of(info.getExecution().getRunId()), Optional.of(type));
    try {
      Object result = stub.getResult(5, TimeUnit.SECONDS, resultType);
      return new Run(type, id, status, started, closed, ok(result), summary(result), result);
    } catch (WorkflowFailedException e) {
      return new Run(type, id, status, started, closed, false, message(e), null);
    } catch (TimeoutException e) {
      return new Run(type, id, status, started, closed, false, "result not available: " + e.getMessage(), null);
    }
  }

  private static boolean ok(Object result) {
    return switch (result) {
      case DayResult d -> d.ok();
      case QualityReport q -> q.grade() != io.ssmd.worker.workflows.Quality.RED;
      default -> true;
    };
  }

  private static String summary(Object result) {
    return switch (result) {
      case DayResult d -> d.ok() ? "ok" : "FAILED: " + d.steps().stream()
          .filter(st -> st.status() == io.ssmd.worker.workflows.StepStatus.FAILED)
          .map(st -> st.name() + " (" + st.detail() + ")").collect(java.util.stream.Collectors.joining(", "));
      case SyncResult s -> s.feed() + ": " + s.received() + " received, " + s.changed() + " changed, " + s.pages() + " pages";
      case QualityReport q -> "grade " + q.grade();
      default -> String.valueOf(result);
    };
  }

  private static String message(WorkflowFailedException e) {
    Throwable t = e.getCause();
    while (t != null && t.getCause() != null && !(t instanceof ApplicationFailure)) {
      t = t.getCause();
    }
    if (t instanceof ApplicationFailure a) {
      return a.getOriginalMessage();
    }
    return t instanceof TemporalFailure f ? f.getOriginalMessage() : String.valueOf(e.getMessage());
  }
}
