package io.ssmd.secmaster;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link KalshiSync} fetches.
 *
 * @param mode full universe, active markets only, the given series, or fee changes only
 * @param series series tickers for {@link Mode#BY_SERIES}
 * @param category only series of this category (null: any); narrows the sync to those series
 * @param tags only series with these tags (empty: any); narrows the sync to those series
 * @param minVolume skip markets whose {@code volume_fp} is below (null: no limit)
 * @param minCloseDaysAgo closed and settled markets only if they closed within this many days
 *     (null: all). Applied only to the closed/settled queries: Kalshi silently returns nothing for
 *     {@code min_close_ts} with {@code status=open}
 * @param incremental ask only for records updated since the last successful sync of the same
 *     scope ({@code min_updated_ts}); soft deletes are skipped then, since absence means nothing
 * @param batchSize records per upsert statement and transaction
 * @param fees also sync {@code /series/fee_changes} (always on for {@link Mode#FEES})
 */
public record KalshiSyncOptions(
    Mode mode,
    List<String> series,
    String category,
    List<String> tags,
    BigDecimal minVolume,
    Integer minCloseDaysAgo,
    boolean incremental,
    int batchSize,
    boolean fees) {

  /** Sync modes. */
  public enum Mode {
    FULL,
    ACTIVE_ONLY,
    BY_SERIES,
    /**
     * {@code /series/fee_changes} and the series listing (which carries each series' current fee
     * type and multiplier) only: no events or markets are fetched, and the markets table and its
     * change events are left untouched.
     */
    FEES
  }

  public KalshiSyncOptions {
    series = series == null ? List.of() : List.copyOf(series);
    tags = tags == null ? List.of() : List.copyOf(tags);
    List<String> problems = new ArrayList<>();
    if (mode == null) {
      problems.add("mode is required (FULL, ACTIVE_ONLY, BY_SERIES or FEES)");
    }
    if (mode == Mode.FEES && !fees) {
      problems.add("mode FEES syncs fee changes: fees must be true");
    }
    if (mode == Mode.FEES && (!series.isEmpty() || category != null || !tags.isEmpty() || minVolume != null || minCloseDaysAgo != null)) {
      // fee changes are one unscoped listing; a narrowed series scope would silently skip them
      problems.add("mode FEES takes no series, category, tags, minVolume or minCloseDaysAgo (fee changes are fetched for every series)");
    }
    if (mode == Mode.BY_SERIES && series.isEmpty() && category == null && tags.isEmpty()) {
      problems.add("mode BY_SERIES needs series tickers (or a category or tags to find them)");
    }
    if (minCloseDaysAgo != null && minCloseDaysAgo < 0) {
      problems.add("minCloseDaysAgo must be >= 0 days, got " + minCloseDaysAgo);
    }
    if (minVolume != null && minVolume.signum() < 0) {
      problems.add("minVolume must be >= 0, got " + minVolume);
    }
    if (batchSize < 1 || batchSize > 10_000) {
      problems.add("batchSize must be 1..10000, got " + batchSize);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid Kalshi sync options: " + String.join("; ", problems));
    }
  }

  /** The whole universe, batches of 1000, with fee changes. */
  public static KalshiSyncOptions full() {
    return new KalshiSyncOptions(Mode.FULL, List.of(), null, List.of(), null, null, false, 1000, true);
  }

  /** Open markets (plus a first page of everything, to catch what is about to open). */
  public static KalshiSyncOptions activeOnly() {
    return new KalshiSyncOptions(Mode.ACTIVE_ONLY, List.of(), null, List.of(), null, null, false, 1000, false);
  }

  /** The given series only. */
  public static KalshiSyncOptions bySeries(List<String> series) {
    return new KalshiSyncOptions(Mode.BY_SERIES, series, null, List.of(), null, null, false, 1000, false);
  }

  /** Fee changes and the series they apply to; no events or markets. */
  public static KalshiSyncOptions feesOnly() {
    return new KalshiSyncOptions(Mode.FEES, List.of(), null, List.of(), null, null, false, 1000, true);
  }

  /** This, incremental. */
  public KalshiSyncOptions withIncremental(boolean on) {
    return new KalshiSyncOptions(mode, series, category, tags, minVolume, minCloseDaysAgo, on, batchSize, fees);
  }

  /** This, with another batch size. */
  public KalshiSyncOptions withBatchSize(int size) {
    return new KalshiSyncOptions(mode, series, category, tags, minVolume, minCloseDaysAgo, incremental, size, fees);
  }

  /** This, with filters. */
  public KalshiSyncOptions withFilters(String category, List<String> tags, BigDecimal minVolume, Integer minCloseDaysAgo) {
    return new KalshiSyncOptions(mode, series, category, tags, minVolume, minCloseDaysAgo, incremental, batchSize, fees);
  }

  /** True when the sync sees the whole universe, so absence from it means the venue removed a record. */
  boolean complete() {
    return mode == Mode.FULL && category == null && tags.isEmpty() && minVolume == null && minCloseDaysAgo == null && !incremental;
  }

  /** Key of the incremental watermark in {@code sync_state}: options that change what is fetched. */
  String scope() {
    return mode.name().toLowerCase(java.util.Locale.ROOT)
        + (series.isEmpty() ? "" : " series=" + String.join(",", series))
        + (category == null ? "" : " category=" + category)
        + (tags.isEmpty() ? "" : " tags=" + String.join(",", tags))
        + (minVolume == null ? "" : " min_volume=" + minVolume.toPlainString())
        + (minCloseDaysAgo == null ? "" : " min_close_days_ago=" + minCloseDaysAgo);
  }
}
