package io.ssmd.secmaster.cache;

import io.ssmd.transport.Delivered;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the latest ticker per instrument in the {@link MarketCache} from a transport subscription.
 *
 * <p>Subscribe it to {@code {env}.{feed}.json.ticker.*} (or a wider pattern: other message types are
 * skipped). For a subject {@code {env}.{feed}.json.ticker.{instrument}} the raw payload is stored
 * under the subject's feed and last token, i.e. the sanitised instrument ({@code BTC/USD} arrives as
 * {@code BTC-USD}), with this updater's TTL.
 *
 * <p>Runs on the subscription's thread. A Redis failure is logged (rate-limited) and counted, never
 * thrown: the subscription keeps running and the next frame retries.
 */
public final class TickerCacheUpdater implements Consumer<Delivered> {
  private static final Logger LOG = LoggerFactory.getLogger(TickerCacheUpdater.class);
  private static final long LOG_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

  private final MarketCache cache;
  private final Duration ttl;
  private final AtomicLong stored = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile long lastErrorLogNanos = System.nanoTime() - LOG_EVERY_NANOS;

  /** @param ttl how long a ticker stays without a newer one; a few times the venue's ticker interval */
  public TickerCacheUpdater(MarketCache cache, Duration ttl) {
    this.cache = Objects.requireNonNull(cache, "cache");
    if (ttl == null || ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be at least 1 ms, got " + ttl);
    }
    this.ttl = ttl;
  }

  @Override
  public void accept(Delivered message) {
    String[] tokens = message.subject().split("\\.", -1);
    if (tokens.length != 5 || !"json".equals(tokens[2]) || !"ticker".equals(tokens[3])) {
      skipped.incrementAndGet();
      return;
    }
    try {
      cache.putLatest(tokens[1], tokens[4], message.payload(), ttl);
      stored.incrementAndGet();
    } catch (RuntimeException e) {
      long n = failed.incrementAndGet();
      long now = System.nanoTime();
      if (now - lastErrorLogNanos >= LOG_EVERY_NANOS) {
        lastErrorLogNanos = now;
        LOG.warn("cannot cache ticker {} (seq {}); {} failures so far: {}", message.subject(), message.seq(), n, e.toString());
      }
    }
  }

  /** Ticker frames written to the cache. */
  public long stored() {
    return stored.get();
  }

  /** Messages that were not tickers. */
  public long skipped() {
    return skipped.get();
  }

  /** Ticker frames that could not be written (Redis unavailable). */
  public long failed() {
    return failed.get();
  }
}
