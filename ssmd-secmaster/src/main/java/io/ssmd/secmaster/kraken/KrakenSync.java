package io.ssmd.secmaster.kraken;

import io.ssmd.secmaster.ChangeEventWriter;
import io.ssmd.secmaster.VenueHttp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads Kraken spot pairs into {@code kraken_pairs} from REST {@code GET /0/public/AssetPairs},
 * optionally overlaid with pairs from the WS v2 {@code instrument} channel (better v2 symbols and
 * precisions). One transaction: rows are upserted so that {@code updated_at} moves only when a
 * tracked column changed, pairs the venue no longer lists are soft-deleted, and added / changed /
 * removed change events go to the outbox in the same commit.
 */
public final class KrakenSync {

  private static final Logger log = LoggerFactory.getLogger(KrakenSync.class);

  /**
   * Request pacing and retry policy.
   *
   * @param minRequestInterval the least time between two requests (Kraken public: about 1/s)
   * @param maxConsecutiveErrors failures in a row after which the sync fails
   * @param initialBackoff first retry delay, doubled per consecutive failure
   * @param maxBackoff retry delay cap; a longer Retry-After is replaced by it
   * @param requestTimeout connect and response timeout per request
   */
  public record Options(
      Duration minRequestInterval, int maxConsecutiveErrors, Duration initialBackoff, Duration maxBackoff, Duration requestTimeout) {
    public Options {
      Objects.requireNonNull(minRequestInterval, "minRequestInterval");
      Objects.requireNonNull(initialBackoff, "initialBackoff");
      Objects.requireNonNull(maxBackoff, "maxBackoff");
      Objects.requireNonNull(requestTimeout, "requestTimeout");
      if (maxConsecutiveErrors < 1) {
        throw new IllegalArgumentException("maxConsecutiveErrors must be >= 1, got " + maxConsecutiveErrors);
      }
      if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff, got " + initialBackoff + " and " + maxBackoff);
      }
    }

