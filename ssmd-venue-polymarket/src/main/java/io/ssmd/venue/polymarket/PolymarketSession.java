package io.ssmd.venue.polymarket;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmd.connector.Routed;
import io.ssmd.connector.SessionContext;
import io.ssmd.connector.VenueSession;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One market-channel connection: subscriptions, routing and the online integrity check.
 *
 * <p>Subscribing: the first batch goes in the initial {@code type: market} message (the venue
 * answers a second initial message with {@code INVALID OPERATION}); later batches and removals use
 * {@code operation: subscribe|unsubscribe}. {@code custom_feature_enabled} is always true.
 *
 * <p>Integrity: the channel has no sequence numbers, so gaps cannot be seen directly. A book is
 * kept per asset ({@code book} replaces it; {@code price_change} sets a level's aggregate size,
 * {@code "0"} removes it) and compared with every {@code best_bid_ask} and with the
 * {@code best_bid}/{@code best_ask} of each price change. On disagreement the book is discarded
 * and that asset alone is unsubscribed and subscribed again to get a fresh {@code book} (the venue
 * ignores a duplicate subscribe), at most once per {@code resyncMinInterval} per asset.
 *
 * <p>Parsing is lenient: only {@code event_type}, {@code market} and the book fields are read;
 * the published payload is always the venue's bytes (for an array frame, the exact bytes of each
 * element).
 */
