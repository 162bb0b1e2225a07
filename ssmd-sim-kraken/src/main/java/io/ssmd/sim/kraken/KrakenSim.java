package io.ssmd.sim.kraken;

import io.ssmd.sim.SimRest;
import io.ssmd.sim.RestFaults;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmd.sim.Fault;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimConnection;
import io.ssmd.sim.SimVenue;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated Kraken Spot WebSocket v2 venue ({@code /v2}): status on connect, {@code subscribe} /
 * {@code unsubscribe} with one ack per symbol, {@code ping}/{@code pong}, heartbeats when idle,
 * and the public channels {@code ticker}, {@code trade}, {@code book} (depth 10|25|100|500|1000,
 * real CRC32 checksums over the top 10 levels, books truncated to the subscribed depth) and
 * {@code instrument}. Market data is generated deterministically (seeded) at the configured rate,
 * only for markets some connection subscribed. Every data message is journaled with the routing a
 * connector must give it (DESIGN §3: trade / ticker / orderbook, ticker = the pair symbol).
 *
 * <p>Faults: {@code drop}, {@code abort}, {@code stall}, {@code malformed}, {@code oversize}
 * ({@code bytes}), {@code unknown_type}, and {@code bad_checksum} (optional {@code market}): the
 * next book update carries a wrong checksum while the book itself stays right, so a resubscribe
 * heals it.
 *
 * <p>REST: {@code GET /0/public/AssetPairs} ({@code pair=} comma list of keys, altnames, v1 or v2
 * names; {@code info=info|leverage|fees|margin}) over the {@link KrakenSimOptions#referencePairCount()
 * reference pairs}, which the {@code instrument} channel lists too. {@link #setPairStatus} changes
 * a pair's status in both; {@link #failNextRequests} and {@code POST /_sim/rest-fault?status=&count=}
 * make the next REST requests fail with 429 (and {@code Retry-After}) or 5xx.
 */
public final class KrakenSim extends SimVenue {
  private static final Logger LOG = LoggerFactory.getLogger(KrakenSim.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Set<Integer> DEPTHS = Set.of(10, 25, 100, 500, 1000);
  private static final int RECENT_TRADES = 50;
  private static final int MAX_EVENTS_PER_TICK = 50_000;
  private static final String VERSION = "2.0.10";

  private final KrakenSimOptions options;
  private final Map<String, Market> markets = new LinkedHashMap<>();
  /** The reference universe: traded pairs first, then reference-only ones. */
  private final List<KrakenUniverse.Pair> referencePairs = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Every name a REST client may use for a pair: key, altname, wsname, v2 symbol. */
  private final Map<String, KrakenUniverse.Pair> pairsByName = new java.util.concurrent.ConcurrentHashMap<>();
  /** Pair statuses other than online, by v2 symbol; guarded by lock. */
  private final Map<String, String> pairStatus = new java.util.HashMap<>();
  private final RestFaults restFaults = new RestFaults();
  private final AtomicLong restRequests = new AtomicLong();
  private final Random rng;
  /** Guards markets, rng, every connection's subscriptions, and the order of sends. */
  private final Object lock = new Object();
  private final AtomicLong dataMessages = new AtomicLong();
  private final AtomicLong controlMessages = new AtomicLong();
  private final Map<Fault.Kind, Long> faults = new EnumMap<>(Fault.Kind.class);
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
  private double budget;
  private boolean badChecksumPending;
  private String badChecksumMarket;
  private long lastTickNanos;

  /** One simulated pair: its book and its 24 h statistics. */
  private static final class Market {
    final KrakenUniverse.Pair pair;
    final SimBook book = new SimBook();
    final Deque<String> recentTrades = new ArrayDeque<>();
    final BigDecimal tick;
    final BigDecimal qtyScale;
    long tradeSeq;
    BigDecimal open;
    BigDecimal last;
    BigDecimal volume;
    BigDecimal notional;
    BigDecimal low;
    BigDecimal high;

    Market(KrakenUniverse.Pair pair) {
      this.pair = pair;
      this.tick = pair.priceIncrement();
      // cheap coins trade in larger quantities, as on the real venue
      BigDecimal scale = BigDecimal.valueOf(1000).divide(pair.startPrice(), 0, RoundingMode.DOWN);
      this.qtyScale = scale.signum() == 0 ? BigDecimal.ONE : scale;
    }
  }

  public KrakenSim(KrakenSimOptions options, Journal journal, ScheduledExecutorService scheduler) {
    super(journal, scheduler);
    this.options = options;
    this.rng = new Random(options.seed());
    for (KrakenUniverse.Pair p : KrakenUniverse.pairs(options.markets())) {
      Market m = new Market(p);
      seed(m);
      markets.put(p.symbol(), m);
    }
    KrakenUniverse.pairs(options.referencePairCount()).forEach(this::list);
  }

  private void list(KrakenUniverse.Pair p) {
    pairsByName.put(AssetPairs.key(p), p);
    pairsByName.put(AssetPairs.altname(p), p);
    pairsByName.put(AssetPairs.wsname(p), p);
    pairsByName.put(p.symbol(), p);
    referencePairs.add(p);
  }

  /**
   * Lists a new pair, as the venue does when it adds one: the next pair of the universe after
   * every pair listed so far appears in REST {@code AssetPairs} (online) and later {@code
   * instrument} snapshots, and trades on the WebSocket for whoever subscribes it. Returns its v2
   * symbol.
   */
  public String addPair() {
    KrakenUniverse.Pair p;
    synchronized (lock) {
      p = KrakenUniverse.pair(Math.max(referencePairs.size(), markets.size()));
      Market m = new Market(p);
      seed(m);
      markets.put(p.symbol(), m);
      list(p);
    }
    LOG.info("sim kraken: pair {} added", p.symbol());
    return p.symbol();
  }

  @Override
  public String name() {
    return "kraken";
  }

  @Override
  public String wsPath() {
    return "/v2";
  }

  public KrakenSimOptions options() {
    return options;
  }

  /** The symbols this simulator lists, in universe order. */
  public List<String> symbols() {
    synchronized (lock) {
      return List.copyOf(markets.keySet());
    }
  }

  @Override
  public SimConnection accept(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
    return new KrakenSimConnection(this);
  }

  @Override
  public void start() {
    long tick = options.tickInterval().toNanos();
    lastTickNanos = System.nanoTime();
    tasks.add(scheduler.scheduleAtFixedRate(guard(this::generate), tick, tick, TimeUnit.NANOSECONDS));
    long hb = Math.max(TimeUnit.MILLISECONDS.toNanos(5), options.heartbeatInterval().toNanos() / 4);
    tasks.add(scheduler.scheduleAtFixedRate(guard(this::heartbeats), hb, hb, TimeUnit.NANOSECONDS));
  }

  @Override
  public void close() {
    tasks.forEach(t -> t.cancel(false));
    super.close();
  }

  private Runnable guard(Runnable r) {
    return () -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        // a scheduled task that throws is silently cancelled: log and keep the generator alive
        LOG.warn("sim kraken: generator failed: {}", e.toString(), e);
      }
    };
  }

  // ---------------------------------------------------------------- REST

  /** Every pair the reference data lists (REST and instrument channel), in universe order. */
  public List<KrakenUniverse.Pair> referencePairs() {
    return List.copyOf(referencePairs);
  }

  /**
   * Sets a pair's status as REST {@code AssetPairs} and later {@code instrument} snapshots report
   * it: online, cancel_only, post_only, limit_only, reduce_only (v2 also has maintenance, delisted).
   */
  public void setPairStatus(String symbol, String status) {
    KrakenUniverse.Pair p = pairsByName.get(symbol);
    if (p == null) {
      throw new IllegalArgumentException("unknown pair " + symbol);
    }
    if (!Set.of("online", "cancel_only", "post_only", "limit_only", "reduce_only", "maintenance", "delisted").contains(status)) {
      throw new IllegalArgumentException("unknown pair status " + status);
    }
    synchronized (lock) {
      if (status.equals("online")) {
        pairStatus.remove(p.symbol());
      } else {
        pairStatus.put(p.symbol(), status);
      }
    }
    LOG.info("sim kraken: pair {} is now {}", p.symbol(), status);
  }

  /** The next {@code n} REST requests fail with {@code status} (429 with Retry-After: 1, or 5xx). */
  public void failNextRequests(int n, int status) {
    restFaults.add(n, status, 1);
  }

  private String status(KrakenUniverse.Pair p) {
    synchronized (lock) {
      return pairStatus.getOrDefault(p.symbol(), "online");
    }
  }

  @Override
  public boolean handleHttp(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (SimRest.faultEndpoint(path, request, response, callback, restFaults)) {
      return true;
    }
    if (!path.equals("/0/public/AssetPairs")) {
      return false;
    }
    restRequests.incrementAndGet();
    if (SimRest.failure(response, callback, restFaults, "{\"error\":[\"EAPI:Rate limit exceeded\"]}",
        "{\"error\":[\"EService:Unavailable\"]}")) {
      return true;
    }
    Fields q = Request.extractQueryParameters(request);
    String info = q.getValue("info") == null ? "info" : q.getValue("info");
    if (!Set.of("info", "leverage", "fees", "margin").contains(info)) {
      return SimRest.json(response, callback, 200, "{\"error\":[\"EGeneral:Invalid arguments:info\"]}");
    }
    List<KrakenUniverse.Pair> selected;
    String pairParam = q.getValue("pair");
    if (pairParam == null || pairParam.isBlank()) {
      selected = referencePairs;
    } else {
      selected = new ArrayList<>();
      for (String name : pairParam.split(",")) {
        KrakenUniverse.Pair p = pairsByName.get(name.trim());
        if (p == null) {
          // the venue fails the whole request when any one name is unknown
          return SimRest.json(response, callback, 200, "{\"error\":[\"EQuery:Unknown asset pair\"]}");
        }
        selected.add(p);
      }
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.putArray("error");
    ObjectNode result = body.putObject("result");
    for (KrakenUniverse.Pair p : selected) {
      result.set(AssetPairs.key(p), AssetPairs.record(p, status(p), info));
    }
    return SimRest.json(response, callback, 200, body.toString());
  }

  // ---------------------------------------------------------------- faults and status

  @Override
  public void inject(Fault fault) {
    synchronized (lock) {
      if (!injectCommon(fault)) {
        switch (fault.kind()) {
          case MALFORMED -> each(c -> control(c, "{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"bids\":[{\"price\":"));
          case OVERSIZE -> {
            int bytes = fault.intParam("bytes", 2 * 1024 * 1024);
            String head = "{\"channel\":\"heartbeat\",\"padding\":\"";
            String tail = "\"}";
            int pad = Math.max(0, bytes - head.length() - tail.length());
            String frame = head + "x".repeat(pad) + tail;
            each(c -> control(c, frame));
          }
          case UNKNOWN_TYPE -> {
            String symbol = markets.keySet().iterator().next();
            each(c -> control(c, "{\"channel\":\"sim_undocumented\",\"type\":\"update\",\"data\":[{\"symbol\":\"" + symbol + "\"}]}"));
          }
          case BAD_CHECKSUM -> {
            String market = fault.param("market");
            if (market != null && !markets.containsKey(market)) {
              throw new IllegalArgumentException("bad_checksum: unknown market '" + market + "' (known: " + markets.keySet() + ")");
            }
            badChecksumPending = true;
            badChecksumMarket = market;
          }
          default -> throw new IllegalArgumentException("kraken simulator does not support fault " + fault.kind().name().toLowerCase());
        }
      }
      faults.merge(fault.kind(), 1L, Long::sum);
    }
    LOG.info("sim kraken: injected {} {}", fault.kind(), fault.params());
  }

  @Override
  public Map<String, Object> status() {
    synchronized (lock) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("venue", name());
      s.put("markets", markets.size());
      List<SimConnection> cs = connections();
      s.put("connections", cs.size());
      int subs = 0;
      for (SimConnection c : cs) {
        subs += ((KrakenSimConnection) c).subscriptionCount();
      }
      s.put("subscriptions", subs);
      s.put("messagesSent", dataMessages.get());
      s.put("controlMessagesSent", controlMessages.get());
      Map<String, Long> f = new LinkedHashMap<>();
      faults.forEach((k, v) -> f.put(k.name().toLowerCase(), v));
      s.put("faultsInjected", f);
      s.put("badChecksumPending", badChecksumPending);
      s.put("referencePairs", referencePairs.size());
      s.put("restRequests", restRequests.get());
      s.put("restFailuresPending", restFaults.pending());
      return s;
    }
  }

  private void each(java.util.function.Consumer<KrakenSimConnection> action) {
    for (SimConnection c : connections()) {
      if (c.open()) {
        action.accept((KrakenSimConnection) c);
      }
    }
  }

  // ---------------------------------------------------------------- protocol

  void onOpen(KrakenSimConnection c) {
    synchronized (lock) {
      // Kraken sends the engine status on connect
      control(c, "{\"channel\":\"status\",\"type\":\"update\",\"data\":[{\"version\":\"" + VERSION
          + "\",\"system\":\"online\",\"api_version\":\"v2\",\"connection_id\":" + (rng.nextLong() >>> 1) + "}]}");
    }
  }

  void onRequest(KrakenSimConnection c, String text) {
    String timeIn = Wire.now();
    JsonNode req;
    try {
      req = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      req = null;
    }
    synchronized (lock) {
      if (req == null || !req.isObject()) {
        reply(c, error(null, null, "Malformed request", timeIn, null));
        return;
      }
      JsonNode reqId = req.get("req_id");
      if (reqId != null && !reqId.canConvertToLong()) {
        reply(c, error(req.path("method").asText(null), reqId, "req_id must be an integer", timeIn, null));
        return;
      }
      String method = req.path("method").isTextual() ? req.get("method").asText() : null;
      if (method == null) {
        reply(c, error(null, reqId, "Method field is required", timeIn, null));
        return;
      }
      switch (method) {
        case "ping" -> {
          ObjectNode pong = JsonNodeFactory.instance.objectNode();
          pong.put("method", "pong");
          if (reqId != null) {
            pong.set("req_id", reqId);
          }
          pong.put("time_in", timeIn);
          pong.put("time_out", Wire.now());
          reply(c, pong);
        }
        case "subscribe", "unsubscribe" -> subscription(c, method, req.get("params"), reqId, timeIn);
        default -> reply(c, error(method, reqId, "Method not found", timeIn, null));
      }
    }
  }

  private void subscription(KrakenSimConnection c, String method, JsonNode params, JsonNode reqId, String timeIn) {
    boolean subscribe = method.equals("subscribe");
    if (params == null || !params.isObject()) {
      reply(c, error(method, reqId, "Params field is required", timeIn, null));
      return;
    }
    String channel = params.path("channel").isTextual() ? params.get("channel").asText() : null;
    if (channel == null) {
      reply(c, error(method, reqId, "Channel field is required", timeIn, null));
      return;
    }
    if (channel.equals("instrument")) {
      instrument(c, subscribe, params, reqId, timeIn);
      return;
    }
    if (!channel.equals("book") && !channel.equals("ticker") && !channel.equals("trade")) {
      reply(c, error(method, reqId, "Channel " + channel + " not found", timeIn, null));
      return;
    }
    JsonNode symbols = params.get("symbol");
    if (symbols == null || !symbols.isArray()) {
      reply(c, error(method, reqId, "Symbol field must be an array", timeIn, null));
      return;
    }
    int depth = 10;
    if (channel.equals("book") && params.has("depth")) {
      JsonNode d = params.get("depth");
      if (!d.canConvertToInt() || !DEPTHS.contains(d.asInt())) {
        reply(c, error(method, reqId, "Invalid depth " + d + ": must be one of 10, 25, 100, 500, 1000", timeIn, null));
        return;
      }
      depth = d.asInt();
    }
    String trigger = "trades";
    if (channel.equals("ticker") && params.has("event_trigger")) {
      trigger = params.get("event_trigger").asText();
      if (!trigger.equals("trades") && !trigger.equals("bbo")) {
        reply(c, error(method, reqId, "Invalid event_trigger " + trigger + ": must be bbo or trades", timeIn, null));
        return;
      }
    }
    // trade snapshots are off by default, book and ticker snapshots on
    boolean snapshot = params.path("snapshot").asBoolean(!channel.equals("trade"));
    for (JsonNode s : symbols) {
      String symbol = s.asText();
      Market m = s.isTextual() ? markets.get(symbol) : null;
      if (m == null) {
        reply(c, error(method, reqId, "Currency pair not supported " + symbol, timeIn, symbol));
        continue;
      }
      Map<String, KrakenSimConnection.Sub> bySymbol = c.subs.computeIfAbsent(channel, k -> new LinkedHashMap<>());
      KrakenSimConnection.Sub existing = bySymbol.get(symbol);
      if (subscribe) {
        if (existing != null) {
          reply(c, error(method, reqId, "Already subscribed", timeIn, symbol));
          continue;
        }
        KrakenSimConnection.Sub sub = new KrakenSimConnection.Sub(channel, symbol, depth, trigger);
        bySymbol.put(symbol, sub);
        c.heartbeats = true;
        reply(c, ack(method, reqId, timeIn, channel, symbol, depth, trigger, snapshot));
        if (snapshot) {
          snapshot(c, m, sub);
        } else if (channel.equals("book")) {
          sub.view = m.book.top(depth);
        }
      } else {
        if (existing == null) {
          reply(c, error(method, reqId, "Subscription Not Found", timeIn, symbol));
          continue;
        }
        bySymbol.remove(symbol);
        reply(c, ack(method, reqId, timeIn, channel, symbol, existing.depth, existing.eventTrigger, null));
      }
    }
  }

  private void instrument(KrakenSimConnection c, boolean subscribe, JsonNode params, JsonNode reqId, String timeIn) {
    String method = subscribe ? "subscribe" : "unsubscribe";
    if (subscribe == c.instrument) {
      reply(c, error(method, reqId, subscribe ? "Already subscribed" : "Subscription Not Found", timeIn, null));
      return;
    }
    c.instrument = subscribe;
    boolean snapshot = params.path("snapshot").asBoolean(true);
    ObjectNode ack = JsonNodeFactory.instance.objectNode();
    ack.put("method", method);
    ObjectNode result = ack.putObject("result");
    result.put("channel", "instrument");
    if (subscribe) {
      c.heartbeats = true;
      result.put("snapshot", snapshot);
    }
    ack.put("success", true);
    ack.put("time_in", timeIn);
    ack.put("time_out", Wire.now());
    if (reqId != null) {
      ack.set("req_id", reqId);
    }
    reply(c, ack);
    if (subscribe && snapshot) {
      control(c, instrumentSnapshot());
    }
  }

  private String instrumentSnapshot() {
    StringBuilder sb = new StringBuilder(256 * referencePairs.size());
    sb.append("{\"channel\":\"instrument\",\"type\":\"snapshot\",\"data\":{\"assets\":[");
    Set<String> assets = new LinkedHashSet<>();
    assets.add("USD");
    referencePairs.forEach(p -> assets.add(p.base()));
    boolean first = true;
    for (String a : assets) {
      sb.append(first ? "" : ",");
      first = false;
      sb.append("{\"id\":\"").append(a).append("\",\"status\":\"enabled\",\"precision\":")
          .append(a.equals("USD") ? 4 : 10).append(",\"precision_display\":").append(a.equals("USD") ? 2 : 5)
          .append(",\"borrowable\":").append(a.equals("USD") || a.equals("BTC"))
          .append(",\"collateral_value\":").append(a.equals("USD") || a.equals("BTC") ? "1.0" : "0.0")
          .append(",\"margin_rate\":0.02}");
    }
    sb.append("],\"pairs\":[");
    first = true;
    for (KrakenUniverse.Pair p : referencePairs) {
      sb.append(first ? "" : ",");
      first = false;
      sb.append("{\"symbol\":\"").append(p.symbol()).append("\",\"base\":\"").append(p.base())
          .append("\",\"quote\":\"").append(p.quote()).append("\",\"status\":\"").append(status(p))
          .append("\",\"qty_precision\":")
          .append(p.qtyPrecision()).append(",\"qty_increment\":").append(p.qtyIncrement().toPlainString())
          .append(",\"price_precision\":").append(p.pricePrecision())
          .append(",\"cost_precision\":").append(p.costPrecision())
          .append(",\"marginable\":").append(p.marginable())
          .append(",\"has_index\":true,\"cost_min\":").append(p.costMin().toPlainString())
          .append(",\"tick_size\":").append(p.priceIncrement().toPlainString())
          .append(",\"price_increment\":").append(p.priceIncrement().toPlainString())
          .append(",\"qty_min\":").append(p.qtyMin().toPlainString()).append('}');
    }
    return sb.append("]}}").toString();
  }

  private ObjectNode ack(String method, JsonNode reqId, String timeIn, String channel, String symbol, int depth, String trigger, Boolean snapshot) {
    ObjectNode ack = JsonNodeFactory.instance.objectNode();
    ack.put("method", method);
    ObjectNode result = ack.putObject("result");
    result.put("channel", channel);
    if (channel.equals("book")) {
      result.put("depth", depth);
    }
    if (channel.equals("ticker") && snapshot != null) {
      result.put("event_trigger", trigger);
    }
    if (snapshot != null) {
      result.put("snapshot", snapshot);
    }
    result.put("symbol", symbol);
    ack.put("success", true);
    ack.put("time_in", timeIn);
    ack.put("time_out", Wire.now());
    if (reqId != null) {
      ack.set("req_id", reqId);
    }
    return ack;
  }

  private ObjectNode error(String method, JsonNode reqId, String message, String timeIn, String symbol) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    e.put("error", message);
    if (method != null) {
      e.put("method", method);
    }
    e.put("success", false);
    if (symbol != null) {
      e.put("symbol", symbol);
    }
    e.put("time_in", timeIn);
    e.put("time_out", Wire.now());
    if (reqId != null) {
      e.set("req_id", reqId);
    }
    return e;
  }

  private void reply(KrakenSimConnection c, ObjectNode msg) {
    control(c, msg.toString());
  }

  private void control(KrakenSimConnection c, String frame) {
    controlMessages.incrementAndGet();
    c.sendControl(frame);
  }

  private void data(KrakenSimConnection c, String type, String symbol, String frame) {
    dataMessages.incrementAndGet();
    c.lastDataNanos = System.nanoTime();
    c.sendData(type, symbol, frame);
  }

  private void snapshot(KrakenSimConnection c, Market m, KrakenSimConnection.Sub sub) {
    String symbol = m.pair.symbol();
    switch (sub.channel) {
      case "book" -> {
        // a (re)subscribe always starts from a fresh snapshot: the view is replaced, never merged
        sub.view = m.book.top(sub.depth);
        long checksum = Wire.checksum(sub.view.asks, sub.view.bids, m.pair.pricePrecision(), m.pair.qtyPrecision());
        StringBuilder sb = new StringBuilder(128 + 40 * sub.depth);
        sb.append("{\"channel\":\"book\",\"type\":\"snapshot\",\"data\":[{\"symbol\":\"").append(symbol).append("\",\"bids\":");
        Wire.levels(sb, sub.view.bids.entrySet()).append(",\"asks\":");
        Wire.levels(sb, sub.view.asks.entrySet()).append(",\"checksum\":").append(checksum).append("}]}");
        data(c, "orderbook", symbol, sb.toString());
      }
      case "ticker" -> data(c, "ticker", symbol, ticker(m, "snapshot"));
      case "trade" -> {
        if (!m.recentTrades.isEmpty()) {
          data(c, "trade", symbol, "{\"channel\":\"trade\",\"type\":\"snapshot\",\"data\":[" + String.join(",", m.recentTrades) + "]}");
        }
      }
      default -> throw new IllegalStateException("no snapshot for channel " + sub.channel);
    }
  }

  private String ticker(Market m, String type) {
    Map.Entry<BigDecimal, BigDecimal> bid = m.book.bids.firstEntry();
    Map.Entry<BigDecimal, BigDecimal> ask = m.book.asks.firstEntry();
    int pp = m.pair.pricePrecision();
    BigDecimal change = m.last.subtract(m.open).setScale(pp, RoundingMode.HALF_EVEN);
    BigDecimal changePct = change.multiply(BigDecimal.valueOf(100)).divide(m.open, 2, RoundingMode.HALF_EVEN);
    BigDecimal vwap = m.volume.signum() == 0 ? m.last : m.notional.divide(m.volume, pp, RoundingMode.HALF_EVEN);
    return "{\"channel\":\"ticker\",\"type\":\"" + type + "\",\"data\":[{\"symbol\":\"" + m.pair.symbol()
        + "\",\"bid\":" + Wire.num(bid == null ? m.last : bid.getKey())
        + ",\"bid_qty\":" + Wire.num(bid == null ? BigDecimal.ZERO : bid.getValue())
        + ",\"ask\":" + Wire.num(ask == null ? m.last : ask.getKey())
        + ",\"ask_qty\":" + Wire.num(ask == null ? BigDecimal.ZERO : ask.getValue())
        + ",\"last\":" + Wire.num(m.last)
        + ",\"volume\":" + Wire.num(m.volume.setScale(m.pair.qtyPrecision(), RoundingMode.HALF_EVEN))
        + ",\"vwap\":" + Wire.num(vwap)
        + ",\"low\":" + Wire.num(m.low)
        + ",\"high\":" + Wire.num(m.high)
        + ",\"change\":" + Wire.num(change)
        + ",\"change_pct\":" + Wire.num(changePct)
        + ",\"timestamp\":\"" + Wire.now() + "\"}]}";
  }

  // ---------------------------------------------------------------- generator

  private void heartbeats() {
    long now = System.nanoTime();
    long interval = options.heartbeatInterval().toNanos();
    synchronized (lock) {
      for (SimConnection sc : connections()) {
        KrakenSimConnection c = (KrakenSimConnection) sc;
        // Kraken: about one heartbeat per second when no other data flows, after the first subscribe
        if (c.heartbeats && c.writable() && now - c.lastDataNanos >= interval) {
          c.lastDataNanos = now;
          control(c, "{\"channel\":\"heartbeat\"}");
        }
      }
    }
  }

  private void generate() {
    long now = System.nanoTime();
    synchronized (lock) {
      double seconds = (now - lastTickNanos) / 1e9;
      lastTickNanos = now;
      List<Market> active = activeMarkets();
      if (active.isEmpty()) {
        budget = 0;
        return;
      }
      budget += options.messagesPerSecond() * seconds;
      int n = (int) Math.min(budget, MAX_EVENTS_PER_TICK);
      budget -= n;
      for (int i = 0; i < n; i++) {
        Market m = active.get(rng.nextInt(active.size()));
        if (rng.nextDouble() < 0.7) {
          bookEvent(m);
        } else {
          tradeEvent(m);
        }
      }
    }
  }

  private List<Market> activeMarkets() {
    Set<String> symbols = new LinkedHashSet<>();
    for (SimConnection sc : connections()) {
      KrakenSimConnection c = (KrakenSimConnection) sc;
      if (c.writable()) {
        c.subs.values().forEach(m -> symbols.addAll(m.keySet()));
      }
    }
    List<Market> out = new ArrayList<>(symbols.size());
    for (Market m : markets.values()) {
      if (symbols.contains(m.pair.symbol())) {
        out.add(m);
      }
    }
    return out;
  }

  private void bookEvent(Market m) {
    BigDecimal bestBid = m.book.bids.isEmpty() ? null : m.book.bids.firstKey();
    BigDecimal bestAsk = m.book.asks.isEmpty() ? null : m.book.asks.firstKey();
    BigDecimal bidQty = bestBid == null ? null : m.book.bids.get(bestBid);
    BigDecimal askQty = bestAsk == null ? null : m.book.asks.get(bestAsk);
    mutate(m);
    String symbol = m.pair.symbol();
    String ts = Wire.now();
    for (SimConnection sc : connections()) {
      KrakenSimConnection c = (KrakenSimConnection) sc;
      KrakenSimConnection.Sub sub = c.sub("book", symbol);
      if (sub == null || sub.view == null || !c.writable()) {
        // an unwritable client keeps its old view, so the next diff still brings it up to date
        continue;
      }
      SimBook after = m.book.top(sub.depth);
      NavigableMap<BigDecimal, BigDecimal> bids = SimBook.diff(sub.view.bids, after.bids, sub.depth, true);
      NavigableMap<BigDecimal, BigDecimal> asks = SimBook.diff(sub.view.asks, after.asks, sub.depth, false);
      if (bids.isEmpty() && asks.isEmpty()) {
        continue;
      }
      long checksum = Wire.checksum(after.asks, after.bids, m.pair.pricePrecision(), m.pair.qtyPrecision());
      if (badChecksumPending && (badChecksumMarket == null || badChecksumMarket.equals(symbol))) {
        badChecksumPending = false;
        checksum = (checksum + 1) & 0xFFFFFFFFL;
        LOG.info("sim kraken: sending a wrong checksum on {} to connection {}", symbol, c.id());
      }
      StringBuilder sb = new StringBuilder(200);
      sb.append("{\"channel\":\"book\",\"type\":\"update\",\"data\":[{\"symbol\":\"").append(symbol).append("\",\"bids\":");
      Wire.levels(sb, bids.entrySet()).append(",\"asks\":");
      Wire.levels(sb, asks.entrySet()).append(",\"checksum\":").append(checksum)
          .append(",\"timestamp\":\"").append(ts).append("\"}]}");
      sub.view = after;
      data(c, "orderbook", symbol, sb.toString());
    }
    boolean bboChanged = !same(bestBid, m.book.bids.isEmpty() ? null : m.book.bids.firstKey())
        || !same(bestAsk, m.book.asks.isEmpty() ? null : m.book.asks.firstKey())
        || !same(bidQty, m.book.bids.isEmpty() ? null : m.book.bids.firstEntry().getValue())
        || !same(askQty, m.book.asks.isEmpty() ? null : m.book.asks.firstEntry().getValue());
    if (bboChanged) {
      tickerUpdates(m, "bbo");
    }
  }

  private static boolean same(BigDecimal a, BigDecimal b) {
    return a == null ? b == null : b != null && a.compareTo(b) == 0;
  }

  private void tickerUpdates(Market m, String trigger) {
    String frame = null;
    for (SimConnection sc : connections()) {
      KrakenSimConnection c = (KrakenSimConnection) sc;
      KrakenSimConnection.Sub sub = c.sub("ticker", m.pair.symbol());
      if (sub != null && sub.eventTrigger.equals(trigger) && c.writable()) {
        if (frame == null) {
          frame = ticker(m, "update");
        }
        data(c, "ticker", m.pair.symbol(), frame);
      }
    }
  }

  private void tradeEvent(Market m) {
    boolean buy = rng.nextBoolean();
    NavigableMap<BigDecimal, BigDecimal> hit = buy ? m.book.asks : m.book.bids;
    BigDecimal price = hit.isEmpty() ? m.last : hit.firstKey();
    BigDecimal qty = randomQty(m).divide(BigDecimal.TEN, m.pair.qtyPrecision(), RoundingMode.HALF_EVEN);
    if (qty.signum() == 0) {
      qty = m.pair.qtyIncrement();
    }
    String ordType = rng.nextInt(4) == 0 ? "limit" : "market";
    long id = ++m.tradeSeq;
    String trade = "{\"symbol\":\"" + m.pair.symbol() + "\",\"side\":\"" + (buy ? "buy" : "sell")
        + "\",\"price\":" + Wire.num(price) + ",\"qty\":" + Wire.num(qty) + ",\"ord_type\":\"" + ordType
        + "\",\"trade_id\":" + id + ",\"timestamp\":\"" + Wire.now() + "\"}";
    m.recentTrades.addLast(trade);
    if (m.recentTrades.size() > RECENT_TRADES) {
      m.recentTrades.removeFirst();
    }
    m.last = price;
    m.volume = m.volume.add(qty);
    m.notional = m.notional.add(price.multiply(qty));
    m.low = m.low.min(price);
    m.high = m.high.max(price);
    String frame = "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[" + trade + "]}";
    for (SimConnection sc : connections()) {
      KrakenSimConnection c = (KrakenSimConnection) sc;
      if (c.sub("trade", m.pair.symbol()) != null && c.writable()) {
        data(c, "trade", m.pair.symbol(), frame);
      }
    }
    tickerUpdates(m, "trades");
  }

  private void seed(Market m) {
    KrakenUniverse.Pair p = m.pair;
    BigDecimal mid = p.startPrice();
    BigDecimal bid = mid.subtract(m.tick);
    BigDecimal ask = mid.add(m.tick);
    for (int i = 0; i < options.bookLevels(); i++) {
      m.book.bids.put(bid, randomQty(m));
      m.book.asks.put(ask, randomQty(m));
      bid = bid.subtract(m.tick.multiply(BigDecimal.valueOf(1 + rng.nextInt(3))));
      ask = ask.add(m.tick.multiply(BigDecimal.valueOf(1 + rng.nextInt(3))));
    }
    m.open = mid;
    m.last = mid;
    m.volume = m.qtyScale.multiply(BigDecimal.valueOf(1000));
    m.notional = m.volume.multiply(mid);
    m.low = mid.multiply(new BigDecimal("0.98")).setScale(p.pricePrecision(), RoundingMode.HALF_EVEN);
    m.high = mid.multiply(new BigDecimal("1.02")).setScale(p.pricePrecision(), RoundingMode.HALF_EVEN);
  }

  /** A quantity at the pair's precision; often with trailing zeros, which the wire drops. */
  private BigDecimal randomQty(Market m) {
    BigDecimal q = m.qtyScale.multiply(BigDecimal.valueOf(1 + rng.nextInt(50_000))).movePointLeft(4);
    if (rng.nextInt(3) == 0) {
      q = q.setScale(1, RoundingMode.DOWN).max(BigDecimal.ONE);
    }
    return q.setScale(m.pair.qtyPrecision(), RoundingMode.HALF_EVEN);
  }

  private void mutate(Market m) {
    boolean bid = rng.nextBoolean();
    NavigableMap<BigDecimal, BigDecimal> side = m.book.side(bid);
    NavigableMap<BigDecimal, BigDecimal> other = m.book.side(!bid);
    double r = rng.nextDouble();
    if (side.isEmpty()) {
      side.put(bid ? m.last.subtract(m.tick) : m.last.add(m.tick), randomQty(m));
    } else if (r < 0.5) {
      // change the quantity of one of the best levels
      side.put(nth(side, rng.nextInt(Math.min(side.size(), 15))), randomQty(m));
    } else if (r < 0.75) {
      // add a level: sometimes improving the best price, never crossing the other side
      BigDecimal best = side.firstKey();
      int k = rng.nextInt(5) == 0 ? -1 : 1 + rng.nextInt(20);
      BigDecimal step = m.tick.multiply(BigDecimal.valueOf(k));
      BigDecimal price = bid ? best.subtract(step) : best.add(step);
      boolean crosses = !other.isEmpty() && (bid ? price.compareTo(other.firstKey()) >= 0 : price.compareTo(other.firstKey()) <= 0);
      if (price.signum() > 0 && !crosses) {
        side.put(price, randomQty(m));
        while (side.size() > options.bookLevels()) {
          side.pollLastEntry();
        }
      }
    } else if (side.size() > 10) {
      // remove one of the best levels and refill at the far end so the book keeps its size
      side.remove(nth(side, rng.nextInt(Math.min(side.size(), 15))));
      BigDecimal last = side.lastKey();
      BigDecimal step = m.tick.multiply(BigDecimal.valueOf(1 + rng.nextInt(3)));
      BigDecimal deeper = bid ? last.subtract(step) : last.add(step);
      if (deeper.signum() > 0) {
        side.put(deeper, randomQty(m));
      }
    }
  }

  private static BigDecimal nth(NavigableMap<BigDecimal, BigDecimal> side, int n) {
    int i = 0;
    for (BigDecimal k : side.keySet()) {
      if (i++ == n) {
        return k;
      }
    }
    return side.lastKey();
  }
}
