package io.ssmd.worker.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.BitSet;

/**
 * A five-field cron expression {@code minute hour day-of-month month day-of-week}: numbers, {@code *},
 * ranges {@code a-b}, steps {@code * /n} and {@code a-b/n}, lists {@code a,b}; day-of-week 0 or 7 is
 * Sunday. As in Vixie cron, when both day fields are restricted a day matches if either does.
 * Names ({@code MON}, {@code JAN}) and the {@code L}/{@code W}/{@code #} extensions are not accepted.
 */
public final class CronExpression {
  /** How far ahead a fire time is searched before an expression is declared impossible (Feb 30). */
  private static final int MAX_DAYS = 366 * 8;

  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean domRestricted;
  private final boolean dowRestricted;

  private CronExpression(String text, BitSet[] fields, boolean domRestricted, boolean dowRestricted) {
    this.text = text;
    this.minutes = fields[0];
    this.hours = fields[1];
    this.daysOfMonth = fields[2];
    this.months = fields[3];
    this.daysOfWeek = fields[4];
    this.domRestricted = domRestricted;
    this.dowRestricted = dowRestricted;
  }

  /**
   * Parses {@code M H DoM Mon DoW}.
   *
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public static CronExpression parse(String expression) {
    String[] parts = expression.strip().split("\\s+");
    if (parts.length != 5) {
      throw new IllegalArgumentException("expected 5 fields \"M H DoM Mon DoW\", got " + parts.length + " in \"" + expression + "\"");
    }
    String[] names = {"minute", "hour", "day-of-month", "month", "day-of-week"};
    int[] min = {0, 0, 1, 1, 0};
    int[] max = {59, 23, 31, 12, 7};
    BitSet[] fields = new BitSet[5];
    for (int i = 0; i < 5; i++) {
      fields[i] = field(parts[i], min[i], max[i], names[i]);
    }
    if (fields[4].get(7)) {
      fields[4].set(0);
      fields[4].clear(7);
    }
    return new CronExpression(String.join(" ", parts), fields, !parts[2].equals("*"), !parts[4].equals("*"));
  }

  /** The expression as written, single-spaced. */
  public String text() {
    return text;
  }

  /** The first instant strictly after {@code after} whose local time in {@code zone} matches. */
  public Instant nextAfter(Instant after, ZoneId zone) {
    // a day early: a gap-shifted slot of the previous local day can still lie after `after`
    LocalDate day = LocalDate.ofInstant(after, zone).minusDays(1);
    for (int d = 0; d < MAX_DAYS; d++, day = day.plusDays(1)) {
      if (!matchesDay(day)) {
        continue;
      }
      Instant best = null;
      for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
        for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
          Instant fire = ScheduleSpec.resolve(LocalDateTime.of(day.getYear(), day.getMonth(), day.getDayOfMonth(), h, m), zone);
          if (fire.isAfter(after) && (best == null || fire.isBefore(best))) {
            best = fire;
          }
        }
      }
      if (best != null) {
        return best;
      }
    }
    throw new IllegalArgumentException("cron \"" + text + "\" never fires");
  }

  private boolean matchesDay(LocalDate day) {
    if (!months.get(day.getMonthValue())) {
      return false;
    }
    boolean dom = daysOfMonth.get(day.getDayOfMonth());
    boolean dow = daysOfWeek.get(day.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : day.getDayOfWeek().getValue());
    if (domRestricted && dowRestricted) {
      return dom || dow;
    }
    return dom && dow;
  }

  private static BitSet field(String text, int min, int max, String name) {
    BitSet bits = new BitSet(max + 1);
    for (String item : text.split(",", -1)) {
      int step = 1;
      String range = item;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        step = number(item.substring(slash + 1), 1, max, name, text);
        range = item.substring(0, slash);
      }
      int lo;
      int hi;
      if (range.equals("*")) {
        lo = min;
        hi = max;
      } else if (range.contains("-")) {
        String[] ends = range.split("-", -1);
        if (ends.length != 2) {
          throw bad(name, text);
        }
        lo = number(ends[0], min, max, name, text);
        hi = number(ends[1], min, max, name, text);
        if (lo > hi) {
          throw new IllegalArgumentException(name + " range " + range + " runs backwards");
        }
      } else {
        lo = number(range, min, max, name, text);
        hi = slash >= 0 ? max : lo;
      }
      for (int v = lo; v <= hi; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String s, int min, int max, String name, String field) {
    if (!s.matches("\\d{1,2}")) {
      throw bad(name, field);
    }
    int v = Integer.parseInt(s);
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + " " + v + " is outside " + min + "-" + max);
    }
    return v;
  }

  private static IllegalArgumentException bad(String name, String field) {
    return new IllegalArgumentException(name + " field \"" + field + "\" is not a number, *, a range a-b, a step /n or a list");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CronExpression c && c.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
