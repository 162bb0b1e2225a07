package io.ssmd.secmaster.polymarket;

import java.time.Duration;
import java.util.List;

/**
 * What one Polymarket sync did.
 *
 * @param events row outcomes in {@code polymarket_events}
 * @param markets row outcomes in {@code polymarket_markets}
 * @param tokens row outcomes in {@code polymarket_tokens}
 * @param rejectedCount every record that could not be stored
 * @param rejected the first {@link #MAX_REJECTED_LISTED} of them with their reasons (bounded: a
 *     venue schema change can reject every record of a large universe)
 * @param pages pages fetched
 * @param requests HTTP requests made, retries included
 * @param retries requests retried after a 429, 5xx or I/O error
 * @param changeEvents rows written to the change-event outbox (0 when there is none)
 * @param elapsed wall time of the sync
 */
public record PolymarketSyncReport(
    Counts events,
    Counts markets,
    Counts tokens,
    int rejectedCount,
    List<Rejected> rejected,
    int pages,
    int requests,
    int retries,
    int changeEvents,
    Duration elapsed) {

  public static final int MAX_REJECTED_LISTED = 100;

  public PolymarketSyncReport {
    rejected = List.copyOf(rejected);
  }

  /** Per-table outcome: every row synced is exactly one of inserted, updated or unchanged. */
  public record Counts(int inserted, int updated, int unchanged, int softDeleted) {
    public int total() {
      return inserted + updated + unchanged;
    }
  }

  /**
   * A venue record that was skipped.
   *
   * @param kind event or market
   * @param key its id or condition id when it had one, else its position ({@code page 3 #17})
   */
  public record Rejected(String kind, String key, String reason) {}

  /** Rows synced (all three tables) per second of wall time. */
  public double rowsPerSecond() {
    long ms = Math.max(1, elapsed.toMillis());
    return (events.total() + markets.total() + tokens.total()) * 1000.0 / ms;
  }
}
