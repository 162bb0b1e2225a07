package io.ssmd.secmaster.kraken;

import java.time.Duration;
import java.util.List;

/**
 * What one Kraken sync did.
 *
 * @param pairs row outcomes in {@code kraken_pairs}
 * @param rejected records the venue sent that could not be stored, with the reason each
 * @param requests HTTP requests made, retries included
 * @param retries requests retried after a 429, 5xx or I/O error
 * @param changeEvents rows written to the change-event outbox (0 when there is none)
 * @param elapsed wall time of the sync
 */
public record KrakenSyncReport(
    Counts pairs, List<Rejected> rejected, int requests, int retries, int changeEvents, Duration elapsed) {

  public KrakenSyncReport {
    rejected = List.copyOf(rejected);
  }

  /** Per-table outcome: every row synced is exactly one of inserted, updated or unchanged. */
  public record Counts(int inserted, int updated, int unchanged, int softDeleted) {
    public int total() {
      return inserted + updated + unchanged;
    }
  }

  /** A venue record that was skipped; {@code key} is the AssetPairs key or the v2 symbol. */
  public record Rejected(String key, String reason) {}

  /** Rows synced per second of wall time. */
  public double rowsPerSecond() {
    long ms = Math.max(1, elapsed.toMillis());
    return pairs.total() * 1000.0 / ms;
  }
}
