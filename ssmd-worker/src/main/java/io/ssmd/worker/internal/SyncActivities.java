package io.ssmd.worker.internal;

import io.ssmd.worker.workflows.ExchangeSyncInput;
import io.ssmd.worker.workflows.FeesSyncInput;
import io.ssmd.worker.workflows.SecmasterSyncInput;
import io.ssmd.worker.workflows.SyncResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Security-master syncs, calling io.ssmd.secmaster directly. */
@ActivityInterface
public interface SyncActivities {
  /** Kalshi series/events/markets; heartbeats every page and resumes from the last heartbeat when retried. */
  @ActivityMethod(name = "KalshiSync")
  SyncResult kalshiSync(SecmasterSyncInput input);

  /** Kraken pairs or Polymarket events/markets/tokens. */
  @ActivityMethod(name = "ExchangeSync")
  SyncResult exchangeSync(ExchangeSyncInput input);

  /** Kalshi series fee changes. */
  @ActivityMethod(name = "FeesSync")
  SyncResult feesSync(FeesSyncInput input);
}
