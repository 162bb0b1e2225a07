package io.ssmd.secmaster.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
 *       absent; attributes as {@code attr:{name}}, outcomes as one JSON array in {@code outcomes}).
 *   <li>{@code ssmd:{feed}:event:{eventTicker}}, {@code ssmd:{feed}:series:{seriesTicker}}: sets of
 *       market tickers.
 *   <li>{@code ssmd:{feed}:open}: set of tickers in state {@code open}.
 *   <li>{@code ssmd:{feed}:markets}: set of every cached ticker, so a refresh can find the ones the
 *       security master no longer lists.
 *   <li>{@code ssmd:{feed}:refreshed_at}: ISO-8601 instant of the last complete refresh (same TTL).
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
  /** Rows read from the security master per keyset page of a refresh. */
  public static final int DEFAULT_REFRESH_PAGE = 10_000;
  private static final String OPEN = "open";
  /** Hash-field prefix of {@link MarketRecord#attributes()}. */
  private static final String ATTRIBUTE = "attr:";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The attributes {@link SecurityMaster#list} also searches (Kraken altname and REST name, Polymarket slug). */
  private static final List<String> SEARCHED_ATTRIBUTES = List.of("altname", "rest_name", "slug");
  private static final TypeReference<List<MarketRecord.Outcome>> OUTCOMES = new TypeReference<>() {};

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

  static String refreshedKey(String feed) {
    return "ssmd:" + feed + ":refreshed_at";
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

  /** {@link #refreshFrom(Database, String, int)} reading {@value #DEFAULT_REFRESH_PAGE} markets per page. */
  public RefreshReport refreshFrom(Database db, String feed) throws SQLException {
    return refreshFrom(db, feed, DEFAULT_REFRESH_PAGE);
  }

  /**
   * Loads every market the security master lists for {@code feed} into the cache and drops the
   * cached tickers it no longer lists; markets no longer open leave the open set. The listing is
   * read in keyset pages of {@code pageSize} ({@link MarketQuery#after}), so any number of markets
   * is refreshed with one page in memory (plus the listed tickers, to find the delisted ones).
   * Finally marks the feed as refreshed ({@link #refreshedAt}), which is what readers check before
   * trusting the cache over PostgreSQL.
   */
  public RefreshReport refreshFrom(Database db, String feed, int pageSize) throws SQLException {
    Objects.requireNonNull(db, "db");
    if (pageSize < 1 || pageSize > 100_000) {
      throw new IllegalArgumentException("pageSize must be 1..100000, got " + pageSize);
    }
    SecurityMaster sm = new SecurityMaster(db, Clock.systemUTC());
    MarketQuery all = new MarketQuery(feed, null, null, null, null, null, pageSize);
    Set<String> listedTickers = new HashSet<>();
    Set<String> openTickers = new HashSet<>();
    String after = "";
    while (true) {
      List<MarketRecord> page = sm.list(all.after(after));
      putMarkets(feed, page);
      for (MarketRecord m : page) {
        listedTickers.add(m.ticker());
        if (OPEN.equals(m.state())) {
          openTickers.add(m.ticker());
        }
      }
      if (page.size() < pageSize) {
        break;
      }
      after = page.getLast().ticker();
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
    jedis.set(refreshedKey(feed), Instant.now().toString(), SetParams.setParams().ex(hierarchyTtl.toSeconds()));
    LOG.info("market cache {}: {} listed, {} open, {} removed", feed, listedTickers.size(), openTickers.size(), gone.size());
    return new RefreshReport(listedTickers.size(), openTickers.size(), gone.size());
  }

  /**
   * When the feed's markets were last fully refreshed, or empty if never (or the marker expired
   * with the hierarchy): only a refreshed cache holds the complete listing and may answer {@link
   * #list} instead of PostgreSQL.
   */
  public Optional<Instant> refreshedAt(String feed) {
    String at = jedis.get(refreshedKey(feed));
    return at == null ? Optional.empty() : Optional.of(Instant.parse(at));
  }

  /**
   * Answers a {@link MarketQuery} from the cache, with the semantics of {@link SecurityMaster#list}
   * (same filters, same orders, keyset paging in ticker order). Reads the candidate set (the
   * series' set, the open set, or every cached market) and filters the hashes here, so it is meant
   * for a cache that {@link #refreshedAt} says is complete.
   *
   * @param now the instant {@code closingWithin} counts from
   */
  public List<MarketRecord> list(MarketQuery q, Instant now) {
    Objects.requireNonNull(q, "query");
    Set<String> candidates = q.series() != null ? jedis.smembers(seriesKey(q.feed(), q.series()))
        : OPEN.equalsIgnoreCase(q.state()) ? jedis.smembers(openKey(q.feed()))
        : jedis.smembers(indexKey(q.feed()));
    String search = q.search() == null ? null : q.search().toLowerCase(Locale.ROOT);
    Instant until = q.closingWithin() == null ? null : now.plus(q.closingWithin());
    List<String> tickers = new ArrayList<>(candidates);
    List<MarketRecord> out = new ArrayList<>();
    for (int from = 0; from < tickers.size(); from += BATCH) {
      List<String> batch = tickers.subList(from, Math.min(tickers.size(), from + BATCH));
      List<Response<Map<String, String>>> hashes = new ArrayList<>(batch.size());
      try (PipelineBase p = jedis.pipelined()) {
        for (String t : batch) {
          hashes.add(p.hgetAll(marketKey(q.feed(), t)));
        }
      }
      for (Response<Map<String, String>> h : hashes) {
        Map<String, String> fields = h.get();
        if (fields.isEmpty()) {
          continue;
        }
        MarketRecord m = record(fields);
        if (matches(m, q, search, now, until)) {
          out.add(m);
        }
      }
    }
    Comparator<MarketRecord> byTicker = Comparator.comparing(MarketRecord::ticker);
    out.sort(q.after() != null ? byTicker
        : Comparator.comparing(MarketRecord::closeTime, Comparator.nullsLast(Comparator.naturalOrder())).thenComparing(byTicker));
    return out.size() > q.limit() ? List.copyOf(out.subList(0, q.limit())) : out;
  }

  private static boolean matches(MarketRecord m, MarketQuery q, String search, Instant now, Instant until) {
    if (q.state() != null && !q.state().equalsIgnoreCase(m.state())) {
      return false;
    }
    if (q.category() != null && !q.category().equalsIgnoreCase(m.category())) {
      return false;
    }
    if (q.series() != null && !q.series().equals(m.seriesTicker())) {
      return false;
    }
    if (search != null && !contains(m.ticker(), search) && !contains(m.title(), search) && !contains(m.eventTitle(), search)
        && SEARCHED_ATTRIBUTES.stream().noneMatch(a -> contains(m.attributes().get(a), search))) {
      return false;
    }
    if (until != null && (m.closeTime() == null || m.closeTime().isBefore(now) || m.closeTime().isAfter(until))) {
      return false;
    }
    return q.after() == null || m.ticker().compareTo(q.after()) > 0;
  }

  private static boolean contains(String value, String lowerNeedle) {
    return value != null && value.toLowerCase(Locale.ROOT).contains(lowerNeedle);
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
    m.attributes().forEach((k, v) -> f.put(ATTRIBUTE + k, v));
    if (!m.outcomes().isEmpty()) {
      try {
        f.put("outcomes", JSON.writeValueAsString(m.outcomes()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("outcomes of " + m.ticker() + " are not serialisable", e);
      }
    }
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
    Map<String, String> attributes = new LinkedHashMap<>();
    h.forEach((k, v) -> {
      if (k.startsWith(ATTRIBUTE)) {
        attributes.put(k.substring(ATTRIBUTE.length()), v);
      }
    });
    List<MarketRecord.Outcome> outcomes = List.of();
    if (h.containsKey("outcomes")) {
      try {
        outcomes = JSON.readValue(h.get("outcomes"), OUTCOMES);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cached outcomes of " + h.get("ticker") + " are not valid JSON: " + e.getOriginalMessage(), e);
      }
    }
    return new MarketRecord(h.get("feed"), h.get("ticker"), h.get("event_ticker"), h.get("series_ticker"),
        h.get("category"), h.get("title"), h.get("event_title"), h.get("state"), h.get("venue_status"),
        instant(h.get("open_time")), instant(h.get("close_time")), decimal(h.get("volume")), h.get("fee_type"),
        decimal(h.get("fee_multiplier")), instant(h.get("updated_at")), instant(h.get("deleted_at")), attributes, outcomes);
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
