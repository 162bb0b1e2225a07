package io.ssmd.worker.schedule;

import io.temporal.client.WorkflowClient;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the schedule store a server supports. */
public final class ScheduleStores {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleStores.class);

  private ScheduleStores() {}

  /**
   * The Schedules API when the server implements it, else runner workflows. Detected by listing
   * schedules once: the Java test server answers UNIMPLEMENTED.
   *
   * @param client client of the server and namespace
   * @param taskQueue task queue of the worker running the target workflows (and the runners)
   */
  public static ScheduleStore connect(WorkflowClient client, String taskQueue) {
    ScheduleClient schedules = ScheduleClient.newInstance(client.getWorkflowServiceStubs(),
        ScheduleClientOptions.newBuilder().setNamespace(client.getOptions().getNamespace())
            .setDataConverter(client.getOptions().getDataConverter()).build());
    try (var stream = schedules.listSchedules(1)) {
      stream.findFirst();
      LOG.debug("server implements the Schedules API");
      return new TemporalScheduleStore(schedules, taskQueue);
    } catch (RuntimeException e) {
      if (RunnerScheduleStore.unimplemented(e)) {
        LOG.info("server has no Schedules API (embedded test server): schedules run as {} workflows", ScheduleRunnerWorkflow.TYPE);
        return new RunnerScheduleStore(client, taskQueue);
      }
      throw e;
    }
  }
}
