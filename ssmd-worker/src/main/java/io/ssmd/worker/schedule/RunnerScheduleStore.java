package io.ssmd.worker.schedule;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;

import io.grpc.StatusRuntimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules as {@link ScheduleRunnerWorkflow}s, for servers without a Schedules API. A runner's memo
 * holds its schedule (workflow, spec, input, paused) so the seeder reads it back without a worker;
 * a changed schedule is applied by terminating the runner and starting it again with the new memo
 * and input (the target run it may have started is abandoned, not cancelled).
 */
final class RunnerScheduleStore implements ScheduleStore {
  private static final Logger LOG = LoggerFactory.getLogger(RunnerScheduleStore.class);

  static final String MEMO_WORKFLOW = "ssmd-workflow";
  static final String MEMO_SPEC = "ssmd-spec";
  static final String MEMO_INPUT = "ssmd-input";
  static final String MEMO_PAUSED = "ssmd-paused";

  private final WorkflowClient client;
  private final String taskQueue;

  /**
   * @param client a client of the server (its namespace is used)
   * @param taskQueue task queue of the worker that runs the runners and their targets
   */
  RunnerScheduleStore(WorkflowClient client, String taskQueue) {
    this.client = client;
    this.taskQueue = taskQueue;
  }

  @Override
  public String kind() {
    return "runner workflows";
  }

  /** The memo a runner is started (and continued) with. */
  static Map<String, Object> memo(ScheduleRunnerWorkflow.Input in) {
    Map<String, Object> memo = new LinkedHashMap<>();
    memo.put(MEMO_MANAGED_BY, MANAGED_BY);
    memo.put(MEMO_WORKFLOW, in.workflow());
    memo.put(MEMO_SPEC, in.spec());
    memo.put(MEMO_INPUT, in.inputJson());
    memo.put(MEMO_PAUSED, String.valueOf(in.paused()));
    return memo;
  }

  @Override
  public List<ExistingSchedule> list() {
    WorkflowServiceStubs stubs = client.getWorkflowServiceStubs();
    List<ExistingSchedule> out = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    do {
      ListOpenWorkflowExecutionsResponse page = stubs.blockingStub().listOpenWorkflowExecutions(
          ListOpenWorkflowExecutionsRequest.newBuilder()
              .setNamespace(client.getOptions().getNamespace())
              .setTypeFilter(WorkflowTypeFilter.newBuilder().setName(ScheduleRunnerWorkflow.TYPE))
              .setMaximumPageSize(1000)
              .setNextPageToken(token)
              .build());
      for (WorkflowExecutionInfo info : page.getExecutionsList()) {
        String wid = info.getExecution().getWorkflowId();
        if (wid.startsWith(ScheduleRunnerWorkflow.ID_PREFIX)) {
          describeRunner(wid.substring(ScheduleRunnerWorkflow.ID_PREFIX.length())).ifPresent(s -> out.add(s.schedule()));
        }
      }
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    out.sort(java.util.Comparator.comparing(ExistingSchedule::id));
    return out;
  }

  @Override
  public Optional<Status> describe(String id) {
    return describeRunner(id);
  }

  private Optional<Status> describeRunner(String id) {
    DescribeWorkflowExecutionResponse r;
    try {
      r = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
          .setNamespace(client.getOptions().getNamespace())
          .setExecution(WorkflowExecution.newBuilder().setWorkflowId(ScheduleRunnerWorkflow.workflowId(id)))
          .build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
    WorkflowExecutionInfo info = r.getWorkflowExecutionInfo();
    if (info.getStatus() != io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      return Optional.empty();
    }
    Map<String, Payload> memo = info.getMemo().getFieldsMap();
    DataConverter dc = client.getOptions().getDataConverter();
    String managedBy = text(dc, memo, MEMO_MANAGED_BY);
    String spec = text(dc, memo, MEMO_SPEC);
    ExistingSchedule s = new ExistingSchedule(id, text(dc, memo, MEMO_WORKFLOW), spec, text(dc, memo, MEMO_INPUT),
        Boolean.parseBoolean(text(dc, memo, MEMO_PAUSED)), MANAGED_BY.equals(managedBy));
    List<Instant> next = new ArrayList<>();
    if (!s.paused() && !spec.isEmpty()) {
      Instant t = Instant.now();
      ScheduleSpec parsed = ScheduleSpec.decode(spec);
      for (int i = 0; i < 5; i++) {
        t = parsed.nextAfter(t);
        next.add(t);
      }
    }
    return Optional.of(new Status(s, next, List.of(), "runner " + info.getExecution().getWorkflowId() + " run "
        + info.getExecution().getRunId()));
  }

  private static String text(DataConverter dc, Map<String, Payload> memo, String key) {
    Payload p = memo.get(key);
    return p == null ? "" : dc.fromPayload(p, String.class, String.class);
  }

  @Override
  public void create(ScheduleDefinition schedule) {
    ScheduleRunnerWorkflow.Input in = ScheduleRunnerWorkflow.Input.of(schedule);
    ScheduleRunnerWorkflow runner = client.newWorkflowStub(ScheduleRunnerWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(ScheduleRunnerWorkflow.workflowId(schedule.id()))
        .setTaskQueue(taskQueue)
        .setMemo(memo(in))
        .build());
    WorkflowClient.start(runner::run, in);
    LOG.info("schedule {}: runner started ({} {})", schedule.id(), schedule.workflow(), in.spec());
  }

  @Override
  public void update(ScheduleDefinition schedule) {
    terminate(schedule.id(), "schedule changed by ssmd schedule seed");
    create(schedule);
  }

  @Override
  public void delete(String id) {
    terminate(id, "schedule removed by ssmd schedule seed --prune");
    LOG.info("schedule {}: runner terminated", id);
  }

  private void terminate(String id, String reason) {
    try {
      client.newUntypedWorkflowStub(ScheduleRunnerWorkflow.workflowId(id)).terminate(reason);
    } catch (io.temporal.client.WorkflowNotFoundException e) {
      LOG.debug("schedule {}: no running runner to terminate", id);
    }
  }

  @Override
  public void trigger(String id) {
    if (describeRunner(id).isEmpty()) {
      throw new IllegalStateException("no schedule \"" + id + "\" on the server: run ssmd schedule seed first");
    }
    WorkflowStub stub = client.newUntypedWorkflowStub(ScheduleRunnerWorkflow.workflowId(id));
    stub.signal("trigger");
  }

  /** True when {@code e} says the server does not implement the call. */
  static boolean unimplemented(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof StatusRuntimeException s && s.getStatus().getCode() == io.grpc.Status.Code.UNIMPLEMENTED) {
        return true;
      }
    }
    return false;
  }
}
