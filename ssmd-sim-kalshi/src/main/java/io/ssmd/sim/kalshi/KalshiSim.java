package io.ssmd.sim.kalshi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmd.sim.Fault;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimConnection;
import io.ssmd.sim.SimVenue;
import java.security.PublicKey;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated Kalshi Trade API WebSocket v2 at {@code /trade-api/ws/v2}.
 *
 * <p>Speaks the public protocol: RSA-PSS signed handshake (HTTP 401 otherwise), WebSocket ping
 * frames with body {@code heartbeat}, the {@code subscribe / unsubscribe / update_subscription /
 * list_subscriptions} commands with Kalshi's numbered errors, and the data channels {@code ticker},
 * {@code trade}, {@code orderbook_delta} (snapshot then deltas, {@code seq} per sid) and
 * {@code market_lifecycle_v2} (market and event lifecycle messages). Prices and sizes are sent
 * only as fixed-point {@code *_dollars} / {@code *_fp} strings, as Kalshi has since 2026-03-12.
 *
 * <p>Universe: markets {@code SIM-MKT-000 ..} ({@link #marketTicker}), ten per event
 * {@code SIM-EVT-00 ..} ({@link #eventTicker}).
 *
 * <p>REST: the Trade API v2 security-master endpoints under {@code /trade-api/v2} ({@code /series},
 * {@code /events}, {@code /markets} with cursor paging and filters, {@code /series/fee_changes},
 * {@code /exchange/status}) over a reference universe of {@link KalshiSimOptions#referenceUniverse()}
 * markets that includes the WebSocket ones. Tests change it with {@link #openMarket}, {@link
 * #closeMarket}, {@link #renameMarket} and {@link #addMarket}; each moves the market's {@code
 * updated_time} and sends the matching {@code market_lifecycle_v2} message. REST faults: {@link
 * #failNextRequests}, {@link #malformNextMarket}, or {@code POST /_sim/rest-fault?status=429&count=3}.
 *
 * <p>Faults: drop, abort, stall, malformed, oversize ({@code bytes}), unknown_type, and
 * {@code skip_seq} ({@code market} optional): the next orderbook message on one orderbook sid
 * skips one {@code seq} number.
 */
public final class KalshiSim extends SimVenue {
  private static final Logger LOG = LoggerFactory.getLogger(KalshiSim.class);

  /** WebSocket path of the Trade API v2 (also the signed path). */
  public static final String WS_PATH = "/trade-api/ws/v2";
  /** Markets per simulated event. */
  public static final int MARKETS_PER_EVENT = 10;

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ORDERBOOK = "orderbook_delta";
  static final String TICKER = "ticker";
  static final String TRADE = "trade";
  static final String LIFECYCLE = "market_lifecycle_v2";
  /** Channels whose data is per market and which take market tickers. */
  static final Set<String> MARKET_CHANNELS = Set.of(ORDERBOOK, TICKER, TRADE);
  /** Documented channels the simulator accepts but has no data for (private or niche). */
  static final Set<String> QUIET_CHANNELS =
      Set.of("fill", "market_positions", "communications", "order_group_updates", "user_orders", "multivariate", "multivariate_market_lifecycle");

  private static final String[] LIFECYCLE_EVENTS = {
    "activated", "close_date_updated", "deactivated", "activated", "metadata_updated", "price_level_structure_updated", "determined", "settled", "created"
  };
  private static final long TICK_MILLIS = 10;

  private final KalshiSimOptions options;
  /** Guards books, subscriptions and sends of data, so snapshots and deltas leave in book order. */
  final Object lock = new Object();
  private final List<SimMarket> markets = new ArrayList<>();
  private final Map<String, SimMarket> byTicker = new HashMap<>();
  private final Map<String, SimMarket> byId = new HashMap<>();
  private final Random rnd;
  private final Map<Fault.Kind, Long> faults = new EnumMap<>(Fault.Kind.class);
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
  private double budget;
  private long lastTickNanos;
  private long lifecycleCount;
  private int subsVersion;
  private int candidatesVersion = -1;
  private long[] candidates = new long[0];
  private final KalshiReference reference;
  private final KalshiRest rest;

  public KalshiSim(KalshiSimOptions options, Journal journal, ScheduledExecutorService scheduler) {
    super(journal, scheduler);
    this.options = options;
    this.rnd = new Random(options.seed());
    for (int i = 0; i < options.markets(); i++) {
      addWsMarket(new SimMarket(i, rnd, options.bookDepth()));
    }
    this.reference = new KalshiReference(options, Instant.now());
    this.rest = new KalshiRest(reference);
  }

  private void addWsMarket(SimMarket m) {
    m.slot = markets.size();
    markets.add(m);
    byTicker.put(m.ticker, m);
    byId.put(m.marketId, m);
  }

  /** {@code SIM-MKT-%03d}. */
  public static String marketTicker(int i) {
    return String.format("SIM-MKT-%03d", i);
  }

  /** {@code SIM-EVT-%02d}; market {@code i} belongs to event {@code i / 10}. */
  public static String eventTicker(int i) {
    return String.format("SIM-EVT-%02d", i);
  }

  /** All market tickers of the WebSocket universe, in order (markets opened or added later included). */
  public List<String> marketTickers() {
    synchronized (lock) {
      return markets.stream().map(m -> m.ticker).toList();
    }
  }

  /** Number of markets the REST reference universe serves now (grows with {@link #addMarket}). */
  public int referenceMarkets() {
    return reference.size();
  }

  // ---------------------------------------------------------------- REST and its mutations

  @Override
  public boolean handleHttp(org.eclipse.jetty.server.Request request, Response response, Callback callback) throws Exception {
    return rest.handle(request, response, callback);
  }

  /**
   * Opens a market now: status {@code active}, {@code open_time} now (and a close time in the future
   * if it had passed). It becomes subscribable over the WebSocket, and lifecycle subscribers get
   * {@code activated}.
   *
   * @throws IllegalArgumentException for a ticker outside the reference universe
   */
  public void openMarket(String ticker) {
    int i = requireMarket(ticker);
    long now = nowSeconds();
    KalshiReference.State before = reference.state(i);
    Long close = before.closeTs() > now ? null : now + 30 * 86_400L;
    KalshiReference.State m = reference.change(i, KalshiReference.ACTIVE, null, now, close, now);
    ensureWsMarket(i);
    ObjectNode o = lifecycle("activated", ticker);
    o.put("is_deactivated", false);
    o.put("open_ts", m.openTs());
    o.put("close_ts", m.closeTs());
    sendLifecycle(o, ticker);
    LOG.info("sim kalshi: opened market {}", ticker);
  }

  /**
   * Closes a market now: status {@code closed}, {@code close_time} now; lifecycle subscribers get
   * {@code deactivated}.
   *
   * @throws IllegalArgumentException for a ticker outside the reference universe
   */
  public void closeMarket(String ticker) {
    int i = requireMarket(ticker);
    long now = nowSeconds();
    reference.change(i, KalshiReference.CLOSED, null, null, now, now);
    ObjectNode o = lifecycle("deactivated", ticker);
    o.put("is_deactivated", true);
    o.put("close_ts", now);
    sendLifecycle(o, ticker);
    LOG.info("sim kalshi: closed market {}", ticker);
  }

  /**
   * Changes a market's title; lifecycle subscribers get {@code metadata_updated}.
   *
   * @throws IllegalArgumentException for a ticker outside the reference universe
   */
  public void renameMarket(String ticker, String title) {
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("title must not be blank");
    }
    int i = requireMarket(ticker);
    KalshiReference.State m = reference.change(i, null, title, null, null, nowSeconds());
    ObjectNode o = lifecycle("metadata_updated", ticker);
    ObjectNode meta = o.putObject("additional_metadata");
    meta.put("title", title);
    meta.put("event_ticker", m.eventTicker());
    sendLifecycle(o, ticker);
    LOG.info("sim kalshi: renamed market {} to {}", ticker, title);
  }

  /** Adds a market that is open now and closes in 30 days; see {@link #addMarket(String, Instant, Instant)}. */
  public String addMarket(String title) {
    Instant now = Instant.ofEpochSecond(nowSeconds());
    return addMarket(title, now, now.plusSeconds(30 * 86_400L));
  }

  /**
   * Adds a market at the next index of the reference universe (ticker {@code SIM-MKT-<index>}, in the
   * last event if it has room, else a new one); lifecycle subscribers get {@code created}. A market
   * whose open time has come is {@code active} and subscribable over the WebSocket; one opening
   * later is {@code initialized} until {@link #openMarket}.
   *
   * @return the new market's ticker
   */
  public String addMarket(String title, Instant openTime, Instant closeTime) {
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("title must not be blank");
    }
    if (!closeTime.isAfter(openTime)) {
      throw new IllegalArgumentException("closeTime must be after openTime");
    }
    long now = nowSeconds();
    KalshiReference.State m = reference.add(title, openTime.getEpochSecond(), closeTime.getEpochSecond(), now);
    if (m.status().equals(KalshiReference.ACTIVE)) {
      ensureWsMarket(m.index());
    }
    ObjectNode o = lifecycle("created", m.ticker());
    o.put("open_ts", m.openTs());
    o.put("close_ts", m.closeTs());
    o.put("price_level_structure", "linear_cent");
    ObjectNode meta = o.putObject("additional_metadata");
    meta.put("event_ticker", m.eventTicker());
    meta.put("title", title);
    meta.put("yes_sub_title", "Yes");
    meta.put("no_sub_title", "No");
    sendLifecycle(o, m.ticker());
    LOG.info("sim kalshi: added market {} ({})", m.ticker(), title);
    return m.ticker();
  }

  /**
   * The next {@code n} REST requests under {@code /trade-api/v2} fail with {@code status}: 429 (with
   * {@code Retry-After: 1}) or a 5xx such as 500 or 503.
   */
  public void failNextRequests(int n, int status) {
    rest.failNextRequests(n, status);
  }

  /** The next market record served (in any list or lookup) lacks {@code status} and has a numeric {@code close_time}. */
  public void malformNextMarket() {
    rest.malformNextMarket();
  }

  private int requireMarket(String ticker) {
    int i = reference.indexOf(ticker);
    if (i < 0) {
      throw new IllegalArgumentException("no such market in the reference universe: " + ticker);
    }
    return i;
  }

  /** Seconds, but never earlier than the universe's start, so changes always sort after generated data. */
  private long nowSeconds() {
    return Math.max(System.currentTimeMillis() / 1000, reference.t0);
  }

  /** Makes a reference market subscribable over the WebSocket (a connector adds markets that open). */
  private void ensureWsMarket(int index) {
    synchronized (lock) {
      if (!byTicker.containsKey(marketTicker(index))) {
        addWsMarket(new SimMarket(index, new Random(KalshiReference.mix(options.seed(), index)), options.bookDepth()));
        subscriptionsChanged();
      }
    }
  }

  private static ObjectNode lifecycle(String eventType, String ticker) {
    ObjectNode o = JSON.createObjectNode();
    o.put("event_type", eventType);
    o.put("market_ticker", ticker);
    return o;
  }

  private void sendLifecycle(ObjectNode o, String ticker) {
    o.put("ts_ms", System.currentTimeMillis());
    String body = write(o);
    synchronized (lock) {
      fanOutGlobal("market_lifecycle_v2", "lifecycle", ticker, body);
    }
  }

  public KalshiSimOptions options() {
    return options;
  }

  @Override
  public String name() {
    return "kalshi";
  }

  @Override
  public String wsPath() {
    return WS_PATH;
  }

  @Override
  public SimConnection accept(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
    String keyId = request.getHeaders().get(KalshiAuth.KEY_HEADER);
    String ts = request.getHeaders().get(KalshiAuth.TIMESTAMP_HEADER);
    String sig = request.getHeaders().get(KalshiAuth.SIGNATURE_HEADER);
    String refusal = refusal(keyId, ts, sig, System.currentTimeMillis());
    if (refusal != null) {
      LOG.info("sim kalshi: refused WebSocket upgrade: {}", refusal);
      Response.writeError(request, response, callback, 401, refusal);
      return null;
    }
    return new KalshiSimConnection(this);
  }

  /** Why a handshake is refused (HTTP 401), or null when its signature is good. */
  String refusal(String keyId, String ts, String sig, long nowMillis) {
    if (isBlank(keyId) || isBlank(ts) || isBlank(sig)) {
      return "authentication required: KALSHI-ACCESS-KEY, KALSHI-ACCESS-TIMESTAMP and KALSHI-ACCESS-SIGNATURE headers";
    }
    PublicKey key = options.authorizedKeys().get(keyId.trim());
    if (key == null) {
      return "unknown API key";
    }
    long t;
    try {
      t = Long.parseLong(ts.trim());
    } catch (NumberFormatException e) {
      return "KALSHI-ACCESS-TIMESTAMP must be epoch milliseconds";
    }
    if (Math.abs(nowMillis - t) > options.maxClockSkew().toMillis()) {
      return "KALSHI-ACCESS-TIMESTAMP is too far from the server clock";
    }
    if (!KalshiAuth.verify(key, KalshiAuth.message(ts.trim(), "GET", WS_PATH), sig)) {
      return "invalid signature";
    }
    return null;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  @Override
  public void start() {
    long ping = options.pingInterval().toMillis();
    tasks.add(scheduler.scheduleAtFixedRate(this::pingAll, ping, ping, TimeUnit.MILLISECONDS));
    long life = options.lifecycleInterval().toMillis();
    tasks.add(scheduler.scheduleAtFixedRate(this::lifecycleTick, life, life, TimeUnit.MILLISECONDS));
    if (options.messagesPerSecond() > 0) {
      lastTickNanos = System.nanoTime();
      tasks.add(scheduler.scheduleAtFixedRate(this::dataTick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS));
    }
  }

  @Override
  public void close() {
    tasks.forEach(t -> t.cancel(false));
    super.close();
  }

  private void pingAll() {
    // Kalshi: a WebSocket ping frame with body "heartbeat" every 10 s; clients answer with a pong
    for (SimConnection c : connections()) {
      c.sendPing("heartbeat");
    }
  }

  // ---------------------------------------------------------------- data generation

  private void dataTick() {
    try {
      long now = System.nanoTime();
      synchronized (lock) {
        double rate = options.messagesPerSecond();
        budget = Math.min(budget + rate * (now - lastTickNanos) / 1e9, rate + 1);
        lastTickNanos = now;
        int n = (int) budget;
        if (n == 0) {
          return;
        }
        budget -= n;
        long[] cands = candidates();
        if (cands.length == 0) {
          budget = 0;
          return;
        }
        for (int i = 0; i < n; i++) {
          long c = cands[rnd.nextInt(cands.length)];
          emit((int) (c >>> 32), markets.get((int) c)); // low half: the market's slot
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("sim kalshi: data generation failed: {}", e.toString());
    }
  }

  /** (channel << 32 | market) for every market some connection subscribed on a data channel. */
  private long[] candidates() {
    if (candidatesVersion == subsVersion) {
      return candidates;
    }
    Set<Long> set = new LinkedHashSet<>();
    for (KalshiSimConnection c : kalshiConnections()) {
      for (KalshiSimConnection.Sub s : c.subs()) {
        int ch = channelCode(s.channel);
        if (ch < 0) {
          continue;
        }
        if (s.all) {
          for (SimMarket m : markets) {
            set.add(((long) ch << 32) | m.slot);
          }
        } else {
          for (String t : s.markets) {
            set.add(((long) ch << 32) | byTicker.get(t).slot);
          }
        }
      }
    }
    candidates = set.stream().mapToLong(Long::longValue).toArray();
    candidatesVersion = subsVersion;
    return candidates;
  }

  private static int channelCode(String channel) {
    return switch (channel) {
      case TICKER -> 0;
      case TRADE -> 1;
      case ORDERBOOK -> 2;
      default -> -1;
    };
  }

  private void emit(int channel, SimMarket m) {
    switch (channel) {
      case 0 -> fanOut(TICKER, m, "ticker", "ticker", s -> tickerBody(m));
      case 1 -> {
        String body = tradeBody(m);
        fanOut(TRADE, m, "trade", "trade", s -> body);
      }
      default -> {
        DeltaChange d = randomDelta(m);
        m.apply(d.yes, d.cents, d.delta);
        fanOut(ORDERBOOK, m, "orderbook_delta", "orderbook", s -> deltaBody(m, d, s.useYesPrice));
      }
    }
  }

  private void fanOut(String channel, SimMarket m, String type, String journalType, Function<KalshiSimConnection.Sub, String> body) {
    for (KalshiSimConnection c : kalshiConnections()) {
      for (KalshiSimConnection.Sub s : c.subs()) {
        if (s.channel.equals(channel) && s.covers(m.ticker)) {
          c.deliver(s, type, journalType, m.ticker, body.apply(s));
        }
      }
    }
  }

  private List<KalshiSimConnection> kalshiConnections() {
    List<KalshiSimConnection> out = new ArrayList<>();
    for (SimConnection c : connections()) {
      if (c instanceof KalshiSimConnection k) {
        out.add(k);
      }
    }
    return out;
  }

  private record DeltaChange(boolean yes, int cents, long delta) {}

  private DeltaChange randomDelta(SimMarket m) {
    boolean yes = rnd.nextBoolean();
    int best = yes ? m.mid - 1 : 99 - m.mid;
    int cents = Math.max(1, best - rnd.nextInt(options.bookDepth()));
    long size = m.side(yes).getOrDefault(cents, 0L);
    long delta;
    if (size > 0 && rnd.nextInt(5) == 0) {
      delta = -size; // the level empties and disappears
    } else if (size > 100 && rnd.nextBoolean()) {
      delta = -(1 + rnd.nextInt((int) Math.min(size - 1, 100_000)));
    } else {
      // mostly whole contracts; fractional contracts exist on some markets
      delta = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(9_999) : (long) (1 + rnd.nextInt(200)) * 100;
    }
    return new DeltaChange(yes, cents, delta);
  }

  String tickerBody(SimMarket m) {
    long nowMs = System.currentTimeMillis();
    ObjectNode o = JSON.createObjectNode();
    o.put("market_ticker", m.ticker);
    o.put("market_id", m.marketId);
    o.put("price_dollars", dollars(m.lastPrice));
    o.put("yes_bid_dollars", dollars(m.bestYesBid()));
    o.put("yes_ask_dollars", dollars(m.bestYesAsk()));
    o.put("yes_bid_size_fp", count(m.yes.isEmpty() ? 0 : m.yes.firstEntry().getValue()));
    o.put("yes_ask_size_fp", count(m.no.isEmpty() ? 0 : m.no.firstEntry().getValue()));
    o.put("volume_fp", count(m.volume));
    o.put("open_interest_fp", count(m.openInterest));
    o.put("dollar_volume", m.dollarVolume / 10_000);
    o.put("dollar_open_interest", m.openInterest * m.lastPrice / 10_000);
    o.put("ts", nowMs / 1000);
    o.put("ts_ms", nowMs);
    return write(o);
  }

  private String tradeBody(SimMarket m) {
    long nowMs = System.currentTimeMillis();
    boolean takerYes = rnd.nextBoolean();
    // a YES taker lifts the best YES ask (1 - best NO bid); a NO taker hits the best YES bid
    int yesPrice = takerYes ? m.bestYesAsk() : m.bestYesBid();
    yesPrice = Math.max(1, Math.min(99, yesPrice));
    long count = (long) (1 + rnd.nextInt(50)) * 100;
    m.lastPrice = yesPrice;
    m.volume += count;
    m.openInterest += count / 2;
    m.dollarVolume += count * yesPrice;
    ObjectNode o = JSON.createObjectNode();
    o.put("trade_id", new UUID(rnd.nextLong(), rnd.nextLong()).toString());
    o.put("market_ticker", m.ticker);
    o.put("market_id", m.marketId);
    o.put("yes_price_dollars", dollars(yesPrice));
    o.put("no_price_dollars", dollars(100 - yesPrice));
    o.put("count_fp", count(count));
    o.put("taker_side", takerYes ? "yes" : "no");
    o.put("taker_outcome_side", takerYes ? "yes" : "no");
    // documented equivalence: bid = yes, ask = no
    o.put("taker_book_side", takerYes ? "bid" : "ask");
    o.put("ts", nowMs / 1000);
    o.put("ts_ms", nowMs);
    return write(o);
  }

  private String deltaBody(SimMarket m, DeltaChange d, boolean useYesPrice) {
    long nowMs = System.currentTimeMillis();
    ObjectNode o = JSON.createObjectNode();
    o.put("market_ticker", m.ticker);
    o.put("market_id", m.marketId);
    o.put("price_dollars", dollars(price(d.yes, d.cents, useYesPrice)));
    o.put("delta_fp", count(d.delta));
    o.put("side", d.yes ? "yes" : "no");
    // orderbook_delta carries ts as an RFC3339 string (unlike ticker/trade, epoch seconds)
    o.put("ts", DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(nowMs)));
    o.put("ts_ms", nowMs);
    return write(o);
  }

  String snapshotBody(SimMarket m, boolean useYesPrice) {
    ObjectNode o = JSON.createObjectNode();
    o.put("market_ticker", m.ticker);
    o.put("market_id", m.marketId);
    // an empty ladder is left out, as Kalshi does
    if (!m.yes.isEmpty()) {
      ladder(o.putArray("yes_dollars_fp"), m.yes, true, useYesPrice);
    }
    if (!m.no.isEmpty()) {
      ladder(o.putArray("no_dollars_fp"), m.no, false, useYesPrice);
    }
    return write(o);
  }

  private static void ladder(ArrayNode arr, Map<Integer, Long> side, boolean yes, boolean useYesPrice) {
    // ascending price, as the venue lists levels
    List<Map.Entry<Integer, Long>> levels = new ArrayList<>(side.entrySet());
    Collections.reverse(levels);
    for (Map.Entry<Integer, Long> e : levels) {
      ArrayNode lvl = arr.addArray();
      lvl.add(dollars(price(yes, e.getKey(), useYesPrice)));
      lvl.add(count(e.getValue()));
    }
  }

  /** With {@code use_yes_price}, NO-side levels are quoted on the YES leg (1 - p). */
  private static int price(boolean yes, int cents, boolean useYesPrice) {
    return yes || !useYesPrice ? cents : 100 - cents;
  }

  /** Kalshi {@code *_dollars}: fixed-point dollars with 4 decimals. */
  static String dollars(int cents) {
    return String.format("%d.%02d00", cents / 100, cents % 100);
  }

  /** Kalshi {@code *_fp}: fixed-point contract count with 2 decimals. */
  static String count(long hundredths) {
    return (hundredths < 0 ? "-" : "") + Math.abs(hundredths) / 100 + "." + String.format("%02d", Math.abs(hundredths) % 100);
  }

  static String write(ObjectNode o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void lifecycleTick() {
    try {
      synchronized (lock) {
        boolean any = false;
        for (KalshiSimConnection c : kalshiConnections()) {
          for (KalshiSimConnection.Sub s : c.subs()) {
            any |= s.channel.equals(LIFECYCLE);
          }
        }
        if (!any) {
          return;
        }
        lifecycleCount++;
        SimMarket m = markets.get(rnd.nextInt(markets.size()));
        if (lifecycleCount % 10 == 0) {
          String body = eventLifecycleBody(m.eventTicker);
          fanOutGlobal("event_lifecycle", "event_lifecycle", m.eventTicker, body);
        } else {
          String body = marketLifecycleBody(m);
          fanOutGlobal("market_lifecycle_v2", "lifecycle", m.ticker, body);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("sim kalshi: lifecycle generation failed: {}", e.toString());
    }
  }

  private void fanOutGlobal(String type, String journalType, String ticker, String body) {
    for (KalshiSimConnection c : kalshiConnections()) {
      for (KalshiSimConnection.Sub s : c.subs()) {
        if (s.channel.equals(LIFECYCLE)) {
          c.deliver(s, type, journalType, ticker, body);
        }
      }
    }
  }

  private String marketLifecycleBody(SimMarket m) {
    long nowMs = System.currentTimeMillis();
    long now = nowMs / 1000;
    String event = LIFECYCLE_EVENTS[m.lifecycleStep++ % LIFECYCLE_EVENTS.length];
    ObjectNode o = JSON.createObjectNode();
    o.put("event_type", event);
    o.put("market_ticker", m.ticker);
    switch (event) {
      case "created" -> {
        o.put("open_ts", now);
        o.put("close_ts", now + 86_400);
        o.put("price_level_structure", "linear_cent");
        ObjectNode meta = o.putObject("additional_metadata");
        meta.put("event_ticker", m.eventTicker);
        meta.put("title", "Simulated market " + m.index);
        meta.put("yes_sub_title", "Yes");
        meta.put("no_sub_title", "No");
      }
      case "close_date_updated" -> o.put("close_ts", now + 86_400);
      case "deactivated" -> o.put("is_deactivated", true);
      case "activated" -> o.put("is_deactivated", false);
      case "determined" -> {
        o.put("result", m.lastPrice >= 50 ? "yes" : "no");
        o.put("determination_ts", now);
      }
      case "settled" -> o.put("settled_ts", now);
      case "price_level_structure_updated" -> {
        o.put("price_level_structure", "linear_cent");
        ArrayNode ranges = o.putArray("price_ranges");
        ObjectNode r = ranges.addObject();
        r.put("start", "0.0000");
        r.put("end", "1.0000");
        r.put("step", "0.0100");
      }
      default -> {}
    }
    o.put("ts_ms", nowMs);
    return write(o);
  }

  private String eventLifecycleBody(String eventTicker) {
    ObjectNode o = JSON.createObjectNode();
    o.put("event_ticker", eventTicker);
    o.put("title", "Simulated event " + eventTicker);
    o.put("subtitle", "ssmd simulator");
    o.put("collateral_return_type", "MECNET");
    o.put("series_ticker", KalshiReference.SERIES.get(reference.seriesOf(reference.eventIndexOf(eventTicker))).ticker());
    o.put("ts_ms", System.currentTimeMillis());
    return write(o);
  }

  // ---------------------------------------------------------------- universe, for the connection

  SimMarket market(String ticker) {
    return byTicker.get(ticker);
  }

  SimMarket marketById(String id) {
    return byId.get(id);
  }

  List<SimMarket> markets() {
    return markets;
  }

  /** Subscriptions changed: the generator rebuilds its candidate list. Call under {@link #lock}. */
  void subscriptionsChanged() {
    subsVersion++;
  }

  // ---------------------------------------------------------------- faults and status

  @Override
  public void inject(Fault fault) {
    if (injectCommon(fault)) {
      count(fault.kind());
      return;
    }
    switch (fault.kind()) {
      case SKIP_SEQ -> skipSeq(fault.param("market"));
      case MALFORMED -> kalshiConnections().forEach(c -> c.sendControl("{\"type\":\"orderbook_delta\",\"sid\":1,\"msg\":{\"market_ticker\":"));
      case OVERSIZE -> {
        int bytes = fault.intParam("bytes", 2 * 1024 * 1024);
        if (bytes < 1) {
          throw new IllegalArgumentException("oversize: bytes must be >= 1, got " + bytes);
        }
        String frame = oversizeFrame(bytes);
        kalshiConnections().forEach(c -> c.sendControl(frame));
      }
      case UNKNOWN_TYPE ->
          kalshiConnections()
              .forEach(c -> c.sendControl("{\"type\":\"sim_undocumented\",\"sid\":999,\"msg\":{\"market_ticker\":\"" + marketTicker(0) + "\"}}"));
      default -> throw new IllegalArgumentException("kalshi simulator does not support fault " + fault.kind().name().toLowerCase());
    }
    count(fault.kind());
  }

  /** A well-formed frame of an undocumented type, exactly {@code bytes} long when that is at least 34. */
  static String oversizeFrame(int bytes) {
    String head = "{\"type\":\"sim_padding\",\"pad\":\"";
    String tail = "\"}";
    int pad = bytes - head.length() - tail.length();
    if (pad < 0) {
      return "x".repeat(bytes);
    }
    return head + "x".repeat(pad) + tail;
  }

  private void skipSeq(String market) {
    synchronized (lock) {
      for (KalshiSimConnection c : kalshiConnections()) {
        for (KalshiSimConnection.Sub s : c.subs()) {
          if (s.channel.equals(ORDERBOOK) && (market == null || s.covers(market))) {
            s.skipNext = true;
            LOG.info("sim kalshi: next orderbook message on sid {} of connection {} skips a seq", s.sid, c.id());
            return;
          }
        }
      }
    }
    throw new IllegalArgumentException(
        "skip_seq: no orderbook_delta subscription" + (market == null ? "" : " covering market " + market));
  }

  private void count(Fault.Kind kind) {
    synchronized (faults) {
      faults.merge(kind, 1L, Long::sum);
    }
  }

  @Override
  public Map<String, Object> status() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("venue", name());
    s.put("markets", markets.size());
    s.put("messages_per_second", options.messagesPerSecond());
    List<KalshiSimConnection> conns = kalshiConnections();
    s.put("connections", conns.size());
    int subs = 0;
    int marketSubs = 0;
    synchronized (lock) {
      for (KalshiSimConnection c : conns) {
        for (KalshiSimConnection.Sub sub : c.subs()) {
          subs++;
          marketSubs += sub.all ? markets.size() : sub.markets.size();
        }
      }
    }
    s.put("subscriptions", subs);
    s.put("market_subscriptions", marketSubs);
    s.put("messages_sent", journal().count());
    Map<String, Long> f = new LinkedHashMap<>();
    synchronized (faults) {
      faults.forEach((k, v) -> f.put(k.name().toLowerCase(), v));
    }
    s.put("faults_injected", f);
    s.putAll(rest.status());
    return s;
  }
}
