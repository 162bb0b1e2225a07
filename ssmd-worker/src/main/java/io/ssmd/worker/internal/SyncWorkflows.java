package io.ssmd.worker.internal;

import io.ssmd.worker.workflows.ExchangeSyncInput;
import io.ssmd.worker.workflows.ExchangeSyncWorkflow;
import io.ssmd.worker.workflows.FeesSyncInput;
import io.ssmd.worker.workflows.FeesSyncWorkflow;
import io.ssmd.worker.workflows.NotifyInput;
import io.ssmd.worker.workflows.NotifyResult;
import io.ssmd.worker.workflows.NotifyWorkflow;
import io.ssmd.worker.workflows.SecmasterSyncInput;
import io.ssmd.worker.workflows.SecmasterSyncWorkflow;
import io.ssmd.worker.workflows.SyncResult;
import io.temporal.workflow.Workflow;

/** The single-activity workflows: each runs one activity with its profile. */
public final class SyncWorkflows {
  private SyncWorkflows() {}

  /** {@code SecmasterSync}: long profile. */
  public static final class SecmasterSync implements SecmasterSyncWorkflow {
    private final SyncActivities sync;

    public SecmasterSync(Profiles p) {
      sync = Workflow.newActivityStub(SyncActivities.class, p.longProfile());
    }

    @Override
    public SyncResult run(SecmasterSyncInput input) {
      return sync.kalshiSync(input);
    }
  }

  /** {@code ExchangeSync}: medium profile. */
  public static final class ExchangeSync implements ExchangeSyncWorkflow {
    private final SyncActivities sync;

    public ExchangeSync(Profiles p) {
      sync = Workflow.newActivityStub(SyncActivities.class, p.mediumProfile());
    }

    @Override
    public SyncResult run(ExchangeSyncInput input) {
      return sync.exchangeSync(input);
    }
  }

  /** {@code FeesSync}: medium profile. */
  public static final class FeesSync implements FeesSyncWorkflow {
    private final SyncActivities sync;

    public FeesSync(Profiles p) {
      sync = Workflow.newActivityStub(SyncActivities.class, p.mediumProfile());
    }

    @Override
    public SyncResult run(FeesSyncInput input) {
      return sync.feesSync(input);
    }
  }

  /** {@code Notify}: short profile. */
  public static final class Notify implements NotifyWorkflow {
    private final NotifyActivities notify;

    public Notify(Profiles p) {
      notify = Workflow.newActivityStub(NotifyActivities.class, p.shortProfile());
    }

    @Override
    public NotifyResult run(NotifyInput input) {
      return notify.send(input);
    }
  }
}
