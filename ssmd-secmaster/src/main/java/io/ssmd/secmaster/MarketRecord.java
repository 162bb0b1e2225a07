package io.ssmd.secmaster;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One market as the security master knows it (the CLI's {@code secmaster list|show} row), in one
 * shape for every venue. What a column means per feed:
 *
 * <ul>
 *   <li>kalshi: a market; event and series as Kalshi names them, fees from the event override or
 *       the series.
 *   <li>kraken: a spot pair; {@code ticker} the v2 symbol ({@code BTC/USD}), {@code title} the v1
 *       wsname, {@code category} the base asset class; state {@code open} (online), {@code paused}
 *       (cancel/post/limit/reduce only, maintenance) or {@code closed} (delisted).
 *   <li>polymarket: a market; {@code ticker} its condition id, {@code eventTicker} its event id,
 *       {@code title} the question, open/close times its start/end dates; state {@code open}
 *       (active and accepting orders), {@code paused} (active, not accepting), {@code unopened} (not
 *       active yet) or {@code closed} (closed or archived); {@code outcomes} its tokens.
 * </ul>
 *
 * @param feed e.g. {@code kalshi}
 * @param ticker market ticker
 * @param eventTicker its event
 * @param seriesTicker its series
 * @param category the series' category (null if the series is unknown)
 * @param title market title
 * @param eventTitle the event's title (null if unknown)
 * @param state derived state: unopened|open|paused|closed|settled
 * @param venueStatus the venue's own status word
 * @param openTime when trading opens (null if unknown)
 * @param closeTime when trading closes (null if unknown)
 * @param volume contracts traded (fixed-point), null if unknown
 * @param feeType effective fee type (event override, else series)
 * @param feeMultiplier effective fee multiplier (event override, else series)
 * @param updatedAt last change of a tracked column
 * @param deletedAt when the venue stopped listing it (null: listed)
 * @param attributes venue-specific reference fields (e.g. Kraken precisions and minimums, Polymarket
 *     slug and tick size), as the database renders them; null values left out
 * @param outcomes the market's outcome tokens (Polymarket; empty elsewhere)
 */
public record MarketRecord(
    String feed,
    String ticker,
    String eventTicker,
    String seriesTicker,
    String category,
    String title,
    String eventTitle,
    String state,
    String venueStatus,
    Instant openTime,
    Instant closeTime,
    BigDecimal volume,
    String feeType,
    BigDecimal feeMultiplier,
    Instant updatedAt,
    Instant deletedAt,
    Map<String, String> attributes,
    List<Outcome> outcomes) {

  /** One outcome token of a market (Polymarket's CLOB asset id). */
  public record Outcome(String tokenId, String outcome, int index) {}

  public MarketRecord {
    // sorted, so tables and JSON show the attributes in a stable order
    attributes = attributes == null ? Map.of() : java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(attributes));
    outcomes = outcomes == null ? List.of() : List.copyOf(outcomes);
  }

  /** A market without venue-specific attributes or outcomes (Kalshi's shape). */
  public MarketRecord(String feed, String ticker, String eventTicker, String seriesTicker, String category, String title,
      String eventTitle, String state, String venueStatus, Instant openTime, Instant closeTime, BigDecimal volume, String feeType,
      BigDecimal feeMultiplier, Instant updatedAt, Instant deletedAt) {
    this(feed, ticker, eventTicker, seriesTicker, category, title, eventTitle, state, venueStatus, openTime, closeTime, volume,
        feeType, feeMultiplier, updatedAt, deletedAt, Map.of(), List.of());
  }

  /** This record with its outcomes. */
  public MarketRecord withOutcomes(List<Outcome> tokens) {
    return new MarketRecord(feed, ticker, eventTicker, seriesTicker, category, title, eventTitle, state, venueStatus, openTime,
        closeTime, volume, feeType, feeMultiplier, updatedAt, deletedAt, attributes, tokens);
  }
}
