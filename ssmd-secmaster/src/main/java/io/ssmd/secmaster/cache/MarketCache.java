package io.ssmd.secmaster.cache;

import io.ssmd.secmaster.Database;
import io.ssmd.secmaster.MarketQuery;
import io.ssmd.secmaster.MarketRecord;
import io.ssmd.secmaster.SecurityMaster;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.PipelineBase;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.SetParams;

/**
 * The security master's Redis cache: market hierarchy for fast lookups and the latest ticker frame
 * per instrument.
 *
 * <p>Keys, with {@code {feed}} e.g. {@code kalshi}:
 *
 * <ul>
 *   <li>{@code ssmd:{feed}:market:{ticker}}: hash of the {@link MarketRecord} fields (snake_case
 *       names; fixed-point numbers as plain decimal strings, instants as ISO-8601; null fields
 *       absent).
 *   <li>{@code ssmd:{feed}:event:{eventTicker}}, {@code ssmd:{feed}:series:{seriesTicker}}: sets of
 *       market tickers.
 *   <li>{@code ssmd:{feed}:open}: set of tickers in state {@code open}.
 *   <li>{@code ssmd:{feed}:markets}: set of every cached ticker, so a refresh can find the ones the
 *       security master no longer lists.
 *   <li>{@code ssmd:{feed}:ticker:{instrument}}: the latest raw ticker frame (bytes as received).
 * </ul>
 *
 * <p>Lifetimes: the hierarchy keys are rewritten by every {@link #refreshFrom refresh} and also
 * carry a safety TTL ({@code hierarchyTtl}, re-armed on every write) so a cache whose sync has died
 * empties instead of serving stale markets forever. Ticker keys carry the TTL given to {@link
 * #putLatest}.
 *
 * <p>Thread-safe: every call borrows a connection from the pool.
 */
