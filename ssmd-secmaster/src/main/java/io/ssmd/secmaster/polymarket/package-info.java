/**
 * Polymarket reference data in the security master: {@link io.ssmd.secmaster.polymarket.PolymarketSync}
 * pages the Gamma REST API ({@code /events} with nested markets, or {@code /markets}) into
 * {@code polymarket_events}, {@code polymarket_markets} and {@code polymarket_tokens} (migration
 * {@code V3__polymarket.sql}) one page per transaction, and reports what it did in a
 * {@link io.ssmd.secmaster.polymarket.PolymarketSyncReport}.
 */
package io.ssmd.secmaster.polymarket;
