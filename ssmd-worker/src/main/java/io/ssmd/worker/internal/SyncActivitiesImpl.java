package io.ssmd.worker.internal;

import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.secmaster.Database;
import io.ssmd.secmaster.KalshiRestClient;
import io.ssmd.secmaster.KalshiRestOptions;
import io.ssmd.secmaster.KalshiSync;
import io.ssmd.secmaster.KalshiSyncOptions;
import io.ssmd.secmaster.SyncCheckpoint;
import io.ssmd.secmaster.SyncReport;
import io.ssmd.secmaster.kraken.KrakenSync;
import io.ssmd.secmaster.kraken.KrakenSyncReport;
import io.ssmd.secmaster.polymarket.PolymarketSync;
import io.ssmd.secmaster.polymarket.PolymarketSyncReport;
import io.ssmd.worker.workflows.ExchangeSyncInput;
import io.ssmd.worker.workflows.FeesSyncInput;
import io.ssmd.worker.workflows.SecmasterSyncInput;
import io.ssmd.worker.workflows.SyncResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Security-master syncs. The Kalshi sync heartbeats its {@link SyncCheckpoint} after every committed
 * page; a retried attempt (the previous one crashed, hung or lost its worker) reads the last
 * heartbeat and continues from the page after it.
 */
public final class SyncActivitiesImpl implements SyncActivities {
  private static final Logger LOG = LoggerFactory.getLogger(SyncActivitiesImpl.class);
  private final Environments environments;
  private final Databases databases;
  private final io.ssmd.worker.WorkerMetrics metrics;
  private final PageObserver pageObserver;

  /** Told about every page a Kalshi sync attempt committed and heartbeated, on the syncing thread. */
  @FunctionalInterface
  public interface PageObserver {
    /** No-op. */
    PageObserver NONE = (attempt, pages) -> {};

    /**
     * @param attempt the activity attempt, from 1
     * @param pages pages committed by this attempt so far
     */
    void page(int attempt, long pages);
  }

  public SyncActivitiesImpl(Environments environments, Databases databases, io.ssmd.worker.WorkerMetrics metrics) {
    this(environments, databases, metrics, PageObserver.NONE);
  }

  /**
   * @param pageObserver told about each heartbeated page (tests use it to stall an attempt the way a hung worker would)
   */
  public SyncActivitiesImpl(Environments environments, Databases databases, io.ssmd.worker.WorkerMetrics metrics, PageObserver pageObserver) {
    this.environments = environments;
    this.databases = databases;
    this.metrics = metrics;
    this.pageObserver = pageObserver;
  }

  @Override
  public SyncResult kalshiSync(SecmasterSyncInput in) {
    ResolvedEnvironment r = requireFeed(in.env(), "kalshi", "SecmasterSync", "ExchangeSync");
    KalshiSyncOptions options = switch (in.mode()) {
      case "active" -> KalshiSyncOptions.activeOnly();
      case "series" -> KalshiSyncOptions.bySeries(in.series());
      default -> KalshiSyncOptions.full();
    };
    options = options.withIncremental(in.incremental()).withFilters(in.category(), in.tags(), in.minVolume(), in.minCloseDaysAgo());
    return runKalshi(in.env(), r, options);
  }

  @Override
  public SyncResult feesSync(FeesSyncInput in) {
    ResolvedEnvironment r = requireFeed(in.env(), "kalshi", "FeesSync", "ExchangeSync");
    // fee changes and the series listing only: the markets are SecmasterSync's
    return runKalshi(in.env(), r, KalshiSyncOptions.feesOnly());
  }

