package io.ssmd.secmaster;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one sync did.
 *
 * @param feed e.g. {@code kalshi}
 * @param tables per table ({@code kalshi_series}, {@code kalshi_events}, {@code kalshi_markets}, ..)
 * @param rejected records that failed to parse (wrong type, missing field): skipped, not fatal
 * @param rejections the first reasons, each naming the listing and record
 * @param filtered records received but left out by an option (e.g. {@code min_volume})
 * @param changeEvents change events written to the outbox
 * @param pages REST pages fetched
 * @param retries REST attempts retried (429, 5xx, I/O)
 * @param duration wall time of the sync
 */
public record SyncReport(
    String feed,
    Map<String, TableCounts> tables,
    long rejected,
    List<String> rejections,
    long filtered,
    long changeEvents,
    long pages,
    long retries,
    Duration duration) {

  /** Row outcomes in one table. {@code statsUpdated} counts volume/open-interest refreshes, which do not move {@code updated_at}. */
  public record TableCounts(long received, long inserted, long updated, long unchanged, long softDeleted, long statsUpdated) {
    /** Rows whose tracked columns were written (inserted, updated or soft-deleted). */
    public long changed() {
      return inserted + updated + softDeleted;
    }
  }

  public SyncReport {
    tables = Map.copyOf(tables);
    rejections = List.copyOf(rejections);
  }

  /** Records received across tables. */
  public long received() {
    return tables.values().stream().mapToLong(TableCounts::received).sum();
  }

  /** Records received per second of wall time. */
  public double rowsPerSecond() {
    double s = duration.toNanos() / 1e9;
    return s <= 0 ? 0 : received() / s;
  }

  /** Counts of one table (zeros when the sync did not touch it). */
  public TableCounts table(String name) {
    return tables.getOrDefault(name, new TableCounts(0, 0, 0, 0, 0, 0));
  }
}
