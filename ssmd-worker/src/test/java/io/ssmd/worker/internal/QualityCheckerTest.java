package io.ssmd.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.archiver.Manifest;
import io.ssmd.worker.workflows.FeedQuality;
import io.ssmd.worker.workflows.Quality;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class QualityCheckerTest {
  private static final LocalDate DAY = LocalDate.parse("2026-11-20");
  private static final Instant LATER = Instant.parse("2026-11-22T12:00:00Z");

  /** A manifest with one file per hour from 00:00 to {@code lastHour}, {@code perFile} records each, and the gaps given. */
  private static Manifest manifest(LocalDate day, int lastHour, long perFile, List<Manifest.Gap> gaps) {
    List<Manifest.FileEntry> files = new ArrayList<>();
    for (int h = 0; h <= lastHour; h++) {
      Instant start = day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().plusSeconds(h * 3600L);
      files.add(new Manifest.FileEntry(String.format("%02d00.jsonl.gz", h), start.toString(), start.plusSeconds(3600).toString(), perFile,
          100, "00", 1, perFile, new TreeMap<>(Map.of("trade", perFile))));
    }
    return new Manifest("kalshi", day.toString(), Manifest.FORMAT, "1h", files, gaps, List.of(), List.of(), !gaps.isEmpty());
  }

  private static List<Manifest> trailing(long perFile) {
    List<Manifest> out = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      out.add(manifest(DAY.minusDays(i), 23, perFile, List.of()));
    }
    return out;
  }

  @Test
  void completeDayLikeTheTrailingDaysIsGreen() {
    FeedQuality q = QualityChecker.grade("kalshi", DAY, Optional.of(manifest(DAY, 23, 100, List.of())), trailing(100), LATER);
    assertThat(q.grade()).isEqualTo(Quality.GREEN);
    assertThat(q.reasons()).isEmpty();
    assertThat(q.records()).isEqualTo(2400);
    assertThat(q.trailingMeanRecords()).isEqualTo(2400);
  }

  @Test
  void noArchiveIsRed() {
    FeedQuality q = QualityChecker.grade("kalshi", DAY, Optional.empty(), trailing(100), LATER);
    assertThat(q.grade()).isEqualTo(Quality.RED);
    assertThat(q.reasons()).containsExactly("no archive files for 2026-11-20");
  }

  @Test
  void captureThatStoppedHoursBeforeTheDaysEndIsStale() {
    // last file ends 12:00; 12 h before the end of the day, rotation 1 h: more than 6 rotations
    FeedQuality q = QualityChecker.grade("kalshi", DAY, Optional.of(manifest(DAY, 11, 200, List.of())), trailing(100), LATER);
    assertThat(q.grade()).isEqualTo(Quality.RED);
    assertThat(q.reasons()).containsExactly("stale: last file ended 12h00m before the day's end");
  }

  @Test
  void captureThreeHoursLateIsYellow() {
    // ends 21:00, 3 h before the day's end: more than 2 rotations, not more than 6
    FeedQuality q = QualityChecker.grade("kalshi", DAY, Optional.of(manifest(DAY, 20, 120, List.of())), trailing(100), LATER);
    assertThat(q.grade()).isEqualTo(Quality.YELLOW);
    assertThat(q.reasons()).containsExactly("late: last file ended 3h00m before the day's end");
  }

  @Test
  void volumeFarBelowTheTrailingMeanIsYellowThenRed() {
    FeedQuality low = QualityChecker.grade("kalshi", DAY, Optional.of(manifest(DAY, 23, 40, List.of())), trailing(100), LATER);
    assertThat(low.grade()).isEqualTo(Quality.YELLOW);
    assertThat(low.reasons()).containsExactly("volume 960 is 40% of the trailing mean 2400");
    FeedQuality tiny = QualityChecker.grade("kalshi", DAY, Optional.of(manifest(DAY, 23, 5, List.of())), trailing(100), LATER);
    assertThat(tiny.grade()).isEqualTo(Quality.RED);
  }

  @Test
  void gapsAreYellowAndManyMissingMessagesRed() {
    FeedQuality few = QualityChecker.grade("kalshi", DAY,
        Optional.of(manifest(DAY, 23, 100, List.of(new Manifest.Gap(10, 3, "2026-11-20T01:00:00Z")))), trailing(100), LATER);
    assertThat(few.grade()).isEqualTo(Quality.YELLOW);
    assertThat(few.reasons()).containsExactly("1 gap(s), 3 message(s) missing");
    assertThat(few.gaps()).isEqualTo(1);
    FeedQuality many = QualityChecker.grade("kalshi", DAY,
        Optional.of(manifest(DAY, 23, 100, List.of(new Manifest.Gap(10, 500, "2026-11-20T01:00:00Z")))), trailing(100), LATER);
    assertThat(many.grade()).isEqualTo(Quality.RED);
  }

  @Test
  void todayIsJudgedAgainstNowNotTheDaysEnd() {
    Instant now = DAY.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().plusSeconds(12 * 3600 + 600);
    FeedQuality q = QualityChecker.grade("kalshi", DAY, Optional.of(manifest(DAY, 11, 100, List.of())), List.of(), now);
    assertThat(q.grade()).isEqualTo(Quality.GREEN);
  }
}
