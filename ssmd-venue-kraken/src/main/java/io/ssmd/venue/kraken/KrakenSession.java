package io.ssmd.venue.kraken;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmd.connector.Routed;
import io.ssmd.connector.SessionContext;
import io.ssmd.connector.VenueSession;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kraken Spot WebSocket v2 protocol on one connection.
 *
 * <p>Routing (DESIGN §3): {@code channel} trade / ticker / book → trade / ticker / orderbook with
 * ticker {@code data[0].symbol}, the raw frame published unchanged; {@code heartbeat},
 * {@code status}, {@code instrument}, {@code pong} and method acks are control traffic; a
 * {@code success:false} reply is a venue error. Only the fields needed for routing and integrity
 * are read, so a change in the other fields never stops the feed.
 *
 * <p>Integrity, online: each subscribed pair's book is rebuilt from its snapshot and updates and
 * its CRC32 compared with the venue's {@code checksum}; a mismatch resubscribes that pair's book
 * only (at most once per {@link KrakenVenueOptions#resyncMinInterval()}). {@code trade_id} is a
 * per-pair sequence, so a jump is reported as a gap.
 *
 * <p>Called from the connection's reader thread only, so there is no locking.
 */
public final class KrakenSession implements VenueSession {
  private static final Logger LOG = LoggerFactory.getLogger(KrakenSession.class);
  /** Kraken sends prices and quantities as JSON floats: BigDecimal keeps every digit for the checksum. */
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private record Precision(int price, int qty) {}

  private final KrakenVenueOptions options;
  private final SessionContext ctx;
  private final long resyncMinNanos;
  private long reqId;
  private boolean instrumentRequested;
  private final Map<String, Precision> precisions = new HashMap<>();
  private final Set<String> markets = new LinkedHashSet<>();
  /** Books by symbol; absent until the snapshot arrives (and again while a resync is in flight). */
  private final Map<String, KrakenBook> books = new HashMap<>();
  private final Map<String, Long> lastTradeId = new HashMap<>();
  private final Map<String, Long> lastResyncNanos = new HashMap<>();

  private long checksumsVerified;
  private long checksumMismatches;
  private long checksumUnverified;
  private long resyncs;
  private long resyncsSuppressed;
  private long tradeGaps;

  public KrakenSession(KrakenVenueOptions options, SessionContext ctx) {
    this.options = Objects.requireNonNull(options, "options");
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.resyncMinNanos = options.resyncMinInterval().toNanos();
  }

  /** This connection's integrity counters. */
  public IntegrityStats integrity() {
    return new IntegrityStats(checksumsVerified, checksumMismatches, checksumUnverified, resyncs, resyncsSuppressed, tradeGaps);
  }

  // ------------------------------------------------------------------ commands

  @Override
  public void subscribe(List<String> symbols) {
    if (!instrumentRequested) {
      // pair precisions come from the instrument channel; the checksum cannot be verified without them
      instrumentRequested = true;
      ObjectNode req = JSON.createObjectNode();
      req.put("method", "subscribe");
      req.putObject("params").put("channel", "instrument").put("snapshot", true);
      req.put("req_id", ++reqId);
      ctx.send(req.toString());
    }
    for (String s : symbols) {
      markets.add(s);
      books.remove(s);
      lastTradeId.remove(s);
    }
    for (String channel : options.channels()) {
      for (List<String> batch : KrakenVenueOptions.batches(symbols, options.symbolsPerRequest())) {
        ctx.send(request("subscribe", channel, batch));
      }
    }
  }

  @Override
  public void unsubscribe(List<String> symbols) {
    for (String s : symbols) {
      markets.remove(s);
      books.remove(s);
      lastTradeId.remove(s);
      lastResyncNanos.remove(s);
    }
    for (String channel : options.channels()) {
      for (List<String> batch : KrakenVenueOptions.batches(symbols, options.symbolsPerRequest())) {
        ctx.send(request("unsubscribe", channel, batch));
      }
    }
  }

  private String request(String method, String channel, List<String> symbols) {
    ObjectNode req = JSON.createObjectNode();
    req.put("method", method);
    ObjectNode params = req.putObject("params");
    params.put("channel", channel);
    ArrayNode arr = params.putArray("symbol");
    symbols.forEach(arr::add);
    if (channel.equals("book")) {
      params.put("depth", options.bookDepth());
      if (method.equals("subscribe")) {
        params.put("snapshot", true);
      }
    } else if (channel.equals("trade") && method.equals("subscribe")) {
      params.put("snapshot", options.tradeSnapshot());
    }
    req.put("req_id", ++reqId);
    return req.toString();
  }

  // ------------------------------------------------------------------ routing

  @Override
  public List<Routed> onFrame(byte[] frame) {
    JsonNode root;
    try {
      root = JSON.readTree(frame);
    } catch (IOException | RuntimeException e) {
      return Routed.rejected("malformed", "not JSON: " + e.getClass().getSimpleName());
    }
    if (root == null || root.isMissingNode() || !root.isObject()) {
      return Routed.rejected(root == null || root.isMissingNode() ? "malformed" : "unknown_type", "not a JSON object");
    }
    JsonNode channel = root.get("channel");
    if (channel != null && channel.isTextual()) {
      return switch (channel.asText()) {
        case "trade" -> data("trade", root, frame);
        case "ticker" -> data("ticker", root, frame);
        case "book" -> data("orderbook", root, frame);
        case "heartbeat" -> Routed.control("heartbeat");
        case "status" -> status(root);
        case "instrument" -> instrument(root);
        default -> Routed.rejected("unknown_type", "channel " + abbreviate(channel.asText()));
      };
    }
    JsonNode success = root.get("success");
    if ((success != null && success.isBoolean() && !success.asBoolean()) || root.has("error")) {
      String method = root.path("method").asText("unknown");
      String detail = root.path("error").asText("") + (root.hasNonNull("symbol") ? " (" + root.get("symbol").asText() + ")" : "");
      ctx.venueError(method, detail);
      return Routed.rejected("venue_error", method + ": " + detail);
    }
    JsonNode method = root.get("method");
    if (method != null && method.isTextual()) {
      return method.asText().equals("pong") ? List.of(Routed.PONG) : Routed.control("ack");
    }
    return Routed.rejected("unknown_type", "neither channel nor method");
  }

  private List<Routed> data(String type, JsonNode root, byte[] frame) {
    JsonNode data = root.get("data");
    JsonNode first = data != null && data.isArray() && !data.isEmpty() ? data.get(0) : null;
    JsonNode symbol = first == null ? null : first.get("symbol");
    if (symbol == null || !symbol.isTextual() || symbol.asText().isEmpty()) {
      return Routed.rejected("unroutable", type + " message without data[0].symbol");
    }
    String s = symbol.asText();
    try {
      if (type.equals("orderbook")) {
        book(s, root.path("type").asText(""), first);
      } else if (type.equals("trade")) {
        trades(s, root.path("type").asText(""), data);
      }
    } catch (RuntimeException e) {
      // integrity is best effort: the frame is published whatever happens here
      LOG.warn("kraken: integrity check failed on {} {}: {}", type, s, e.toString());
    }
    return Routed.publish(type, s, frame);
  }

  private List<Routed> status(JsonNode root) {
    String system = root.path("data").path(0).path("system").asText("");
    if (!system.isEmpty() && !system.equals("online")) {
      LOG.warn("kraken: engine status {}", system);
    }
    return Routed.control("status");
  }

  private List<Routed> instrument(JsonNode root) {
    for (JsonNode p : root.path("data").path("pairs")) {
      JsonNode symbol = p.get("symbol");
      JsonNode pp = p.get("price_precision");
      JsonNode qp = p.get("qty_precision");
      if (symbol != null && symbol.isTextual() && pp != null && pp.canConvertToInt() && qp != null && qp.canConvertToInt()) {
        precisions.put(symbol.asText(), new Precision(pp.asInt(), qp.asInt()));
      }
    }
    return Routed.control("instrument");
  }

  // ------------------------------------------------------------------ integrity

  private void book(String symbol, String type, JsonNode data) {
    if (!markets.contains(symbol)) {
      return; // a late message after unsubscribe: nothing to keep
    }
    KrakenBook book;
    if (type.equals("snapshot")) {
      book = new KrakenBook(options.bookDepth());
      books.put(symbol, book);
    } else {
      book = books.get(symbol);
      if (book == null) {
        checksumUnverified++;
        return;
      }
    }
    book.apply(data);
    JsonNode checksum = data.get("checksum");
    Precision p = precisions.get(symbol);
    if (checksum == null || !checksum.canConvertToLong() || p == null) {
      checksumUnverified++;
      return;
    }
    long expected = checksum.asLong() & 0xFFFFFFFFL;
    long actual = book.checksum(p.price(), p.qty());
    if (expected == actual) {
      checksumsVerified++;
      return;
    }
    checksumMismatches++;
    long now = ctx.nanoTime();
    Long last = lastResyncNanos.get(symbol);
    if (last != null && now - last < resyncMinNanos) {
      resyncsSuppressed++;
      LOG.debug("kraken: checksum mismatch on {} (expected {}, computed {}), resynced recently", symbol, expected, actual);
      return;
    }
    lastResyncNanos.put(symbol, now);
    resyncs++;
    LOG.warn("kraken: checksum mismatch on {} (venue {}, local {}): resubscribing its book", symbol, expected, actual);
    ctx.resync(symbol, "checksum");
    books.remove(symbol);
    List<String> one = List.of(symbol);
    ctx.send(request("unsubscribe", "book", one));
    ctx.send(request("subscribe", "book", one));
  }

  private void trades(String symbol, String type, JsonNode data) {
    if (!markets.contains(symbol)) {
      return;
    }
    Long last = lastTradeId.get(symbol);
    for (JsonNode t : data) {
      JsonNode id = t.get("trade_id");
      if (id == null || !id.canConvertToLong() || !symbol.equals(t.path("symbol").asText(symbol))) {
        continue;
      }
      long v = id.asLong();
      // a snapshot (the last 50 trades) sets the baseline; updates must continue it by one
      if (last != null && !type.equals("snapshot") && v > last + 1) {
        tradeGaps++;
        ctx.gap(symbol, "trade_id " + (last + 1) + (v - 1 > last + 1 ? ".." + (v - 1) : "") + " missing");
      } else if (last != null && v <= last && !type.equals("snapshot")) {
        LOG.debug("kraken: trade_id on {} went from {} back to {}", symbol, last, v);
      }
      last = v;
    }
    if (last != null) {
      lastTradeId.put(symbol, last);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }
}
