package io.ssmd.worker.workflows;

/**
 * What a security-master sync did ({@link SecmasterSyncWorkflow}, {@link ExchangeSyncWorkflow}, {@link FeesSyncWorkflow}).
 *
 * @param env environment synced
 * @param feed {@code kalshi}, {@code kraken} or {@code polymarket}
 * @param received records received from the venue
 * @param changed rows inserted, updated or soft-deleted
 * @param changeEvents change events written to the outbox
 * @param pages REST pages fetched by the attempt that finished
 * @param rejected records that failed to parse (skipped)
 * @param durationMillis wall time of the attempt that finished
 * @param resumedFromPage pages a retried attempt skipped because an earlier attempt had heartbeated them (0: a fresh start)
 */
public record SyncResult(
    String env, String feed, long received, long changed, long changeEvents, long pages, long rejected, long durationMillis, long resumedFromPage) {}