public final class MarketCache implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MarketCache.class);
  /** Default safety TTL of the hierarchy keys: several missed refreshes before they expire. */
  public static final Duration DEFAULT_HIERARCHY_TTL = Duration.ofHours(6);
  /** Markets per MULTI/EXEC batch: bounds both the client's buffered replies and Redis' blocking time. */
  static final int BATCH = 1_000;
  /** Rows asked of the security master in one refresh. */
  public static final int DEFAULT_REFRESH_LIMIT = 100_000;
  private static final String OPEN = "open";

  private final JedisPooled jedis;
  private final Duration hierarchyTtl;

  /**
   * Opens a connection pool to {@code redisUrl} ({@code redis://host:port[/db]}).
   *
   * @param hierarchyTtl safety TTL of the market hierarchy keys; must exceed the refresh interval
   */
  public MarketCache(String redisUrl, Duration hierarchyTtl) {
    Objects.requireNonNull(redisUrl, "redisUrl");
    URI uri = URI.create(redisUrl);
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      throw new IllegalArgumentException("redisUrl must be redis://host:port (or rediss://), got " + redisUrl);
    }
    if (hierarchyTtl == null || hierarchyTtl.toSeconds() < 1) {
      throw new IllegalArgumentException("hierarchyTtl must be at least 1 s, got " + hierarchyTtl);
    }
    this.jedis = new JedisPooled(uri);
    this.hierarchyTtl = hierarchyTtl;
  }

  /** {@link #MarketCache(String, Duration)} with {@link #DEFAULT_HIERARCHY_TTL}. */
  public MarketCache(String redisUrl) {
    this(redisUrl, DEFAULT_HIERARCHY_TTL);
  }

  static String marketKey(String feed, String ticker) {
    return "ssmd:" + feed + ":market:" + ticker;
  }

  static String eventKey(String feed, String eventTicker) {
    return "ssmd:" + feed + ":event:" + eventTicker;
  }

  static String seriesKey(String feed, String seriesTicker) {
    return "ssmd:" + feed + ":series:" + seriesTicker;
  }

  static String openKey(String feed) {
    return "ssmd:" + feed + ":open";
  }

  static String indexKey(String feed) {
    return "ssmd:" + feed + ":markets";
  }

  static String tickerKey(String feed, String instrument) {
    return "ssmd:" + feed + ":ticker:" + instrument;
  }

  /**
   * Writes (replaces) the markets' hashes and their event, series and open-set memberships. A market
   * that moved to another event or series leaves the old set. Batched: each batch of {@value #BATCH}
   * markets is one MULTI/EXEC, so readers never see a half-written market.
   */
  public void putMarkets(String feed, List<MarketRecord> markets) {
    Objects.requireNonNull(feed, "feed");
    for (int from = 0; from < markets.size(); from += BATCH) {
      putBatch(feed, markets.subList(from, Math.min(markets.size(), from + BATCH)));
    }
  }

  private void putBatch(String feed, List<MarketRecord> batch) {
    List<Response<List<String>>> previous = new ArrayList<>(batch.size());
    try (PipelineBase p = jedis.pipelined()) {
      for (MarketRecord m : batch) {
        previous.add(p.hmget(marketKey(feed, m.ticker()), "event_ticker", "series_ticker"));
      }
    }
    long ttl = hierarchyTtl.toSeconds();
    Set<String> touched = new HashSet<>();
    try (AbstractTransaction tx = jedis.multi()) {
      for (int i = 0; i < batch.size(); i++) {
        MarketRecord m = batch.get(i);
        String key = marketKey(feed, m.ticker());
        tx.del(key);
        tx.hset(key, fields(m));
        tx.expire(key, ttl);
        List<String> old = previous.get(i).get();
        if (old.get(0) != null && !old.get(0).equals(m.eventTicker())) {
          tx.srem(eventKey(feed, old.get(0)), m.ticker());
        }
        if (old.get(1) != null && !old.get(1).equals(m.seriesTicker())) {
          tx.srem(seriesKey(feed, old.get(1)), m.ticker());
        }
        if (m.eventTicker() != null) {
          tx.sadd(eventKey(feed, m.eventTicker()), m.ticker());
          touched.add(eventKey(feed, m.eventTicker()));
        }
        if (m.seriesTicker() != null) {
          tx.sadd(seriesKey(feed, m.seriesTicker()), m.ticker());
          touched.add(seriesKey(feed, m.seriesTicker()));
        }
        if (OPEN.equals(m.state())) {
          tx.sadd(openKey(feed), m.ticker());
        } else {
          tx.srem(openKey(feed), m.ticker());
        }
        tx.sadd(indexKey(feed), m.ticker());
      }
      for (String set : touched) {
        tx.expire(set, ttl);
      }
      tx.expire(openKey(feed), ttl);
      tx.expire(indexKey(feed), ttl);
      tx.exec();
    }
  }

  /** The cached market, or empty if the cache does not hold it (not listed, expired, never loaded). */
  public Optional<MarketRecord> market(String feed, String ticker) {
    Map<String, String> h = jedis.hgetAll(marketKey(feed, ticker));
    return h.isEmpty() ? Optional.empty() : Optional.of(record(h));
  }

  /** Tickers of the event's markets, sorted. */
  public List<String> marketsOfEvent(String feed, String eventTicker) {
    return sorted(jedis.smembers(eventKey(feed, eventTicker)));
  }

  /** Tickers of the series' markets, sorted. */
  public List<String> marketsOfSeries(String feed, String seriesTicker) {
    return sorted(jedis.smembers(seriesKey(feed, seriesTicker)));
  }

  /** Tickers of the feed's markets in state {@code open}, sorted. */
  public List<String> openMarkets(String feed) {
    return sorted(jedis.smembers(openKey(feed)));
  }

  /** {@link #refreshFrom(Database, String, int)} asking for up to {@value #DEFAULT_REFRESH_LIMIT} markets. */
  public RefreshReport refreshFrom(Database db, String feed) throws SQLException {
    return refreshFrom(db, feed, DEFAULT_REFRESH_LIMIT);
  }

  /**
   * Loads every market the security master lists for {@code feed} into the cache and drops the
   * cached tickers it no longer lists; markets no longer open leave the open set.
   *
   * <p>{@link MarketQuery} has a limit but no offset or cursor, so the listing cannot be paged: a
   * result that fills {@code limit} may be truncated and is refused ({@link IllegalStateException})
   * rather than applied, since applying it would evict markets that are still open.
   */
  public RefreshReport refreshFrom(Database db, String feed, int limit) throws SQLException {
    Objects.requireNonNull(db, "db");
    List<MarketRecord> listed =
        new SecurityMaster(db, Clock.systemUTC()).list(new MarketQuery(feed, null, null, null, null, null, limit));
    if (listed.size() >= limit) {
      throw new IllegalStateException("security master lists at least " + limit + " " + feed
          + " markets, the query limit; refusing a possibly partial cache refresh (raise the limit, at most 100000)");
    }
    putMarkets(feed, listed);
    Set<String> listedTickers = new HashSet<>();
    Set<String> openTickers = new HashSet<>();
    for (MarketRecord m : listed) {
      listedTickers.add(m.ticker());
      if (OPEN.equals(m.state())) {
        openTickers.add(m.ticker());
      }
    }
    List<String> gone = new ArrayList<>();
    for (String ticker : jedis.smembers(indexKey(feed))) {
      if (!listedTickers.contains(ticker)) {
        gone.add(ticker);
      }
    }
    for (int from = 0; from < gone.size(); from += BATCH) {
      removeBatch(feed, gone.subList(from, Math.min(gone.size(), from + BATCH)));
    }
    // Belt and braces: an open member the index does not know (index expired or lost) still leaves.
    List<String> strayOpen = new ArrayList<>();
    for (String ticker : jedis.smembers(openKey(feed))) {
      if (!openTickers.contains(ticker)) {
        strayOpen.add(ticker);
      }
    }
    if (!strayOpen.isEmpty()) {
      jedis.srem(openKey(feed), strayOpen.toArray(String[]::new));
    }
    LOG.info("market cache {}: {} listed, {} open, {} removed", feed, listed.size(), openTickers.size(), gone.size());
    return new RefreshReport(listed.size(), openTickers.size(), gone.size());
  }

  private void removeBatch(String feed, List<String> tickers) {
    List<Response<List<String>>> parents = new ArrayList<>(tickers.size());
    try (PipelineBase p = jedis.pipelined()) {
      for (String t : tickers) {
        parents.add(p.hmget(marketKey(feed, t), "event_ticker", "series_ticker"));
      }
    }
    try (AbstractTransaction tx = jedis.multi()) {
      for (int i = 0; i < tickers.size(); i++) {
        String t = tickers.get(i);
        List<String> parent = parents.get(i).get();
        if (parent.get(0) != null) {
          tx.srem(eventKey(feed, parent.get(0)), t);
        }
        if (parent.get(1) != null) {
          tx.srem(seriesKey(feed, parent.get(1)), t);
        }
        tx.del(marketKey(feed, t));
        tx.srem(openKey(feed), t);
        tx.srem(indexKey(feed), t);
      }
      tx.exec();
    }
  }

  /** Stores the instrument's latest raw ticker frame; it expires after {@code ttl} unless replaced. */
  public void putLatest(String feed, String instrument, byte[] rawTickerFrame, Duration ttl) {
    Objects.requireNonNull(rawTickerFrame, "rawTickerFrame");
    if (ttl == null || ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be at least 1 ms, got " + ttl);
    }
    jedis.set(tickerKey(feed, instrument).getBytes(StandardCharsets.UTF_8), rawTickerFrame,
        SetParams.setParams().px(ttl.toMillis()));
  }

  /** The instrument's latest raw ticker frame, or empty if none arrived within its TTL. */
  public Optional<byte[]> latest(String feed, String instrument) {
    return Optional.ofNullable(jedis.get(tickerKey(feed, instrument).getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void close() {
    jedis.close();
  }

  private static Map<String, String> fields(MarketRecord m) {
    Map<String, String> f = new LinkedHashMap<>();
    put(f, "feed", m.feed());
    put(f, "ticker", m.ticker());
    put(f, "event_ticker", m.eventTicker());
    put(f, "series_ticker", m.seriesTicker());
    put(f, "category", m.category());
    put(f, "title", m.title());
    put(f, "event_title", m.eventTitle());
    put(f, "state", m.state());
    put(f, "venue_status", m.venueStatus());
    put(f, "open_time", m.openTime());
    put(f, "close_time", m.closeTime());
    put(f, "volume", m.volume());
    put(f, "fee_type", m.feeType());
    put(f, "fee_multiplier", m.feeMultiplier());
    put(f, "updated_at", m.updatedAt());
    put(f, "deleted_at", m.deletedAt());
    return f;
  }

  private static void put(Map<String, String> f, String name, Object value) {
    if (value instanceof BigDecimal d) {
      f.put(name, d.toPlainString());
    } else if (value != null) {
      f.put(name, value.toString());
    }
  }

  private static MarketRecord record(Map<String, String> h) {
    return new MarketRecord(h.get("feed"), h.get("ticker"), h.get("event_ticker"), h.get("series_ticker"),
        h.get("category"), h.get("title"), h.get("event_title"), h.get("state"), h.get("venue_status"),
        instant(h.get("open_time")), instant(h.get("close_time")), decimal(h.get("volume")), h.get("fee_type"),
        decimal(h.get("fee_multiplier")), instant(h.get("updated_at")), instant(h.get("deleted_at")));
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }

  private static BigDecimal decimal(String s) {
    return s == null ? null : new BigDecimal(s);
  }

  private static List<String> sorted(Set<String> members) {
    List<String> out = new ArrayList<>(members);
    out.sort(null);
    return out;
  }
}