  private SyncResult runKalshi(String env, ResolvedEnvironment r, KalshiSyncOptions options) {
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    Optional<SyncCheckpoint> last = ctx.getHeartbeatDetails(SyncCheckpoint.class);
    URI rest = rest(r);
    Database db = databases.get();
    AtomicLong attemptPages = new AtomicLong();
    long t0 = System.nanoTime();
    try (KalshiRestClient client = new KalshiRestClient(KalshiRestOptions.defaults(rest));
        ChangePublisher changes = ChangePublisher.open(r)) {
      KalshiSync sync = new KalshiSync(db, client, options, r.subjectPrefix(), changes.transport(), Clock.systemUTC())
          .onCheckpoint(cp -> {
            // throws when the activity was cancelled or timed out on the server: the sync stops after this page
            ctx.heartbeat(cp);
            pageObserver.page(ctx.getInfo().getAttempt(), attemptPages.incrementAndGet());
          });
      long resumedFrom = 0;
      if (last.isPresent()) {
        try {
          sync.resumeFrom(last.get());
          resumedFrom = last.get().pages();
          LOG.info("kalshi sync of {} attempt {} resumes after page {} ({})", env, ctx.getInfo().getAttempt(), resumedFrom,
              last.get().phase());
        } catch (IllegalArgumentException e) {
          LOG.warn("kalshi sync of {}: last heartbeat cannot be resumed ({}); starting over", env, e.getMessage());
        }
      }
      SyncReport rep = sync.run();
      metrics.syncFinished("kalshi", rep.received());
      return new SyncResult(env, "kalshi", rep.received(), rep.tables().values().stream().mapToLong(SyncReport.TableCounts::changed).sum(),
          rep.changeEvents(), rep.pages(), rep.rejected(), (System.nanoTime() - t0) / 1_000_000, resumedFrom);
    } catch (ActivityCompletionException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure("kalshi sync of " + env + ": " + e.getMessage(), "BadInput");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    } catch (Exception e) {
      metrics.syncFailed("kalshi");
      throw Activity.wrap(e);
    }
  }

  @Override
  public SyncResult exchangeSync(ExchangeSyncInput in) {
    ResolvedEnvironment r = environments.load(in.env());
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    Database db = databases.get();
    try (ChangePublisher changes = ChangePublisher.open(r)) {
      switch (r.feedName()) {
        case "kraken" -> {
          // the feed's rest_endpoint is the public API root (…/0/public); the sync appends the path itself
          URI base = URI.create(rest(r).toString().replaceFirst("/0/public/?$", ""));
          KrakenSyncReport rep = new KrakenSync(db.dataSource(), base, KrakenSync.Options.defaults()).sync();
          changes.publish(db, r, "kraken");
          metrics.syncFinished("kraken", rep.pairs().total());
          return new SyncResult(in.env(), "kraken", rep.pairs().total(),
              rep.pairs().inserted() + rep.pairs().updated() + rep.pairs().softDeleted(), rep.changeEvents(), rep.requests(),
              rep.rejected().size(), rep.elapsed().toMillis(), 0);
        }
        case "polymarket" -> {
          PolymarketSyncReport rep = new PolymarketSync(db.dataSource(), rest(r), PolymarketSync.Options.defaults())
              .sync(PolymarketSync.Mode.ACTIVE_EVENTS, p -> ctx.heartbeat(p.pages()));
          changes.publish(db, r, "polymarket");
          long received = rep.events().total() + rep.markets().total() + rep.tokens().total();
          long changed = changed(rep.events()) + changed(rep.markets()) + changed(rep.tokens());
          metrics.syncFinished("polymarket", received);
          return new SyncResult(in.env(), "polymarket", received, changed, rep.changeEvents(), rep.pages(), rep.rejectedCount(),
              rep.elapsed().toMillis(), 0);
        }
        default -> throw ApplicationFailure.newNonRetryableFailure("ExchangeSync needs a Kraken or Polymarket environment; " + in.env()
            + " is " + r.feedName() + (r.feedName().equals("kalshi") ? ": use SecmasterSync" : ""), "BadInput");
      }
    } catch (ApplicationFailure | ActivityCompletionException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    } catch (Exception e) {
      metrics.syncFailed(r.feedName());
      throw Activity.wrap(e);
    }
  }

  private static long changed(PolymarketSyncReport.Counts c) {
    return c.inserted() + c.updated() + c.softDeleted();
  }

  private ResolvedEnvironment requireFeed(String env, String feed, String workflow, String other) {
    ResolvedEnvironment r = environments.load(env);
    if (!r.feedName().equals(feed)) {
      throw ApplicationFailure.newNonRetryableFailure(workflow + " needs a " + feed + " environment; " + env + " is " + r.feedName()
          + ": use " + other, "BadInput");
    }
    return r;
  }

  private static URI rest(ResolvedEnvironment r) {
    return r.restEndpoint().orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(r.environmentFile()
        + ": no rest_endpoint (set it in the environment or the feed version)", Environments.BAD_ENVIRONMENT));
  }
}
