package io.ssmd.worker.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How schedules are written to the Schedules API. The Java test server has no Schedules API, so the
 * round trip against a cluster is not run here; what is sent is checked field by field.
 */
class TemporalScheduleStoreTest {
  private static final ZoneId NY = ZoneId.of("America/New_York");

  @Test
  void everyBecomesAnIntervalWithItsOffset() {
    var spec = TemporalScheduleStore.toSpec(ScheduleSpec.parseEvery("6h/15m"));
    assertThat(spec.getIntervals()).containsExactly(new ScheduleIntervalSpec(Duration.ofHours(6), Duration.ofMinutes(15)));
    assertThat(spec.getCronExpressions()).isNullOrEmpty();
  }

  @Test
  void cronAndDailyTimesBecomeCronExpressionsInTheirZone() {
    var cron = TemporalScheduleStore.toSpec(new ScheduleSpec.Cron(CronExpression.parse("0 5 * * 1-5"), NY));
    assertThat(cron.getCronExpressions()).containsExactly("0 5 * * 1-5");
    assertThat(cron.getTimeZoneName()).isEqualTo("America/New_York");
    var daily = TemporalScheduleStore.toSpec(new ScheduleSpec.Daily(LocalTime.of(23, 55), NY, "day_end"));
    assertThat(daily.getCronExpressions()).containsExactly("55 23 * * *");
    assertThat(daily.getTimeZoneName()).isEqualTo("America/New_York");
  }

  @Test
  void theActionStartsTheWorkflowTypeWithTheInputOnTheTaskQueueAndTheNoteCarriesTheSpec() {
    ObjectNode input = Json.MAPPER.createObjectNode();
    input.put("env", "kalshi-prod");
    input.put("mode", "full");
    Schedule s = TemporalScheduleStore.toSchedule(
        new ScheduleDefinition("secmaster", "SecmasterSync", ScheduleSpec.parseEvery("6h/15m"), input, true), "ssmd");
    ScheduleActionStartWorkflow a = (ScheduleActionStartWorkflow) s.getAction();
    assertThat(a.getWorkflowType()).isEqualTo("SecmasterSync");
    assertThat(a.getOptions().getTaskQueue()).isEqualTo("ssmd");
    assertThat(a.getOptions().getWorkflowId()).isEqualTo("secmaster");
    assertThat(Json.write(a.getArguments().get(0, JsonNode.class))).isEqualTo("{\"env\":\"kalshi-prod\",\"mode\":\"full\"}");
    assertThat(s.getState().isPaused()).isTrue();
    assertThat(s.getState().getNote()).isEqualTo(TemporalScheduleStore.NOTE_PREFIX + "every 6h/15m");
    assertThat(List.of(s.getSpec().getIntervals().get(0).getEvery())).containsExactly(Duration.ofHours(6));
  }
}