final class PolymarketSession implements VenueSession {
  private static final Logger LOG = LoggerFactory.getLogger(PolymarketSession.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final byte[] PONG = "PONG".getBytes(StandardCharsets.UTF_8);
  private static final String INVALID_OPERATION = "INVALID OPERATION";

  private final PolymarketVenueOptions options;
  private final SessionContext ctx;
  private final Set<String> subscribed = new LinkedHashSet<>();
  private final Map<String, LocalBook> books = new HashMap<>();
  private final Map<String, Long> lastResyncNanos = new HashMap<>();
  private final Set<String> resyncPending = new LinkedHashSet<>();
  private boolean initialSent;
  private long bboMismatches;
  private long resyncs;

  PolymarketSession(PolymarketVenueOptions options, SessionContext ctx) {
    this.options = options;
    this.ctx = ctx;
  }

  // ---- subscriptions ----

  @Override
  public void subscribe(List<String> markets) {
    List<String> fresh = new ArrayList<>();
    for (String m : markets) {
      if (subscribed.add(m)) {
        fresh.add(m);
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    if (!initialSent) {
      initialSent = true;
      ObjectNode msg = JSON.createObjectNode();
      msg.set("assets_ids", ids(fresh));
      msg.put("type", "market");
      msg.put("initial_dump", options.initialDump());
      msg.put("custom_feature_enabled", true);
      ctx.send(msg.toString());
    } else {
      ctx.send(operation("subscribe", fresh));
    }
  }

  @Override
  public void unsubscribe(List<String> markets) {
    List<String> gone = new ArrayList<>();
    for (String m : markets) {
      if (subscribed.remove(m)) {
        gone.add(m);
        forget(m);
      }
    }
    if (!gone.isEmpty()) {
      ctx.send(operation("unsubscribe", gone));
    }
  }

  private void forget(String asset) {
    books.remove(asset);
    lastResyncNanos.remove(asset);
    resyncPending.remove(asset);
  }

  private static String operation(String op, List<String> assets) {
    ObjectNode msg = JSON.createObjectNode();
    msg.set("assets_ids", ids(assets));
    msg.put("operation", op);
    msg.put("custom_feature_enabled", true);
    return msg.toString();
  }

  private static ArrayNode ids(List<String> assets) {
    ArrayNode a = JSON.createArrayNode();
    assets.forEach(a::add);
    return a;
  }

  // ---- routing ----

  @Override
  public List<Routed> onFrame(byte[] frame) {
    try {
      return route(frame);
    } catch (RuntimeException e) {
      // Never let one odd frame kill the reader: count it as malformed.
      return Routed.rejected("malformed", "unexpected failure: " + e);
    } finally {
      if (!resyncPending.isEmpty()) {
        runPendingResyncs();
      }
    }
  }

  private List<Routed> route(byte[] frame) {
    int start = 0;
    int end = frame.length;
    while (start < end && Character.isWhitespace(frame[start])) {
      start++;
    }
    while (end > start && Character.isWhitespace(frame[end - 1])) {
      end--;
    }
    if (start == end) {
      return Routed.rejected("malformed", "empty frame");
    }
    if (frame[start] != '{' && frame[start] != '[') {
      // The keep-alive reply and the venue's refusals are plain text, not JSON.
      if (Arrays.equals(frame, start, end, PONG, 0, PONG.length)) {
        return List.of(Routed.PONG);
      }
      String text = new String(frame, start, end - start, StandardCharsets.UTF_8);
      if (text.equals(INVALID_OPERATION)) {
        ctx.venueError("invalid_operation", text);
        return Routed.rejected("venue_error", text);
      }
      return Routed.rejected("malformed", "not JSON: " + abbreviate(text));
    }
    List<JsonNode> nodes = new ArrayList<>();
    List<byte[]> payloads = new ArrayList<>();
    boolean array;
    try (JsonParser p = JSON.createParser(frame)) {
      JsonToken t = p.nextToken();
      array = t == JsonToken.START_ARRAY;
      if (!array) {
        nodes.add(p.readValueAsTree());
        payloads.add(frame);
      } else {
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t == null) {
            return Routed.rejected("malformed", "unterminated array");
          }
          int from = (int) p.currentTokenLocation().getByteOffset();
          JsonNode n = p.readValueAsTree();
          // After reading a value the parser sits on its last token; slice the element's exact bytes.
          int to = (int) (p.currentTokenLocation().getByteOffset() + 1);
          nodes.add(n);
          payloads.add(Arrays.copyOfRange(frame, from, to));
        }
      }
      if (p.nextToken() != null) {
        return Routed.rejected("malformed", "trailing content after the JSON value");
      }
    } catch (IOException e) {
      return Routed.rejected("malformed", "invalid JSON: " + abbreviate(String.valueOf(e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage())));
    }
    if (array && nodes.isEmpty()) {
      return Routed.control("ack"); // the venue acknowledges some subscriptions with []
    }
    List<Routed> out = new ArrayList<>(nodes.size());
    for (int i = 0; i < nodes.size(); i++) {
      out.add(routeEvent(nodes.get(i), payloads.get(i)));
    }
    return out;
  }

  private Routed routeEvent(JsonNode n, byte[] payload) {
    if (!n.isObject()) {
      return new Routed.Rejected("malformed", "array element is not a JSON object");
    }
    JsonNode et = n.get("event_type");
    if (et == null || !et.isTextual()) {
      return new Routed.Rejected("unknown_type", "message without event_type");
    }
    String eventType = et.asText();
    String type =
        switch (eventType) {
          case "last_trade_price" -> "trade";
          case "price_change", "best_bid_ask" -> "ticker";
          case "book" -> "orderbook";
          case "new_market", "market_resolved", "tick_size_change" -> "lifecycle";
          default -> null;
        };
    if (type == null) {
      return new Routed.Rejected("unknown_type", "event_type " + abbreviate(eventType));
    }
    JsonNode market = n.get("market");
    if (market == null || !market.isTextual() || market.asText().isBlank()) {
      return new Routed.Rejected("unroutable", eventType + " without market");
    }
    try {
      checkIntegrity(eventType, n);
    } catch (RuntimeException e) {
      // The integrity check must never cost a message: publish regardless.
      LOG.warn("polymarket: integrity check failed on {}: {}", eventType, e.toString());
    }
    return new Routed.Publish(type, market.asText(), payload);
  }

  // ---- integrity ----

  private void checkIntegrity(String eventType, JsonNode n) {
    switch (eventType) {
      case "book" -> onBook(n);
      case "price_change" -> onPriceChange(n);
      case "best_bid_ask" -> checkBest(n.path("asset_id").asText(""), n.get("best_bid"), n.get("best_ask"));
      default -> {}
    }
  }

  private void onBook(JsonNode n) {
    String asset = n.path("asset_id").asText("");
    if (!subscribed.contains(asset)) {
      return; // books are kept only for this connection's assets (bounded memory)
    }
    // A snapshot REPLACES the local book; merging would keep stale levels.
    LocalBook book = new LocalBook(options.maxBookLevels());
    boolean ok = fill(book, true, n.has("bids") ? n.get("bids") : n.get("buys")) // old docs: buys/sells
        & fill(book, false, n.has("asks") ? n.get("asks") : n.get("sells"));
    if (ok) {
      books.put(asset, book);
    } else {
      books.remove(asset); // a book we cannot read cannot be checked
    }
    resyncPending.remove(asset);
  }

  private static boolean fill(LocalBook book, boolean bid, JsonNode levels) {
    if (levels == null || levels.isNull()) {
      return true;
    }
    if (!levels.isArray()) {
      return false;
    }
    for (JsonNode l : levels) {
      BigDecimal price = decimal(l.get("price"));
      BigDecimal size = decimal(l.get("size"));
      if (price == null || size == null) {
        return false;
      }
      book.set(bid, price, size);
    }
    return true;
  }

  private void onPriceChange(JsonNode n) {
    JsonNode changes = n.get("price_changes");
    if (changes != null && changes.isArray()) {
      for (JsonNode c : changes) {
        String asset = c.path("asset_id").asText("");
        if (apply(asset, c)) {
          checkBest(asset, c.get("best_bid"), c.get("best_ask"));
        }
      }
      return;
    }
    // Legacy form (old captures): {asset_id, changes:[{price, side, size}]} without best prices.
    JsonNode legacy = n.get("changes");
    if (legacy != null && legacy.isArray()) {
      String asset = n.path("asset_id").asText("");
      for (JsonNode c : legacy) {
        apply(asset, c);
      }
    }
  }

  /** Applies one level change; false when there is no book to apply it to (or it was unreadable). */
  private boolean apply(String asset, JsonNode c) {
    LocalBook book = books.get(asset);
    if (book == null) {
      return false;
    }
    BigDecimal price = decimal(c.get("price"));
    BigDecimal size = decimal(c.get("size"));
    Boolean bid = side(c.path("side").asText(""));
    if (price == null || size == null || bid == null) {
      books.remove(asset); // cannot follow this book any more; the next book restores it
      return false;
    }
    book.set(bid, price, size);
    return true;
  }

  private static Boolean side(String s) {
    return switch (s.toUpperCase(Locale.ROOT)) {
      case "BUY", "BID" -> Boolean.TRUE;
      case "SELL", "ASK" -> Boolean.FALSE;
      default -> null;
    };
  }

  private void checkBest(String asset, JsonNode bidNode, JsonNode askNode) {
    LocalBook book = books.get(asset);
    if (book == null) {
      return; // no snapshot yet (or resync in flight): nothing to compare with
    }
    BigDecimal bid = decimal(bidNode);
    BigDecimal ask = decimal(askNode);
    boolean bidOk = bid == null || sameBest(book.bestBid(), bid, false);
    boolean askOk = ask == null || sameBest(book.bestAsk(), ask, true);
    if (bidOk && askOk) {
      return;
    }
    bboMismatches++;
    LOG.warn("polymarket: best prices of asset {} disagree with the local book (venue {}/{}, local {}/{}); resubscribing",
        asset, bid, ask, book.bestBid(), book.bestAsk());
    books.remove(asset);
    Long last = lastResyncNanos.get(asset);
    if (last != null && ctx.nanoTime() - last < options.resyncMinInterval().toNanos()) {
      resyncPending.add(asset); // rate-limited: resubscribe once the interval has passed
    } else {
      resync(asset);
    }
  }

  /** An empty side matches the venue's placeholder for "no price" (0 for bids; 0 or 1 for asks). */
  private static boolean sameBest(BigDecimal local, BigDecimal venue, boolean ask) {
    if (local == null) {
      return venue.signum() == 0 || (ask && venue.compareTo(BigDecimal.ONE) == 0);
    }
    return local.compareTo(venue) == 0;
  }

  private void runPendingResyncs() {
    long now = ctx.nanoTime();
    for (Iterator<String> it = resyncPending.iterator(); it.hasNext(); ) {
      String asset = it.next();
      Long last = lastResyncNanos.get(asset);
      if (last == null || now - last >= options.resyncMinInterval().toNanos()) {
        it.remove();
        resync(asset);
      }
    }
  }

  private void resync(String asset) {
    resyncPending.remove(asset);
    if (!subscribed.contains(asset)) {
      return;
    }
    lastResyncNanos.put(asset, ctx.nanoTime());
    resyncs++;
    ctx.resync(asset, "bbo_mismatch");
    // A duplicate subscribe is ignored by the venue, so cycle the subscription to get a new book.
    ctx.send(operation("unsubscribe", List.of(asset)));
    ctx.send(operation("subscribe", List.of(asset)));
  }

  private static BigDecimal decimal(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    try {
      if (n.isTextual()) {
        String s = n.asText().trim();
        return s.isEmpty() ? null : new BigDecimal(s);
      }
      return n.isNumber() ? n.decimalValue() : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  // ---- for tests and status ----

  long bboMismatches() {
    return bboMismatches;
  }

  long resyncs() {
    return resyncs;
  }

  boolean hasBook(String asset) {
    return books.containsKey(asset);
  }

  BigDecimal bestBid(String asset) {
    LocalBook b = books.get(asset);
    return b == null ? null : b.bestBid();
  }

  BigDecimal bestAsk(String asset) {
    LocalBook b = books.get(asset);
    return b == null ? null : b.bestAsk();
  }
}
