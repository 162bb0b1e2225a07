package io.ssmd.cli;

import io.ssmd.config.CacheConfig;
import io.ssmd.config.CacheType;
import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.secmaster.Database;
import io.ssmd.secmaster.MarketQuery;
import io.ssmd.secmaster.MarketRecord;
import io.ssmd.secmaster.SecurityMaster;
import io.ssmd.secmaster.cache.MarketCache;
import io.ssmd.secmaster.cache.RefreshReport;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The {@code secmaster} commands' read path: the environment's Redis cache when it has one
 * ({@code cache.type: redis}) and a complete refresh is there, else PostgreSQL; and the refresh
 * after a sync. Every answer says where it came from, since a stale cache and an unsynced database
 * look alike otherwise.
 */
final class SecmasterCache {
  private static final Logger LOG = LoggerFactory.getLogger(SecmasterCache.class);

  /** Rows and where they were read. */
  record Answer<T>(T value, String source) {}

  private SecmasterCache() {}

  /** The environment's cache, if it configures one. */
  static Optional<MarketCache> open(ResolvedEnvironment r) {
    CacheConfig c = r.environment().cache();
    return c.type() == CacheType.REDIS ? Optional.of(new MarketCache(c.url().toString())) : Optional.empty();
  }

  /** Refreshes the environment's cache from the database after a sync; empty when it has no cache. */
  static Optional<RefreshReport> refresh(ResolvedEnvironment r, Database db) throws SQLException {
    Optional<MarketCache> cache = open(r);
    if (cache.isEmpty()) {
      return Optional.empty();
    }
    try (MarketCache c = cache.get()) {
      return Optional.of(c.refreshFrom(db, r.feedName()));
    } catch (JedisException e) {
      throw new IllegalStateException("sync done, but the Redis cache " + r.environment().cache().url() + " could not be refreshed ("
          + e.getMessage() + "); start Redis or set cache.type: none, then sync again", e);
    }
  }

  static Answer<List<MarketRecord>> list(ResolvedEnvironment r, Database db, MarketQuery q) throws SQLException {
    SecurityMaster.validate(q);
    Optional<MarketCache> cache = open(r);
    if (cache.isPresent()) {
      try (MarketCache c = cache.get()) {
        Optional<Instant> at = c.refreshedAt(q.feed());
        if (at.isPresent()) {
          return new Answer<>(c.list(q, Instant.now()), "redis cache (refreshed " + at.get() + ")");
        }
        return new Answer<>(new SecurityMaster(db, Clock.systemUTC()).list(q), "PostgreSQL (redis cache not refreshed yet)");
      } catch (JedisException e) {
        LOG.warn("redis cache {} unreachable ({}), reading PostgreSQL", r.environment().cache().url(), e.getMessage());
        return new Answer<>(new SecurityMaster(db, Clock.systemUTC()).list(q), "PostgreSQL (redis cache unreachable)");
      }
    }
    return new Answer<>(new SecurityMaster(db, Clock.systemUTC()).list(q), "PostgreSQL");
  }

  /**
   * One market: the cache holds listed markets by ticker, so a miss (a delisted market, or another
   * key such as a slug or token id) is asked of PostgreSQL.
   */
  static Answer<Optional<MarketRecord>> show(ResolvedEnvironment r, Database db, String ticker) throws SQLException {
    String fallback = "PostgreSQL";
    Optional<MarketCache> cache = open(r);
    if (cache.isPresent()) {
      try (MarketCache c = cache.get()) {
        if (c.refreshedAt(r.feedName()).isPresent()) {
          Optional<MarketRecord> hit = c.market(r.feedName(), ticker);
          if (hit.isPresent()) {
            return new Answer<>(hit, "redis cache");
          }
          fallback = "PostgreSQL (not in the redis cache)";
        } else {
          fallback = "PostgreSQL (redis cache not refreshed yet)";
        }
      } catch (JedisException e) {
        LOG.warn("redis cache {} unreachable ({}), reading PostgreSQL", r.environment().cache().url(), e.getMessage());
        fallback = "PostgreSQL (redis cache unreachable)";
      }
    }
    return new Answer<>(new SecurityMaster(db, Clock.systemUTC()).show(r.feedName(), ticker), fallback);
  }
}
