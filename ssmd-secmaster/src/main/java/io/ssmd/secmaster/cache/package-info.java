/**
 * Redis cache of the security master: the market hierarchy for fast lookups ({@link
 * io.ssmd.secmaster.cache.MarketCache}) and the latest ticker frame per instrument, kept fresh from
 * the transport by {@link io.ssmd.secmaster.cache.TickerCacheUpdater}.
 */
package io.ssmd.secmaster.cache;
