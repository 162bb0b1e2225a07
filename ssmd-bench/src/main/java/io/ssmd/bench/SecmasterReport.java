package io.ssmd.bench;

import java.util.List;
import java.util.Locale;

/**
 * Figures of one {@link SecmasterBenchmark} run.
 *
 * @param rawRecords records (series + events + markets) the raw paging read
 * @param rawPages pages it fetched
 * @param rawSeconds its wall time
 * @param syncRecords records the first sync received (series + events + markets + fee changes)
 * @param syncMarketsInserted rows inserted into {@code kalshi_markets} by the first sync
 * @param syncPages REST pages of the first sync
 * @param syncSeconds its wall time ({@link io.ssmd.secmaster.SyncReport#duration()})
 * @param resyncRecords records the no-change re-sync received
 * @param resyncChangedRows rows it inserted, updated or soft-deleted, over all tables
 * @param resyncChangeEvents change events it wrote
 * @param resyncSeconds its wall time
 * @param rssBytes peak VmRSS of the separate {@code ssmd secmaster sync} JVM, 0 when skipped
 * @param childRecords records the separate sync reported received
 * @param childSeconds the separate process's wall time (JVM start, embedded PostgreSQL, sync)
 */
public record SecmasterReport(
    String date,
    int markets,
    int cores,
    double clientRequestsPerSecond,
    long rawRecords,
    long rawPages,
    double rawSeconds,
    long syncRecords,
    long syncMarketsInserted,
    long syncPages,
    double syncSeconds,
    long resyncRecords,
    long resyncChangedRows,
    long resyncChangeEvents,
    double resyncSeconds,
    String childHeap,
    long rssBytes,
    long childRecords,
    double childSeconds,
    List<String> notes) {

  public double rawRate() {
    return rawSeconds <= 0 ? 0 : rawRecords / rawSeconds;
  }

  public double syncRate() {
    return syncSeconds <= 0 ? 0 : syncRecords / syncSeconds;
  }

  /** Sync throughput as a fraction of the raw HTTP + JSON limit: what the database costs. */
  public double syncRatio() {
    return rawRate() <= 0 ? 0 : syncRate() / rawRate();
  }

  public double resyncRate() {
    return resyncSeconds <= 0 ? 0 : resyncRecords / resyncSeconds;
  }

  public String format() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT,
        "ssmd secmaster benchmark, %s: %,d Kalshi markets from the simulator's REST API (127.0.0.1), embedded PostgreSQL, %d cores%n",
        date, markets, cores));
    b.append(String.format(Locale.ROOT,
        "raw paging, HTTP + JSON parse only (no DB)      : %,9.0f rows/s   (limit) %,d records in %,d pages, %.2f s%n",
        rawRate(), rawRecords, rawPages, rawSeconds));
    b.append(String.format(Locale.ROOT,
        "secmaster sync -> PostgreSQL, first sync        : %,9.0f rows/s   ratio %.2f of raw; %,d records (%,d markets inserted) in %,d pages, %.2f s%n",
        syncRate(), syncRatio(), syncRecords, syncMarketsInserted, syncPages, syncSeconds));
    b.append(String.format(Locale.ROOT,
        "no-change re-sync                               : %9.2f s        %,d rows updated, %,d change events; %,d records (%,.0f rows/s)%n",
        resyncSeconds, resyncChangedRows, resyncChangeEvents, resyncRecords, resyncRate()));
    if (rssBytes > 0) {
      b.append(String.format(Locale.ROOT,
          "ssmd secmaster sync peak RSS (separate JVM)     : %,9d MiB      -Xmx%s, aim < 512 MiB; %,d records, %.1f s wall%n",
          rssBytes >> 20, childHeap, childRecords, childSeconds));
    }
    b.append(String.format(Locale.ROOT,
        "(in-process sync: client rate limit raised to %,.0f requests/s so the limiter is not the bottleneck)%n",
        clientRequestsPerSecond));
    for (String n : notes) {
      b.append("note: ").append(n).append(System.lineSeparator());
    }
    return b.toString();
  }
}
