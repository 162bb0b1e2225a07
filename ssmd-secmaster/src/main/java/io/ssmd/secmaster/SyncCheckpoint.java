package io.ssmd.secmaster;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a resumable sync stands after a committed page: everything a later attempt needs to
 * continue with the next page instead of starting over ({@link KalshiSync#resumeFrom}). Plain
 * strings, numbers and lists, so any Jackson {@code ObjectMapper} (e.g. a Temporal heartbeat's
 * payload converter) round-trips it without extra modules.
 *
 * <p>The position is the next thing to fetch: {@code phase}, and for {@link Phase#EVENTS}/{@link
 * Phase#MARKETS} the series-scope index and query index of the listing, and {@code cursor}, the
 * venue's cursor of the next page (null: the listing starts from its first page).
 *
 * @param feed the feed this checkpoint belongs to ({@code kalshi})
 * @param scope the sync options' scope key; resuming with other options is refused
 * @param runId identifies the run's persisted seen keys ({@code sync_seen})
 * @param startedAt ISO-8601 instant the run started: market states and closing windows are derived
 *     from it, and it becomes the incremental watermark, so the resumed attempt keeps it
 * @param since ISO-8601 lower bound of an incremental run (null: not incremental)
 * @param seriesScope the series events and markets are scoped to (null: the whole universe); while
 *     {@code phase} is {@link Phase#SERIES}, the series collected so far
 * @param phase the step to run next
 * @param scopeIndex index into {@code seriesScope} (0 for the whole universe)
 * @param queryIndex index of the listing query within the run's plan
 * @param cursor venue cursor of the next page of the current listing (null: first page)
 * @param tables per-table counts so far, so the final report covers the whole run
 * @param rejected records rejected so far
 * @param filtered records filtered out so far
 * @param changeEvents change events written so far
 * @param pages REST pages fetched so far, by every attempt
 */
public record SyncCheckpoint(
    String feed,
    String scope,
    String runId,
    String startedAt,
    String since,
    List<String> seriesScope,
    Phase phase,
    int scopeIndex,
    int queryIndex,
    String cursor,
    Map<String, SyncReport.TableCounts> tables,
    long rejected,
    long filtered,
    long changeEvents,
    long pages) {

  /** The steps of a sync, in order. */
  public enum Phase {
    /** the series listing */
    SERIES,
    /** an events listing of one series scope and query */
    EVENTS,
    /** a markets listing of one series scope and query */
    MARKETS,
    /** the fee-change schedule (one request) */
    FEE_CHANGES,
    /** soft deletes, state re-derivation and the watermark: nothing left to fetch */
    FINISH
  }

  public SyncCheckpoint {
    Objects.requireNonNull(feed, "feed");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(phase, "phase");
    seriesScope = seriesScope == null ? null : List.copyOf(seriesScope);
    tables = tables == null ? Map.of() : Map.copyOf(tables);
    if (scopeIndex < 0 || queryIndex < 0) {
      throw new IllegalArgumentException("SyncCheckpoint: scopeIndex and queryIndex must be >= 0, got " + scopeIndex + ", " + queryIndex);
    }
  }

  /** {@link #startedAt} as an instant. */
  public Instant startedAtInstant() {
    return Instant.parse(startedAt);
  }
}
