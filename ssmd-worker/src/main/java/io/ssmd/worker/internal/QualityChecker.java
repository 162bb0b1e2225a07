package io.ssmd.worker.internal;

import io.ssmd.archiver.Manifest;
import io.ssmd.config.Durations;
import io.ssmd.worker.workflows.FeedQuality;
import io.ssmd.worker.workflows.Quality;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Grades one feed's day from its manifest and the trailing days' manifests. Thresholds:
 * <ul>
 *   <li>freshness: the last file ended more than 2 rotations (at least 15 min) before the reference
 *       time (the end of the UTC day, or now for today) → YELLOW, more than 6 rotations (at least
 *       1 h) → RED; no file at all → RED;
 *   <li>volume: below 50% of the trailing days' mean → YELLOW, below 10% → RED (days without data are
 *       left out of the mean, so an outage is not the norm the next day is held to);
 *   <li>gaps: any stream-sequence gap → YELLOW, more than 1% of the day's messages missing → RED.
 * </ul>
 */
public final class QualityChecker {
  /** Trailing days compared against. */
  public static final int TRAILING_DAYS = 7;
  static final double VOLUME_YELLOW = 0.5;
  static final double VOLUME_RED = 0.1;
  static final double MISSING_RED = 0.01;
  private static final Duration DEFAULT_ROTATION = Duration.ofMinutes(15);
  // floors, so short rotations do not turn the minutes a day-end run takes into an alert
  static final Duration LATE_FLOOR = Duration.ofMinutes(15);
  static final Duration STALE_FLOOR = Duration.ofHours(1);

  private QualityChecker() {}

  /**
   * @param feed feed name
   * @param date the day
   * @param day its manifest (empty: nothing archived)
   * @param trailing manifests of the preceding days that have one
   * @param now current time
   */
  public static FeedQuality grade(String feed, LocalDate date, Optional<Manifest> day, List<Manifest> trailing, Instant now) {
    List<String> reasons = new ArrayList<>();
    Quality q = Quality.GREEN;
    long mean = Math.round(trailing.stream().mapToLong(Manifest::records).filter(r -> r > 0).average().orElse(0));
    if (day.isEmpty() || day.get().files().isEmpty()) {
      return new FeedQuality(feed, Quality.RED, List.of("no archive files for " + date), 0, 0, mean, 0, null);
    }
    Manifest m = day.get();
    Duration rotation = rotation(m);
    Instant endOfDay = date.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant reference = now.isBefore(endOfDay) ? now : endOfDay;
    Optional<Instant> lastEnd = m.files().stream().map(Manifest.FileEntry::end).filter(e -> e != null).map(Instant::parse)
        .max(Instant::compareTo);
    if (lastEnd.isPresent()) {
      Duration stale = Duration.between(lastEnd.get(), reference);
      Duration staleAfter = max(rotation.multipliedBy(6), STALE_FLOOR);
      Duration lateAfter = max(rotation.multipliedBy(2), LATE_FLOOR);
      if (stale.compareTo(staleAfter) > 0) {
        q = q.worst(Quality.RED);
        reasons.add("stale: last file ended " + human(stale) + " before " + (reference.equals(now) ? "now" : "the day's end"));
      } else if (stale.compareTo(lateAfter) > 0) {
        q = q.worst(Quality.YELLOW);
        reasons.add("late: last file ended " + human(stale) + " before " + (reference.equals(now) ? "now" : "the day's end"));
      }
    }
    long records = m.records();
    if (mean > 0) {
      double ratio = (double) records / mean;
      if (ratio < VOLUME_RED) {
        q = q.worst(Quality.RED);
        reasons.add(String.format("volume %d is %.0f%% of the trailing mean %d", records, ratio * 100, mean));
      } else if (ratio < VOLUME_YELLOW) {
        q = q.worst(Quality.YELLOW);
        reasons.add(String.format("volume %d is %.0f%% of the trailing mean %d", records, ratio * 100, mean));
      }
    }
    long missing = m.gaps().stream().mapToLong(Manifest.Gap::missingCount).sum();
    if (!m.gaps().isEmpty()) {
      boolean red = missing > MISSING_RED * (records + missing);
      q = q.worst(red ? Quality.RED : Quality.YELLOW);
      reasons.add(m.gaps().size() + " gap(s), " + missing + " message(s) missing");
    }
    return new FeedQuality(feed, q, reasons, m.files().size(), records, mean, m.gaps().size(), lastEnd.map(Instant::toString).orElse(null));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** {@code 38s}, {@code 12m05s}, {@code 3h20m}. */
  static String human(Duration d) {
    long s = d.getSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  private static Duration rotation(Manifest m) {
    try {
      return m.rotationInterval() == null ? DEFAULT_ROTATION : Durations.parse(m.rotationInterval());
    } catch (RuntimeException e) {
      return DEFAULT_ROTATION;
    }
  }
}
