package io.ssmd.venue.kalshi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmd.connector.Routed;
import io.ssmd.connector.SessionContext;
import io.ssmd.connector.VenueSession;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kalshi protocol state of one connection: subscriptions by {@code sid}, routing per DESIGN §3,
 * and orderbook integrity ({@code seq} per sid; a gap resubscribes the sid's markets so fresh
 * snapshots replace the local books).
 *
 * <p>Parsing is lenient on purpose: only {@code type}, {@code sid}, {@code seq}, {@code id},
 * {@code msg.market_ticker} / {@code msg.event_ticker} and the book fields are read; the frame is
 * published unchanged. Called from the connection's single reader thread.
 */
final class KalshiSession implements VenueSession {
  private static final Logger LOG = LoggerFactory.getLogger(KalshiSession.class);
  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final String ORDERBOOK = "orderbook_delta";
  private static final int MAX_SUPERSEDED = 1024;

  private enum Kind {
    SUBSCRIBE,
    GLOBAL,
    ADD,
    DELETE,
    UNSUBSCRIBE
  }

  /** A command awaiting its reply ({@code subscribed} per channel, or {@code ok}). */
  private static final class Pending {
    final Kind kind;
    final List<String> channels;
    final List<String> markets;
    final long sid;
    int acks;

    Pending(Kind kind, List<String> channels, List<String> markets, long sid) {
      this.kind = kind;
      this.channels = channels;
      this.markets = markets;
      this.sid = sid;
    }
  }

  private final KalshiVenueOptions options;
  private final SessionContext ctx;
  private long nextId = 1;
  private final Map<Long, Pending> pending = new HashMap<>();
  /** Subscribe commands re-sent after an error; a late {@code subscribed} for them is unsubscribed. */
  private final Set<Long> superseded = new HashSet<>();
  /** Markets the connector wants on this connection. */
  private final Set<String> wanted = new LinkedHashSet<>();
  /** channel -> market -> sid */
  private final Map<String, Map<String, Long>> marketSid = new HashMap<>();
  private final Map<Long, String> sidChannel = new HashMap<>();
  private final Map<Long, Set<String>> sidMarkets = new HashMap<>();
  /** The latest acknowledged sid per market channel, extended with add_markets. */
  private final Map<String, Long> currentSid = new HashMap<>();
  private final Map<Long, Long> lastSeq = new HashMap<>();
  private final Map<String, OrderBook> books = new HashMap<>();
  /** Markets whose book is void until their fresh snapshot arrives. */
  private final Set<String> resyncing = new HashSet<>();
  private boolean globalsRequested;

  KalshiSession(KalshiVenueOptions options, SessionContext ctx) {
    this.options = options;
    this.ctx = ctx;
  }

  // ------------------------------------------------------------------ commands

  /**
   * Subscribes the market-independent lifecycle channels on the primary connection. Called when the
   * connection opens, because the connector's primary shard may carry no markets at all.
   */
  void start() {
    subscribeGlobals();
  }

  private void subscribeGlobals() {
    if (ctx.primary() && !globalsRequested && !options.globalChannels().isEmpty()) {
      // lifecycle channels take no tickers and carry every market: one connection only
      globalsRequested = true;
      ObjectNode params = JSON.createObjectNode();
      strings(params.putArray("channels"), options.globalChannels());
      long id = command("subscribe", params);
      pending.put(id, new Pending(Kind.GLOBAL, options.globalChannels(), List.of(), -1));
    }
  }

  @Override
  public void subscribe(List<String> markets) {
    subscribeGlobals();
    List<String> fresh = new ArrayList<>();
    for (String m : markets) {
      if (m != null && !m.isBlank() && wanted.add(m)) {
        fresh.add(m);
      }
    }
    if (fresh.isEmpty() || options.channels().isEmpty()) {
      return;
    }
    boolean extend = options.channels().stream().allMatch(currentSid::containsKey);
    for (List<String> batch : batches(fresh)) {
      if (extend) {
        for (String ch : options.channels()) {
          addMarkets(currentSid.get(ch), ch, batch);
        }
      } else {
        sendSubscribe(batch);
      }
    }
  }

