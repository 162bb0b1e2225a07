package io.ssmd.gateway;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ssmd.secmaster.MarketQuery;
import io.ssmd.secmaster.MarketRecord;
import io.ssmd.secmaster.SecurityMaster;
import io.ssmd.transport.Subjects;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST beside the WebSocket, behind the same API keys: {@code GET /v1/markets} (security master)
 * and {@code GET /v1/snap/{feed}/{ticker}} (latest values in memory). Errors are JSON
 * {@code {"error":{"code","message"}}}.
 */
final class RestHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(RestHandler.class);
  private static final int DEFAULT_LIMIT = 100;
  /** {@code feed=all}: every feed the security master keeps that the key may read. */
  static final String ALL_FEEDS = "all";

  private final Gateway gateway;
  private final Optional<MarketSource> markets;

  RestHandler(Gateway gateway, Optional<MarketSource> markets) {
    this.gateway = gateway;
    this.markets = markets;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (!path.startsWith("/v1/")) {
      return error(response, callback, 404, "not_found", "no such endpoint: " + path + " (WebSocket: " + Gateway.WS_PATH
          + ", REST: /v1/markets, /v1/snap/{feed}/{ticker})");
    }
    if (!HttpMethod.GET.is(request.getMethod())) {
      return error(response, callback, 405, "method_not_allowed", "only GET is served");
    }
    AuthResult auth = gateway.keys().authenticate(Gateway.presentedKey(request.getHeaders()));
    if (auth instanceof AuthResult.Refused r) {
      gateway.metrics().authFailures.labelValues(r.reason()).inc();
      return error(response, callback, r.reason().equals(GatewayMetrics.Reasons.REVOKED) ? 403 : 401, "unauthorized", r.message());
    }
    ApiKey key = ((AuthResult.Accepted) auth).key();
    try {
      if (path.equals("/v1/markets")) {
        return markets(request, response, callback, key);
      }
      if (path.startsWith("/v1/snap/")) {
        return snap(path.substring("/v1/snap/".length()), response, callback, key);
      }
      return error(response, callback, 404, "not_found", "no such endpoint: " + path + " (/v1/markets, /v1/snap/{feed}/{ticker})");
    } catch (Exception e) {
      LOG.atWarn().setCause(e).log("REST {} failed", path);
      return error(response, callback, 500, "internal", e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private boolean snap(String rest, Response response, Callback callback, ApiKey key) {
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      return error(response, callback, 400, "bad_request", "use /v1/snap/{feed}/{ticker}, e.g. /v1/snap/kraken/BTC-USD");
    }
    String feed = rest.substring(0, slash);
    // the ticker is the subject token (BTC-USD); other characters are sanitised the same way as in subjects
    String symbol = Subjects.sanitize(java.net.URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8));
    if (!gateway.hub().feeds().contains(feed)) {
      return error(response, callback, 404, "unknown_feed", "feed '" + feed + "' is not served here (served: " + gateway.feeds() + ")");
    }
    if (!key.allows(feed)) {
      return error(response, callback, 403, "forbidden_feed", "API key '" + key.name() + "' may not read feed '" + feed + "'");
    }
    String body = gateway.hub().snap(feed, symbol);
    if (body == null) {
      return error(response, callback, 404, "unknown_symbol", "no latest values for " + feed + ":" + symbol + " since the gateway started");
    }
    return reply(response, callback, 200, body);
  }

  private boolean markets(Request request, Response response, Callback callback, ApiKey key) throws Exception {
    if (markets.isEmpty()) {
      return error(response, callback, 503, "no_security_master",
          "no security master configured: set DATABASE_URL (or the environment's cache.url for Redis) and restart the gateway");
    }
    Fields q = Request.extractQueryParameters(request);
    // kalshi by default, as before the other feeds were kept: existing clients see the same answer
    String feedParam = value(q, "feed", SecurityMaster.FEEDS.getFirst());
    List<String> feeds = new ArrayList<>();
    if (feedParam.equals(ALL_FEEDS)) {
      SecurityMaster.FEEDS.stream().filter(key::allows).forEach(feeds::add);
      if (feeds.isEmpty()) {
        return error(response, callback, 403, "forbidden_feed", "API key '" + key.name() + "' may read none of the feeds "
            + SecurityMaster.FEEDS);
      }
    } else {
      for (String f : feedParam.split(",")) {
        String feed = f.trim();
        if (!SecurityMaster.FEEDS.contains(feed)) {
          return error(response, callback, 400, "bad_request", "unknown feed '" + feed + "': use feed=" + String.join("|", SecurityMaster.FEEDS)
              + " (comma-separated for several) or feed=" + ALL_FEEDS);
        }
        if (!key.allows(feed)) {
          return error(response, callback, 403, "forbidden_feed", "API key '" + key.name() + "' may not read feed '" + feed + "'");
        }
        if (!feeds.contains(feed)) {
          feeds.add(feed);
        }
      }
    }
    int limit;
    List<MarketQuery> queries = new ArrayList<>();
    try {
      limit = Integer.parseInt(value(q, "limit", String.valueOf(DEFAULT_LIMIT)));
      for (String feed : feeds) {
        queries.add(new MarketQuery(feed, q.getValue("status"), q.getValue("category"), q.getValue("series"), q.getValue("search"), null,
            limit));
      }
    } catch (IllegalArgumentException e) {
      return error(response, callback, 400, "bad_request", "bad query: " + e.getMessage() + " (status, series, category, search, limit 1..100000)");
    }
    if (queries.size() > 1) {
      // over several feeds a filter only some feeds have data for (series, category: Kalshi) narrows
      // the answer to those feeds; asked of one feed, the same filter is an error that names it
      List<MarketQuery> applicable = new ArrayList<>();
      for (MarketQuery mq : queries) {
        try {
          SecurityMaster.validate(mq);
          applicable.add(mq);
        } catch (IllegalArgumentException e) {
          LOG.atDebug().log("markets: {}", e.getMessage());
        }
      }
      if (applicable.isEmpty()) {
        return error(response, callback, 400, "bad_request", "no feed of " + feeds + " has data for these filters");
      }
      queries = applicable;
    }
    List<MarketRecord> rows = new ArrayList<>();
    try {
      // feeds in order, each asked only for what the limit still allows
      for (MarketQuery mq : queries) {
        if (rows.size() >= limit) {
          break;
        }
        rows.addAll(markets.get().list(mq.withLimit(limit - rows.size())));
      }
    } catch (IllegalArgumentException e) {
      return error(response, callback, 400, "bad_request", e.getMessage());
    }
    MarketSource source = markets.get();
    List<String> asked = queries.stream().map(MarketQuery::feed).toList();
    String body = Messages.json(g -> {
      g.writeStringField("source", source.name());
      g.writeArrayFieldStart("feeds");
      for (String f : asked) {
        g.writeString(f);
      }
      g.writeEndArray();
      g.writeNumberField("count", rows.size());
      g.writeArrayFieldStart("markets");
      for (MarketRecord m : rows) {
        market(g, m);
      }
      g.writeEndArray();
    });
    return reply(response, callback, 200, body);
  }

  private static void market(JsonGenerator g, MarketRecord m) throws IOException {
    g.writeStartObject();
    g.writeStringField("feed", m.feed());
    g.writeStringField("ticker", m.ticker());
    g.writeStringField("event_ticker", m.eventTicker());
    g.writeStringField("series_ticker", m.seriesTicker());
    g.writeStringField("category", m.category());
    g.writeStringField("title", m.title());
    g.writeStringField("event_title", m.eventTitle());
    g.writeStringField("status", m.state());
    g.writeStringField("venue_status", m.venueStatus());
    instant(g, "open_time", m.openTime());
    instant(g, "close_time", m.closeTime());
    decimal(g, "volume", m.volume());
    g.writeStringField("fee_type", m.feeType());
    decimal(g, "fee_multiplier", m.feeMultiplier());
    instant(g, "updated_at", m.updatedAt());
    if (!m.attributes().isEmpty()) {
      g.writeObjectFieldStart("attributes");
      for (var a : m.attributes().entrySet()) {
        g.writeStringField(a.getKey(), a.getValue());
      }
      g.writeEndObject();
    }
    if (!m.outcomes().isEmpty()) {
      g.writeArrayFieldStart("outcomes");
      for (MarketRecord.Outcome o : m.outcomes()) {
        g.writeStartObject();
        g.writeStringField("token_id", o.tokenId());
        g.writeStringField("outcome", o.outcome());
        g.writeNumberField("index", o.index());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void instant(JsonGenerator g, String f, Instant v) throws IOException {
    g.writeStringField(f, v == null ? null : v.toString());
  }

  private static void decimal(JsonGenerator g, String f, BigDecimal v) throws IOException {
    g.writeStringField(f, v == null ? null : v.toPlainString());
  }

  private static String value(Fields q, String name, String dflt) {
    String v = q.getValue(name);
    return v == null || v.isBlank() ? dflt : v;
  }

  static boolean error(Response response, Callback callback, int status, String code, String message) {
    return reply(response, callback, status, Messages.json(g -> {
      g.writeObjectFieldStart("error");
      g.writeStringField("code", code);
      g.writeStringField("message", message);
      g.writeEndObject();
    }));
  }

  static boolean reply(Response response, Callback callback, int status, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
