package io.ssmd.secmaster;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One change the security master noticed, as written to the {@code change_events} outbox and
 * published on {@code {env}.secmaster.changes.{feed}}.
 *
 * @param id outbox id (ascending in commit order)
 * @param feed e.g. {@code kalshi}
 * @param entity what changed: {@code market} (Kalshi, Polymarket condition), {@code event}
 *     (Polymarket), {@code pair} (Kraken), {@code token} (a Polymarket outcome token)
 * @param ticker its key: the market's ticker, the pair's v2 symbol, the token's asset id
 * @param kind what happened
 * @param fields tracked columns that changed (for {@link Kind#CHANGED}; all kinds list them when known)
 * @param state derived state after the change (unopened|open|paused|closed|settled; open|closed for tokens)
 * @param eventTicker the market's event
 * @param at when the change was recorded
 */
public record ChangeEvent(
    long id, String feed, String entity, String ticker, Kind kind, List<String> fields, String state, String eventTicker, Instant at) {

  /** Kinds of change; connectors subscribe on {@link #ADDED}/{@link #ACTIVATED} to open markets and drop {@link #CLOSED}/{@link #REMOVED}. */
  public enum Kind {
    /** first seen (or back after a soft delete) */
    ADDED,
    /** became open (open_time passed or the venue activated it) */
    ACTIVATED,
    /** became closed or settled */
    CLOSED,
    /** tracked fields other than the state changed */
    CHANGED,
    /** gone from the venue's full listing: soft-deleted */
    REMOVED
  }

  public ChangeEvent {
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(kind, "kind");
    fields = List.copyOf(fields);
  }
}