  @Override
  public void unsubscribe(List<String> markets) {
    // update_subscription delete_markets per sid: unsubscribing a sid would drop every other market on it
    Map<Long, List<String>> bySid = new LinkedHashMap<>();
    for (String m : markets) {
      if (!wanted.remove(m)) {
        continue;
      }
      books.remove(m);
      resyncing.remove(m);
      for (Map<String, Long> bySidOfChannel : marketSid.values()) {
        Long sid = bySidOfChannel.remove(m);
        if (sid != null) {
          sidMarkets.getOrDefault(sid, new HashSet<>()).remove(m);
          bySid.computeIfAbsent(sid, k -> new ArrayList<>()).add(m);
        }
      }
    }
    bySid.forEach((sid, list) -> batches(list).forEach(b -> deleteMarkets(sid, b)));
  }

  private void sendSubscribe(List<String> batch) {
    ObjectNode params = JSON.createObjectNode();
    strings(params.putArray("channels"), options.channels());
    strings(params.putArray("market_tickers"), batch);
    if (options.channels().contains(ORDERBOOK)) {
      // set explicitly: Kalshi plans to flip the default of use_yes_price
      params.put("use_yes_price", options.useYesPrice());
    }
    if (options.tickerInitialSnapshot() && options.channels().contains("ticker")) {
      params.put("send_initial_snapshot", true);
    }
    long id = command("subscribe", params);
    pending.put(id, new Pending(Kind.SUBSCRIBE, options.channels(), new ArrayList<>(batch), -1));
  }

  private void addMarkets(long sid, String channel, List<String> batch) {
    for (String m : batch) {
      marketSid.computeIfAbsent(channel, k -> new HashMap<>()).put(m, sid);
      sidMarkets.computeIfAbsent(sid, k -> new LinkedHashSet<>()).add(m);
    }
    long id = command("update_subscription", update(sid, batch, "add_markets"));
    pending.put(id, new Pending(Kind.ADD, List.of(channel), new ArrayList<>(batch), sid));
  }

  private void deleteMarkets(long sid, List<String> batch) {
    long id = command("update_subscription", update(sid, batch, "delete_markets"));
    pending.put(id, new Pending(Kind.DELETE, List.of(), List.copyOf(batch), sid));
  }

  private static ObjectNode update(long sid, List<String> markets, String action) {
    ObjectNode params = JSON.createObjectNode();
    params.putArray("sids").add(sid);
    strings(params.putArray("market_tickers"), markets);
    params.put("action", action);
    return params;
  }

