/**
 * Kraken spot pairs in the security master: {@link io.ssmd.secmaster.kraken.KrakenSync} loads REST
 * {@code AssetPairs} into {@code kraken_pairs} (migration {@code V2__kraken.sql}) under v2 symbols
 * ({@code XBT/USD} becomes {@code BTC/USD}, see {@link io.ssmd.secmaster.kraken.KrakenSymbols}),
 * optionally overlaid with the WS v2 {@code instrument} channel's pairs
 * ({@link io.ssmd.secmaster.kraken.KrakenInstrumentPair}), and reports what it did in a
 * {@link io.ssmd.secmaster.kraken.KrakenSyncReport}.
 */
package io.ssmd.secmaster.kraken;
