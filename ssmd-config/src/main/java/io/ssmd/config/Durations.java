package io.ssmd.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in configuration: a whole number and one unit, {@code 500ms}, {@code 10s},
 * {@code 2m}, {@code 72h}, {@code 1d}. One unit only; {@link #format} gives text {@link #parse}
 * accepts.
 */
public final class Durations {
  /** What the parser accepts, for error messages. */
  public static final String EXPECTED = "a duration such as 500ms, 10s, 2m, 72h or 1d";

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code <digits><unit>}.
   *
   * @throws IllegalArgumentException naming what is expected when {@code text} is not a duration
   */
  public static Duration parse(String text) {
    Matcher m = text == null ? null : FORMAT.matcher(text.strip());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("expected " + EXPECTED + ", got \"" + text + "\"");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /**
   * The largest unit up to hours that represents {@code d} exactly; {@code 0s} for zero. Days are
   * written as hours ({@code 72h}, not {@code 3d}), the way retention is usually stated.
   */
  public static String format(Duration d) {
    if (d.isNegative() || d.toNanosPart() % 1_000_000 != 0) {
      throw new IllegalArgumentException("not representable as a configuration duration: " + d);
    }
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    if (ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    }
    if (ms % 1000L == 0) {
      return ms / 1000L + "s";
    }
    return ms + "ms";
  }
}