    public static Options defaults() {
      return new Options(Duration.ofSeconds(1), 5, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(30));
    }
  }

  /** Tracked columns after the key, in insert order; margin_fees is jsonb. */
  private static final List<String> COLUMNS = List.of(
      "rest_name", "wsname", "altname", "base", "quote", "aclass_base", "aclass_quote", "price_precision",
      "qty_precision", "cost_precision", "lot_multiplier", "price_increment", "qty_increment", "ordermin",
      "costmin", "tick_size", "status", "marginable", "margin_fees");

  private static final List<String> MARGIN_FEE_FIELDS = List.of(
      "leverage_buy", "leverage_sell", "fees", "fees_maker", "fee_volume_currency", "margin_call", "margin_stop",
      "long_position_limit", "short_position_limit");

  static final String UPSERT = upsertSql();

  private final DataSource db;
  private final URI restBase;
  private final Options options;

  /**
   * @param restBase e.g. {@code https://api.kraken.com} or the sim's {@code http://127.0.0.1:port}
   */
  public KrakenSync(DataSource db, URI restBase, Options options) {
    this.db = Objects.requireNonNull(db, "db");
    this.restBase = Objects.requireNonNull(restBase, "restBase");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Syncs from REST alone. */
  public KrakenSyncReport sync() throws KrakenSyncException, InterruptedException {
    return sync(List.of());
  }

  /** Syncs from REST, overlaying (or adding) the given {@code instrument} channel pairs by v2 symbol. */
  public KrakenSyncReport sync(List<KrakenInstrumentPair> instrumentPairs) throws KrakenSyncException, InterruptedException {
    long start = System.nanoTime();
    VenueHttp<KrakenSyncException> http = new VenueHttp<>(new VenueHttp.Settings(options.minRequestInterval(),
        options.maxConsecutiveErrors(), options.initialBackoff(), options.maxBackoff(), options.requestTimeout()), KrakenSyncException::new);
    JsonNode body = http.getJson(restBase.resolve("/0/public/AssetPairs"), KrakenSync::transientError);
    JsonNode errors = body.path("error");
    if (errors.isArray() && !errors.isEmpty()) {
      throw new KrakenSyncException("AssetPairs returned errors " + errors);
    }
    JsonNode result = body.path("result");
    if (!result.isObject()) {
      throw new KrakenSyncException("AssetPairs response has no result object: " + abbreviate(body.toString()));
    }

    List<KrakenSyncReport.Rejected> rejected = new ArrayList<>();
    Map<String, Row> rows = new LinkedHashMap<>();
    List<String> seenRestNames = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = result.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      // a rejected pair is still listed by the venue: keep its row rather than soft-delete it
      seenRestNames.add(e.getKey());
      try {
        Row row = Row.fromAssetPair(e.getKey(), e.getValue());
        rows.put(row.symbol(), row);
      } catch (RuntimeException ex) {
        rejected.add(new KrakenSyncReport.Rejected(e.getKey(), ex.getMessage()));
        log.warn("Kraken pair {} rejected: {}", e.getKey(), ex.getMessage());
      }
    }
    for (KrakenInstrumentPair p : instrumentPairs) {
      rows.merge(p.symbol(), Row.fromInstrument(p), (rest, ws) -> rest.overlay(p));
    }

    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        KrakenSyncReport report = write(c, rows, seenRestNames, rejected, http, start);
        c.commit();
        log.info("Kraken sync: {} inserted, {} updated, {} unchanged, {} soft-deleted, {} rejected in {} ms",
            report.pairs().inserted(), report.pairs().updated(), report.pairs().unchanged(), report.pairs().softDeleted(),
            rejected.size(), report.elapsed().toMillis());
        return report;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new KrakenSyncException("writing kraken_pairs failed: " + e.getMessage(), e);
    }
  }

  private KrakenSyncReport write(Connection c, Map<String, Row> rows, List<String> seenRestNames,
      List<KrakenSyncReport.Rejected> rejected, VenueHttp<KrakenSyncException> http, long start) throws SQLException {
    ChangeEventWriter outbox = new ChangeEventWriter();
    int inserted = 0;
    int updated = 0;
    int unchanged = 0;
    try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
      for (Row row : rows.values()) {
        row.bind(ps);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            unchanged++;
          } else if (rs.getBoolean(1)) {
            inserted++;
            outbox.record(c, "kraken", "pair", row.symbol(), "ADDED", row.eventJson());
          } else {
            updated++;
            outbox.record(c, "kraken", "pair", row.symbol(), "CHANGED", row.eventJson());
          }
        }
      }
    }
    int softDeleted = 0;
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE kraken_pairs SET deleted_at = now(), updated_at = now() WHERE deleted_at IS NULL "
            + "AND NOT (symbol = ANY (?) OR coalesce(rest_name, '') = ANY (?)) RETURNING symbol")) {
      ps.setArray(1, c.createArrayOf("text", rows.keySet().toArray()));
      ps.setArray(2, c.createArrayOf("text", seenRestNames.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          softDeleted++;
          String symbol = rs.getString(1);
          ObjectNode payload = VenueHttp.JSON.createObjectNode().put("symbol", symbol).put("reason", "delisted");
          outbox.record(c, "kraken", "pair", symbol, "REMOVED", payload);
        }
      }
    }
    return new KrakenSyncReport(new KrakenSyncReport.Counts(inserted, updated, unchanged, softDeleted), rejected,
        http.requests(), http.retries(), outbox.written(), Duration.ofNanos(System.nanoTime() - start));
  }

  private static String upsertSql() {
    String cols = String.join(", ", COLUMNS);
    String params = String.join(", ", COLUMNS.stream().map(col -> col.equals("margin_fees") ? "?::jsonb" : "?").toList());
    String set = String.join(", ", COLUMNS.stream().map(col -> col + " = EXCLUDED." + col).toList());
    String old = String.join(", ", COLUMNS.stream().map(col -> "t." + col).toList());
    String neu = String.join(", ", COLUMNS.stream().map(col -> "EXCLUDED." + col).toList());
    // xmax = 0 only on a freshly inserted tuple; no row at all means the WHERE found nothing to change
    return "INSERT INTO kraken_pairs AS t (symbol, " + cols + ") VALUES (?, " + params + ") "
        + "ON CONFLICT (symbol) DO UPDATE SET " + set + ", updated_at = now(), deleted_at = NULL "
        + "WHERE (" + old + ", t.deleted_at IS NULL) IS DISTINCT FROM (" + neu + ", true) "
        + "RETURNING (xmax = 0) AS inserted";
  }

  /** Kraken answers rate limits and outages with HTTP 200 and an error list; those are worth a retry. */
  static String transientError(JsonNode body) {
    for (JsonNode e : body.path("error")) {
      String code = e.asText();
      if (code.startsWith("EAPI:Rate limit") || code.startsWith("EService:")) {
        return code;
      }
    }
    return null;
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  /** One kraken_pairs row. */
  record Row(
      String symbol, String restName, String wsname, String altname, String base, String quote, String aclassBase,
      String aclassQuote, Integer pricePrecision, Integer qtyPrecision, Integer costPrecision, Integer lotMultiplier,
      BigDecimal priceIncrement, BigDecimal qtyIncrement, BigDecimal ordermin, BigDecimal costmin, BigDecimal tickSize,
      String status, Boolean marginable, String marginFees) {

    static Row fromAssetPair(String key, JsonNode p) {
      if (!p.isObject()) {
        throw new IllegalArgumentException("pair is not an object: " + abbreviate(p.toString()));
      }
      String wsname = KrakenInstrumentPair.text(p, "wsname");
      if (wsname == null) {
        throw new IllegalArgumentException("missing wsname");
      }
      String status = KrakenInstrumentPair.text(p, "status");
      if (status == null) {
        throw new IllegalArgumentException("missing status");
      }
      String symbol = KrakenSymbols.v2Symbol(wsname);
      int slash = symbol.indexOf('/');
      Integer pairDecimals = KrakenInstrumentPair.integer(p, "pair_decimals");
      Integer lotDecimals = KrakenInstrumentPair.integer(p, "lot_decimals");
      BigDecimal tick = KrakenInstrumentPair.decimal(p, "tick_size");
      ObjectNode fees = VenueHttp.JSON.createObjectNode();
      for (String f : MARGIN_FEE_FIELDS) {
        if (p.has(f)) {
          fees.set(f, p.get(f));
        }
      }
      JsonNode leverageBuy = p.path("leverage_buy");
      return new Row(symbol, key, wsname, KrakenInstrumentPair.text(p, "altname"), symbol.substring(0, slash),
          symbol.substring(slash + 1), KrakenInstrumentPair.text(p, "aclass_base"), KrakenInstrumentPair.text(p, "aclass_quote"),
          pairDecimals, lotDecimals, KrakenInstrumentPair.integer(p, "cost_decimals"),
          KrakenInstrumentPair.integer(p, "lot_multiplier"),
          tick != null ? tick : pairDecimals == null ? null : BigDecimal.ONE.movePointLeft(pairDecimals),
          lotDecimals == null ? null : BigDecimal.ONE.movePointLeft(lotDecimals),
          KrakenInstrumentPair.decimal(p, "ordermin"), KrakenInstrumentPair.decimal(p, "costmin"), tick, status,
          leverageBuy.isArray() ? !leverageBuy.isEmpty() : null, fees.toString());
    }

    static Row fromInstrument(KrakenInstrumentPair p) {
      return new Row(p.symbol(), null, null, null, p.base(), p.quote(), null, null, p.pricePrecision(), p.qtyPrecision(),
          p.costPrecision(), null, p.priceIncrement(), p.qtyIncrement(), p.qtyMin(), p.costMin(), p.tickSize(), p.status(),
          p.marginable(), "{}");
    }

    /** REST names and fees stay; the instrument channel's v2 precisions and rules win where it has them. */
    Row overlay(KrakenInstrumentPair p) {
      return new Row(symbol, restName, wsname, altname, p.base(), p.quote(), aclassBase, aclassQuote,
          or(p.pricePrecision(), pricePrecision), or(p.qtyPrecision(), qtyPrecision), or(p.costPrecision(), costPrecision),
          lotMultiplier, or(p.priceIncrement(), priceIncrement), or(p.qtyIncrement(), qtyIncrement), or(p.qtyMin(), ordermin),
          or(p.costMin(), costmin), or(p.tickSize(), tickSize), p.status(), or(p.marginable(), marginable), marginFees);
    }

    private static <T> T or(T preferred, T fallback) {
      return preferred != null ? preferred : fallback;
    }

    void bind(PreparedStatement ps) throws SQLException {
      Object[] values = {symbol, restName, wsname, altname, base, quote, aclassBase, aclassQuote, pricePrecision,
          qtyPrecision, costPrecision, lotMultiplier, priceIncrement, qtyIncrement, ordermin, costmin, tickSize, status,
          marginable, marginFees};
      for (int i = 0; i < values.length; i++) {
        ps.setObject(i + 1, values[i]);
      }
    }

    ObjectNode eventJson() {
      return VenueHttp.JSON.createObjectNode().put("symbol", symbol).put("wsname", wsname).put("status", status);
    }
  }
}