  private long command(String cmd, ObjectNode params) {
    long id = nextId++;
    ObjectNode o = JSON.createObjectNode();
    o.put("id", id);
    o.put("cmd", cmd);
    if (params != null) {
      o.set("params", params);
    }
    try {
      ctx.send(JSON.writeValueAsString(o));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return id;
  }

  private static void strings(ArrayNode arr, Collection<String> values) {
    values.forEach(arr::add);
  }

  private List<List<String>> batches(List<String> markets) {
    List<List<String>> out = new ArrayList<>();
    int n = options.marketsPerCommand();
    for (int i = 0; i < markets.size(); i += n) {
      out.add(List.copyOf(markets.subList(i, Math.min(markets.size(), i + n))));
    }
    return out;
  }

  // ------------------------------------------------------------------ routing

  @Override
  public List<Routed> onFrame(byte[] frame) {
    JsonNode root;
    try {
      root = JSON.readTree(frame);
    } catch (IOException e) {
      return Routed.rejected("malformed", "frame is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      return Routed.rejected("malformed", "frame is not a JSON object");
    }
    JsonNode typeNode = root.get("type");
    if (typeNode == null || !typeNode.isTextual()) {
      return Routed.rejected("unknown_type", "frame has no type");
    }
    String type = typeNode.asText();
    try {
      return switch (type) {
        case "trade" -> data("trade", type, root, "market_ticker", frame);
        case "ticker" -> data("ticker", type, root, "market_ticker", frame);
        case "orderbook_snapshot", "orderbook_delta" -> book(type, root, frame);
        case "market_lifecycle_v2" -> data("lifecycle", type, root, "market_ticker", frame);
        // event_fee_update shares the lifecycle channel and names an event, like event_lifecycle
        case "event_lifecycle", "event_fee_update" -> data("event_lifecycle", type, root, "event_ticker", frame);
        case "subscribed" -> {
          onSubscribed(root);
          yield Routed.control("subscribed");
        }
        case "unsubscribed" -> {
          onUnsubscribed(root);
          yield Routed.control("unsubscribed");
        }
        case "ok" -> {
          onOk(root);
          yield Routed.control("ok");
        }
        case "error" -> onError(root);
        default -> Routed.rejected("unknown_type", "undocumented message type '" + abbreviate(type) + "'");
      };
    } catch (RuntimeException e) {
      LOG.warn("kalshi: failed to handle a {} frame: {}", abbreviate(type), e.toString());
      return Routed.rejected("malformed", "could not handle " + abbreviate(type) + " frame: " + e.getClass().getSimpleName());
    }
  }

  private static List<Routed> data(String subjectType, String type, JsonNode root, String tickerField, byte[] frame) {
    String ticker = root.path("msg").path(tickerField).asText("");
    if (ticker.isEmpty()) {
      return Routed.rejected("unroutable", type + " frame without msg." + tickerField);
    }
    return Routed.publish(subjectType, ticker, frame);
  }

  private List<Routed> book(String type, JsonNode root, byte[] frame) {
    List<Routed> routed = data("orderbook", type, root, "market_ticker", frame);
    if (routed.get(0) instanceof Routed.Publish p) {
      try {
        checkBook(type, root, p.ticker());
      } catch (RuntimeException e) {
        // integrity bookkeeping must never cost the raw capture of the frame
        LOG.warn("kalshi: orderbook integrity check failed on {}: {}", p.ticker(), e.toString());
      }
    }
    return routed;
  }

  // ------------------------------------------------------------------ integrity

  private void checkBook(String type, JsonNode root, String market) {
    JsonNode msg = root.path("msg");
    boolean snapshot = type.equals("orderbook_snapshot");
    JsonNode sidNode = root.get("sid");
    JsonNode seqNode = root.get("seq");
    if (sidNode != null && sidNode.canConvertToLong() && seqNode != null && seqNode.canConvertToLong()) {
      long sid = sidNode.asLong();
      long seq = seqNode.asLong();
      long last = lastSeq.getOrDefault(sid, 0L);
      if (seq <= last) {
        return; // duplicate or older: published as captured, not applied
      }
      lastSeq.put(sid, seq);
      if (seq > last + 1) {
        gap(sid, last, seq, market);
        if (!snapshot) {
          return;
        }
      }
    }
    if (snapshot) {
      if (wanted.contains(market)) {
        // a snapshot replaces the book, never merges into it
        books.put(market, OrderBook.fromSnapshot(msg, options.bookDepth()));
        resyncing.remove(market);
      }
      return;
    }
    OrderBook b = books.get(market);
    if (b == null || resyncing.contains(market)) {
      return;
    }
    Long price = OrderBook.micros(msg.path("price_dollars"));
    Long delta = OrderBook.hundredths(msg.path("delta_fp"));
    if (price != null && delta != null) {
      b.apply(msg.path("side").asText(""), price, delta);
    }
  }

  /**
   * {@code seq} is per sid, so a gap may have hidden a message of any market on that sid: every
   * market of the sid is resubscribed (delete then add on the same sid) and gets a fresh snapshot.
   */
  private void gap(long sid, long last, long seq, String market) {
    Set<String> affected = new LinkedHashSet<>();
    for (String m : sidMarkets.getOrDefault(sid, Set.of())) {
      if (wanted.contains(m)) {
        affected.add(m);
      }
    }
    if (affected.isEmpty() && wanted.contains(market)) {
      affected.add(market);
    }
    String label = affected.size() == 1 ? affected.iterator().next() : "sid:" + sid;
    ctx.gap(label, "orderbook seq " + (last + 1) + (seq - 1 > last + 1 ? ".." + (seq - 1) : "") + " missing on sid " + sid);
    ctx.resync(label, "seq_gap");
    if (affected.isEmpty()) {
      return;
    }
    List<String> list = new ArrayList<>(affected);
    for (String m : list) {
      books.remove(m);
      resyncing.add(m);
    }
    for (List<String> b : batches(list)) {
      deleteMarkets(sid, b);
    }
    for (List<String> b : batches(list)) {
      long id = command("update_subscription", update(sid, b, "add_markets"));
      pending.put(id, new Pending(Kind.ADD, List.of(ORDERBOOK), new ArrayList<>(b), sid));
    }
  }

  // ------------------------------------------------------------------ replies

  private void onSubscribed(JsonNode root) {
    long id = root.path("id").asLong(-1);
    JsonNode msg = root.path("msg");
    String channel = msg.path("channel").asText("");
    long sid = msg.path("sid").asLong(-1);
    if (sid < 0) {
      return;
    }
    sidChannel.put(sid, channel);
    if (superseded.contains(id)) {
      // the venue accepted a command we already re-sent without its bad market: drop the duplicate sid
      ObjectNode params = JSON.createObjectNode();
      params.putArray("sids").add(sid);
      long uid = command("unsubscribe", params);
      pending.put(uid, new Pending(Kind.UNSUBSCRIBE, List.of(), List.of(), sid));
      return;
    }
    Pending p = pending.get(id);
    if (p == null) {
      return;
    }
    p.acks++;
    if (p.kind == Kind.SUBSCRIBE && KalshiVenueOptions.MARKET_CHANNELS.contains(channel)) {
      List<String> stale = new ArrayList<>();
      for (String m : p.markets) {
        if (wanted.contains(m)) {
          marketSid.computeIfAbsent(channel, k -> new HashMap<>()).put(m, sid);
          sidMarkets.computeIfAbsent(sid, k -> new LinkedHashSet<>()).add(m);
        } else {
          stale.add(m); // unsubscribed while the subscribe was in flight
        }
      }
      currentSid.put(channel, sid);
      if (!stale.isEmpty()) {
        deleteMarkets(sid, stale);
      }
    }
    if (p.acks >= Math.max(1, p.channels.size())) {
      pending.remove(id);
    }
  }

  private void onUnsubscribed(JsonNode root) {
    long sid = root.path("sid").asLong(-1);
    pending.remove(root.path("id").asLong(-1));
    sidChannel.remove(sid);
    sidMarkets.remove(sid);
    lastSeq.remove(sid);
    currentSid.values().removeIf(s -> s == sid);
  }

  private void onOk(JsonNode root) {
    pending.remove(root.path("id").asLong(-1));
  }

  private List<Routed> onError(JsonNode root) {
    long id = root.path("id").asLong(-1);
    JsonNode msg = root.path("msg");
    String code = msg.path("code").asText("?");
    String market = msg.path("market_ticker").asText("");
    String detail =
        "code " + code + ": " + abbreviate(msg.path("msg").asText("")) + (market.isEmpty() ? "" : " (market " + market + ")")
            + (id >= 0 ? " for command " + id : "");
    ctx.venueError(code, detail);
    Pending p = id >= 0 ? pending.get(id) : null;
    if (!market.isEmpty()) {
      // one bad market must not stop the others: forget it and, if the venue refused the whole
      // command (no acknowledgement yet), send it again without that market
      dropMarket(market);
      if (p != null && p.acks == 0 && (p.kind == Kind.SUBSCRIBE || p.kind == Kind.ADD)) {
        pending.remove(id);
        List<String> rest = p.markets.stream().filter(wanted::contains).toList();
        if (p.kind == Kind.SUBSCRIBE) {
          if (superseded.size() >= MAX_SUPERSEDED) {
            superseded.clear();
          }
          superseded.add(id);
          if (!rest.isEmpty()) {
            sendSubscribe(rest);
          }
        } else if (!rest.isEmpty()) {
          long rid = command("update_subscription", update(p.sid, rest, "add_markets"));
          pending.put(rid, new Pending(Kind.ADD, p.channels, new ArrayList<>(rest), p.sid));
        }
      }
    } else if (p != null && p.acks == 0) {
      pending.remove(id);
    }
    return Routed.rejected("venue_error", detail);
  }

  private void dropMarket(String market) {
    wanted.remove(market);
    books.remove(market);
    resyncing.remove(market);
    for (Map<String, Long> m : marketSid.values()) {
      Long sid = m.remove(market);
      if (sid != null) {
        sidMarkets.getOrDefault(sid, new HashSet<>()).remove(market);
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  // ------------------------------------------------------------------ for tests

  OrderBook book(String market) {
    return books.get(market);
  }

  Set<String> markets() {
    return Set.copyOf(wanted);
  }

  Long sidOf(String channel, String market) {
    return marketSid.getOrDefault(channel, Map.of()).get(market);
  }

  int pendingCommands() {
    return pending.size();
  }
}
