package io.ssmd.secmaster.cache;

/**
 * Outcome of {@link MarketCache#refreshFrom}.
 *
 * @param listed markets the security master lists (not soft-deleted) and the cache now holds
 * @param open of those, markets in state {@code open}
 * @param removed tickers dropped from the cache because the security master no longer lists them
 */
public record RefreshReport(int listed, int open, int removed) {}
