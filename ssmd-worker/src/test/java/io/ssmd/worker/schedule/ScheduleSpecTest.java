package io.ssmd.worker.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleSpecTest {
  private static final ZoneId NY = ZoneId.of("America/New_York");

  private static List<Instant> fires(ScheduleSpec spec, String from, int n) {
    List<Instant> out = new ArrayList<>();
    Instant t = Instant.parse(from);
    for (int i = 0; i < n; i++) {
      t = spec.nextAfter(t);
      out.add(t);
    }
    return out;
  }

  @Test
  void everySixHoursOffsetFifteenMinutesFiresAtQuarterPastTheSixHourMarksUtc() {
    assertThat(fires(ScheduleSpec.parseEvery("6h/15m"), "2026-11-22T00:00:00Z", 5)).containsExactly(
        Instant.parse("2026-11-22T00:15:00Z"), Instant.parse("2026-11-22T06:15:00Z"),
        Instant.parse("2026-11-22T12:15:00Z"), Instant.parse("2026-11-22T18:15:00Z"),
        Instant.parse("2026-11-23T00:15:00Z"));
  }

  @Test
  void everyIsStrictlyAfterSoAFireInstantYieldsTheNextSlot() {
    assertThat(ScheduleSpec.parseEvery("6h/15m").nextAfter(Instant.parse("2026-11-22T06:15:00Z")))
        .isEqualTo(Instant.parse("2026-11-22T12:15:00Z"));
    assertThat(ScheduleSpec.parseEvery("15m").nextAfter(Instant.parse("2026-11-22T06:14:59.999Z")))
        .isEqualTo(Instant.parse("2026-11-22T06:15:00Z"));
  }

  @Test
  void everyAcceptsClockOffsetsAndCompoundDurations() {
    assertThat(ScheduleSpec.parseEvery("1d/00:10")).isEqualTo(new ScheduleSpec.Every(Duration.ofDays(1), Duration.ofMinutes(10)));
    assertThat(ScheduleSpec.parseEvery("1h30m")).isEqualTo(new ScheduleSpec.Every(Duration.ofMinutes(90), Duration.ZERO));
    assertThat(fires(ScheduleSpec.parseEvery("1d/00:10"), "2026-03-07T12:00:00Z", 2))
        .containsExactly(Instant.parse("2026-03-08T00:10:00Z"), Instant.parse("2026-03-09T00:10:00Z"));
  }

  @Test
  void everyRejectsAnOffsetNotShorterThanTheInterval() {
    assertThatThrownBy(() -> ScheduleSpec.parseEvery("1h/1h")).hasMessageContaining("offset must be >= 0 and less than the interval 1h");
    assertThatThrownBy(() -> ScheduleSpec.parseEvery("6x")).hasMessageContaining("expected a duration such as 15m");
    assertThatThrownBy(() -> ScheduleSpec.parseEvery("30s")).hasMessageContaining("at least 1m");
  }

  @Test
  void dailyLocalTimeFiresOncePerDayAcrossSpringForward() {
    ScheduleSpec spec = new ScheduleSpec.Daily(LocalTime.of(0, 10), NY, "day_start");
    // EST (-5) until 2026-03-08 02:00, EDT (-4) after
    assertThat(fires(spec, "2026-03-06T12:00:00Z", 4)).containsExactly(
        Instant.parse("2026-03-07T05:10:00Z"), Instant.parse("2026-03-08T05:10:00Z"),
        Instant.parse("2026-03-09T04:10:00Z"), Instant.parse("2026-03-10T04:10:00Z"));
  }

  @Test
  void dailyLocalTimeFiresOncePerDayAcrossFallBack() {
    ScheduleSpec start = new ScheduleSpec.Daily(LocalTime.of(0, 10), NY, "day_start");
    ScheduleSpec end = new ScheduleSpec.Daily(LocalTime.of(23, 55), NY, "day_end");
    // EDT until 2026-11-01 02:00, EST after
    assertThat(fires(start, "2026-10-31T12:00:00Z", 3)).containsExactly(
        Instant.parse("2026-11-01T04:10:00Z"), Instant.parse("2026-11-02T05:10:00Z"), Instant.parse("2026-11-03T05:10:00Z"));
    assertThat(fires(end, "2026-10-31T12:00:00Z", 3)).containsExactly(
        Instant.parse("2026-11-01T03:55:00Z"), Instant.parse("2026-11-02T04:55:00Z"), Instant.parse("2026-11-03T04:55:00Z"));
  }

  @Test
  void aLocalTimeInsideTheSpringForwardGapFiresAtTheShiftedInstant() {
    ScheduleSpec spec = new ScheduleSpec.Daily(LocalTime.of(2, 30), NY, null);
    // 02:30 does not exist on 2026-03-08: it fires at 03:30 EDT, then at 02:30 EDT the next day
    assertThat(fires(spec, "2026-03-07T12:00:00Z", 2))
        .containsExactly(Instant.parse("2026-03-08T07:30:00Z"), Instant.parse("2026-03-09T06:30:00Z"));
  }

  @Test
  void aLocalTimeInsideTheFallBackOverlapFiresOnceAtItsFirstOccurrence() {
    ScheduleSpec spec = new ScheduleSpec.Daily(LocalTime.of(1, 30), NY, null);
    assertThat(fires(spec, "2026-10-31T12:00:00Z", 2))
        .containsExactly(Instant.parse("2026-11-01T05:30:00Z"), Instant.parse("2026-11-02T06:30:00Z"));
  }

  @Test
  void cronWeekdaysInAZoneSkipTheWeekendAndFollowDst() {
    ScheduleSpec spec = new ScheduleSpec.Cron(CronExpression.parse("30 9 * * 1-5"), NY);
    // Fri 2026-03-06, then Mon 2026-03-09 after the switch to EDT
    assertThat(fires(spec, "2026-03-06T00:00:00Z", 2))
        .containsExactly(Instant.parse("2026-03-06T14:30:00Z"), Instant.parse("2026-03-09T13:30:00Z"));
  }

  @Test
  void cronStepsListsAndSundaySeven() {
    ScheduleSpec spec = new ScheduleSpec.Cron(CronExpression.parse("*/20 0,12 * * *"), ZoneId.of("UTC"));
    assertThat(fires(spec, "2026-11-22T00:00:00Z", 4)).containsExactly(
        Instant.parse("2026-11-22T00:20:00Z"), Instant.parse("2026-11-22T00:40:00Z"),
        Instant.parse("2026-11-22T12:00:00Z"), Instant.parse("2026-11-22T12:20:00Z"));
    ScheduleSpec sunday = new ScheduleSpec.Cron(CronExpression.parse("0 6 * * 7"), ZoneId.of("UTC"));
    assertThat(sunday.nextAfter(Instant.parse("2026-11-23T00:00:00Z"))).isEqualTo(Instant.parse("2026-11-29T06:00:00Z"));
  }

  @Test
  void cronWithBothDayFieldsMatchesEither() {
    // the 1st of the month or any Monday
    ScheduleSpec spec = new ScheduleSpec.Cron(CronExpression.parse("0 0 1 * 1"), ZoneId.of("UTC"));
    assertThat(fires(spec, "2026-11-25T00:00:00Z", 3)).containsExactly(
        Instant.parse("2026-11-30T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-07T00:00:00Z"));
  }

  @Test
  void cronErrorsNameTheField() {
    assertThatThrownBy(() -> CronExpression.parse("0 24 * * *")).hasMessage("hour 24 is outside 0-23");
    assertThatThrownBy(() -> CronExpression.parse("0 0 * *")).hasMessageContaining("expected 5 fields");
    assertThatThrownBy(() -> CronExpression.parse("0 0 * JAN *")).hasMessageContaining("month field \"JAN\"");
    assertThatThrownBy(() -> new ScheduleSpec.Cron(CronExpression.parse("0 0 30 2 *"), ZoneId.of("UTC")).nextAfter(Instant.EPOCH))
        .hasMessageContaining("never fires");
  }

  @Test
  void encodedSpecsDecodeToEqualSpecs() {
    List<ScheduleSpec> specs = List.of(ScheduleSpec.parseEvery("6h/15m"), ScheduleSpec.parseEvery("15m"),
        new ScheduleSpec.Cron(CronExpression.parse("0 5 * * 1-5"), NY), new ScheduleSpec.Daily(LocalTime.of(23, 55), NY, "day_end"));
    for (ScheduleSpec s : specs) {
      assertThat(ScheduleSpec.decode(s.encode())).isEqualTo(s);
    }
    assertThat(ScheduleSpec.parseEvery("6h/15m").encode()).isEqualTo("every 6h/15m");
    assertThatThrownBy(() -> ScheduleSpec.decode("hourly")).hasMessageContaining("not a schedule spec");
  }
}
