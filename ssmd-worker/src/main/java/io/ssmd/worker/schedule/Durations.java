package io.ssmd.worker.schedule;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as in the schedule files: {@code 15m}, {@code 6h}, {@code 1d}, {@code 1h30m}. */
final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");

  private Durations() {}

  static Duration parse(String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("expected a duration such as 15m, 6h or 1d, got nothing");
    }
    Matcher m = PART.matcher(t);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "d" -> Duration.ofDays(n);
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      });
      end = m.end();
    }
    if (end != t.length()) {
      throw new IllegalArgumentException("expected a duration such as 15m, 6h or 1d, got \"" + text + "\"");
    }
    return total;
  }

  /** Shortest text {@link #parse} reads back: {@code 6h}, {@code 1h30m}, {@code 1d}. */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0m";
    }
    StringBuilder sb = new StringBuilder();
    long s = d.getSeconds();
    long[] units = {86_400, 3_600, 60, 1};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (s >= units[i]) {
        sb.append(s / units[i]).append(names[i]);
        s %= units[i];
      }
    }
    return sb.toString();
  }
}
