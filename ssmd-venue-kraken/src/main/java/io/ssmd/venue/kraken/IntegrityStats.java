package io.ssmd.venue.kraken;

/**
 * Integrity counters of one Kraken connection.
 *
 * @param checksumsVerified book messages whose CRC32 matched the local book
 * @param checksumMismatches book messages whose CRC32 did not match
 * @param checksumUnverified book messages not verified: pair precision not yet known from the
 *     {@code instrument} channel, no snapshot yet (e.g. while a resync is in flight), or no checksum
 * @param resyncs book resubscribes sent after a mismatch
 * @param resyncsSuppressed mismatches that did not resubscribe because the symbol resynced recently
 * @param tradeGaps jumps in a symbol's {@code trade_id} sequence
 */
public record IntegrityStats(
    long checksumsVerified, long checksumMismatches, long checksumUnverified, long resyncs, long resyncsSuppressed, long tradeGaps) {}
