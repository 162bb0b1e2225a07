package io.ssmd.secmaster;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One market as the security master knows it (the CLI's {@code secmaster list|show} row).
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
    Instant deletedAt) {}
