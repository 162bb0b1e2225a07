package io.ssmd.worker.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * When a schedule fires. Every variant computes its next fire time purely from an instant, with
 * {@code java.time} only, so the seeder, {@code ssmd schedule list} and the embedded runner workflow
 * (which passes workflow time) agree on the same instants.
 *
 * <p>Local times are resolved with {@link ZonedDateTime#ofLocal}: a local time that does not exist
 * (inside the spring-forward gap) fires at the instant shifted forward by the gap's length (02:30 on
 * a day New York jumps from 02:00 to 03:00 fires at 03:30 EDT); a local time that exists twice (the
 * fall-back overlap) fires once, at its first occurrence. A daily time therefore fires exactly once
 * per local day, DST or not.
 */
public sealed interface ScheduleSpec {

  /** The first fire instant strictly after {@code after}. */
  Instant nextAfter(Instant after);

  /** The canonical text of this spec, as stored in memos and parsed back by {@link #decode}. */
  String encode();

  /**
   * Fires every {@code interval}, aligned to the Unix epoch in UTC and shifted by {@code offset}
   * (the same alignment as Temporal's interval specs): {@code 6h/15m} fires at 00:15, 06:15, 12:15
   * and 18:15 UTC.
   */
  record Every(Duration interval, Duration offset) implements ScheduleSpec {
    public Every {
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(offset, "offset");
      if (interval.compareTo(Duration.ofMinutes(1)) < 0) {
        throw new IllegalArgumentException("interval must be at least 1m, got " + Durations.format(interval));
      }
      if (offset.isNegative() || offset.compareTo(interval) >= 0) {
        throw new IllegalArgumentException("offset must be >= 0 and less than the interval " + Durations.format(interval)
            + ", got " + Durations.format(offset));
      }
    }

    @Override
    public Instant nextAfter(Instant after) {
      long intervalMs = interval.toMillis();
      long shifted = after.toEpochMilli() - offset.toMillis();
      long slot = Math.floorDiv(shifted, intervalMs) + 1;
      return Instant.ofEpochMilli(slot * intervalMs + offset.toMillis());
    }

    @Override
    public String encode() {
      return "every " + Durations.format(interval) + (offset.isZero() ? "" : "/" + Durations.format(offset));
    }
  }

  /** A five-field cron expression ({@code M H DoM Mon DoW}) evaluated in {@code zone}. */
  record Cron(CronExpression expression, ZoneId zone) implements ScheduleSpec {
    public Cron {
      Objects.requireNonNull(expression, "expression");
      Objects.requireNonNull(zone, "zone");
    }

    @Override
    public Instant nextAfter(Instant after) {
      return expression.nextAfter(after, zone);
    }

    @Override
    public String encode() {
      return "cron " + expression.text() + " " + zone.getId();
    }
  }

  /**
   * Fires once per local day at {@code time} in {@code zone}; {@code label} says where the time came
   * from ({@code day_start}, {@code day_end}) for display only.
   */
  record Daily(LocalTime time, ZoneId zone, String label) implements ScheduleSpec {
    public Daily {
      Objects.requireNonNull(time, "time");
      Objects.requireNonNull(zone, "zone");
      time = time.withSecond(0).withNano(0);
    }

    @Override
    public Instant nextAfter(Instant after) {
      // start a day early: in a zone behind UTC the local date of `after` may already be past today's slot
      LocalDate day = LocalDate.ofInstant(after, zone).minusDays(1);
      while (true) {
        Instant fire = resolve(LocalDateTime.of(day, time), zone);
        if (fire.isAfter(after)) {
          return fire;
        }
        day = day.plusDays(1);
      }
    }

    @Override
    public String encode() {
      return "daily " + time + " " + zone.getId() + (label == null ? "" : " " + label);
    }
  }

  /** The instant of a local date-time, with the gap and overlap rules of this type's Javadoc. */
  static Instant resolve(LocalDateTime local, ZoneId zone) {
    return ZonedDateTime.ofLocal(local, zone, null).toInstant();
  }

  /**
   * Parses {@link #encode()}'s text.
   *
   * @throws IllegalArgumentException when the text is not an encoded spec
   */
  static ScheduleSpec decode(String text) {
    String[] parts = text.strip().split("\\s+");
    switch (parts[0]) {
      case "every" -> {
        if (parts.length == 2) {
          return parseEvery(parts[1]);
        }
      }
      case "cron" -> {
        if (parts.length == 7) {
          return new Cron(CronExpression.parse(String.join(" ", java.util.Arrays.copyOfRange(parts, 1, 6))), ZoneId.of(parts[6]));
        }
      }
      case "daily" -> {
        if (parts.length == 3 || parts.length == 4) {
          return new Daily(LocalTime.parse(parts[1]), ZoneId.of(parts[2]), parts.length == 4 ? parts[3] : null);
        }
      }
      default -> { }
    }
    throw new IllegalArgumentException("not a schedule spec: \"" + text + "\" (expected every I[/O], cron M H DoM Mon DoW ZONE or daily HH:MM ZONE)");
  }

  /**
   * Parses {@code every}: {@code INTERVAL} or {@code INTERVAL/OFFSET}, each a duration such as
   * {@code 15m}, {@code 6h}, {@code 1d}, {@code 1h30m}; the offset may also be written {@code HH:MM}
   * ({@code 1d/00:10}).
   */
  static Every parseEvery(String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    Duration interval = Durations.parse(slash < 0 ? t : t.substring(0, slash));
    Duration offset = Duration.ZERO;
    if (slash >= 0) {
      String o = t.substring(slash + 1).strip();
      offset = o.matches("\\d{1,2}:\\d{2}") ? Duration.between(LocalTime.MIDNIGHT, LocalTime.parse(o.length() == 4 ? "0" + o : o))
          : Durations.parse(o);
    }
    return new Every(interval, offset);
  }
}
