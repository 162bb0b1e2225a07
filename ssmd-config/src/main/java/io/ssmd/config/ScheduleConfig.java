package io.ssmd.config;

import java.time.LocalTime;
import java.time.ZoneId;

/**
 * Trading-day boundaries of an environment ({@code schedule}).
 *
 * @param timezone zone of the day boundaries
 * @param dayStart local time the day starts
 * @param dayEnd local time the day ends (may be before {@code dayStart}: a day crossing midnight)
 * @param autoRoll start the next day automatically
 */
public record ScheduleConfig(ZoneId timezone, LocalTime dayStart, LocalTime dayEnd, Boolean autoRoll) {
  /** All defaults. */
  public static final ScheduleConfig DEFAULTS = new ScheduleConfig(null, null, null, null);

  public ScheduleConfig {
    timezone = ConfigKeys.SCHEDULE_TIMEZONE.orDefault(timezone);
    dayStart = ConfigKeys.SCHEDULE_DAY_START.orDefault(dayStart);
    dayEnd = ConfigKeys.SCHEDULE_DAY_END.orDefault(dayEnd);
    autoRoll = ConfigKeys.SCHEDULE_AUTO_ROLL.orDefault(autoRoll);
  }

  void validate(Problems p) {
    if (dayStart.equals(dayEnd)) {
      p.invalid("day_end", "must differ from day_start (" + dayStart + ")");
    }
  }
}
