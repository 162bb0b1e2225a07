package io.ssmd.sim.polymarket;

import io.ssmd.sim.SimRest;
import io.ssmd.sim.RestFaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.sim.Fault;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimConnection;
import io.ssmd.sim.SimVenue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated Polymarket CLOB market channel ({@code /ws/market}, no auth), speaking the public
 * protocol: an initial {@code {"assets_ids":[..],"type":"market","initial_dump":true,
 * "custom_feature_enabled":true}} subscription, later {@code operation: subscribe|unsubscribe}
 * updates, text {@code PING}/{@code PONG} keep-alive, and the events {@code book},
 * {@code price_change}, {@code last_trade_price}, {@code best_bid_ask}, {@code tick_size_change},
 * {@code new_market} and {@code market_resolved} for the markets of {@link PolymarketUniverse}.
 *
 * <p>Each generated event is one price change (both outcome tokens, mirrored) or one trade
 * (followed, as on the venue, by fresh {@code book}s of both tokens in one JSON-array frame);
 * best-price changes add {@code best_bid_ask} frames for custom-feature clients. Faults: drop,
 * abort, stall, malformed, oversize, unknown_type and bbo_mismatch ({@code asset} or
 * {@code market} aims it).
 *
 * <p>Gamma REST: {@code GET /markets} and {@code GET /events} (nested {@code markets[]}), plus
 * {@code /markets/slug/{slug}} and {@code /events/slug/{slug}}, over the
 * {@link PolymarketSimOptions#referenceMarketCount() reference universe} with offset paging
 * ({@code limit} capped at {@value Gamma#MAX_LIMIT}, {@code offset}) and the filters {@code active},
 * {@code closed}, {@code archived}, {@code tag_id}, {@code slug}, {@code id}, {@code clob_token_ids},
 * {@code condition_ids}, {@code order}, {@code ascending}. Market {@code i} has Gamma id
 * {@code 500000+i}, event {@code e} id {@code 900000+e}. {@link #closeMarket}, {@link #openMarket},
 * {@link #addMarket} and {@link #renameMarket} change the REST view (the first three also announce
 * on the WebSocket); {@link #failNextRequests} and {@code POST /_sim/rest-fault?status=&count=}
 * make the next REST requests fail with 429 (and {@code Retry-After}) or 5xx.
 */
public final class PolymarketSim extends SimVenue {
  private static final Logger LOG = LoggerFactory.getLogger(PolymarketSim.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The venue's market-channel path. */
  public static final String WS_PATH = "/ws/market";

  /** The venue's reply to a message it does not accept (e.g. a second initial subscription). */
  static final String INVALID_OPERATION = "INVALID OPERATION";

  private static final double NEW_MARKET_SHARE = 0.01;
  private static final double TRADE_SHARE = 0.20;

  private record Token(MarketState state, boolean yes) {}

  private static final class MarketState {
    final PolymarketUniverse.Market market;
    final SimBook book = new SimBook();
    String tickSize = "0.01";
    int lastTradeYes; // ticks; 0 until the first trade
    boolean resolved;

    MarketState(PolymarketUniverse.Market market) {
      this.market = market;
    }

    String asset(boolean yes) {
      return yes ? market.yesToken() : market.noToken();
    }
  }

  /** One event (or one element of an array frame) and the asset ids it concerns. */
  private record Element(String type, String ticker, String json, Set<String> assets) {}

  private record Emission(List<Element> elements, boolean array, boolean customOnly) {}

  private record BboFault(String asset, String market) {}

  private final PolymarketSimOptions options;
  private final List<MarketState> states = new ArrayList<>();
  /** WebSocket state of markets beyond {@code options.markets()} that were opened or added; guarded by lock. */
  private final Map<Integer, MarketState> extraStates = new HashMap<>();
  private final Gamma gamma;
  private final RestFaults restFaults = new RestFaults();
  private final AtomicLong restRequests = new AtomicLong();
  private final Map<String, Token> tokens = new HashMap<>();
  /** Per asset id, subscriptions and unsubscriptions that took effect on some connection; guarded by lock. */
  private final Map<String, int[]> subscriptionOps = new HashMap<>();
  private final Random random;
  private final Object lock = new Object();
  private final Map<Fault.Kind, Long> faultsInjected = new EnumMap<>(Fault.Kind.class);
  private final List<ScheduledFuture<?>> tasks = new CopyOnWriteArrayList<>();
  private final AtomicLong events = new AtomicLong();
  private BboFault pendingBbo; // guarded by lock
  private double budget; // guarded by lock
  private long lastTickNanos;

  public PolymarketSim(PolymarketSimOptions options, Journal journal, ScheduledExecutorService scheduler) {
    super(journal, scheduler);
    this.options = options;
    this.random = new Random(options.seed());
    for (PolymarketUniverse.Market m : PolymarketUniverse.markets(options.markets())) {
      MarketState s = new MarketState(m);
      seedBook(s, new Random(options.seed() * 31 + m.index()));
      states.add(s);
      tokens.put(m.yesToken(), new Token(s, true));
      tokens.put(m.noToken(), new Token(s, false));
    }
    this.gamma = new Gamma(options.markets(), options.referenceMarketCount());
  }

  private void seedBook(MarketState s, Random r) {
    int mid = 10 + (s.market.index() * 37) % 80;
    for (int i = 0; i < options.bookDepth(); i++) {
      if (mid - 1 - i >= 1) {
        s.book.set(true, mid - 1 - i, 100 + r.nextInt(50_000));
      }
      if (mid + 1 + i <= SimBook.MAX_TICK) {
        s.book.set(false, mid + 1 + i, 100 + r.nextInt(50_000));
      }
    }
  }

  public PolymarketSimOptions options() {
    return options;
  }

  @Override
  public String name() {
    return "polymarket";
  }

  @Override
  public String wsPath() {
    return WS_PATH;
  }

  @Override
  public SimConnection accept(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
    return new PolymarketConnection(this); // the market channel is public: no auth
  }

  @Override
  public void start() {
    lastTickNanos = System.nanoTime();
    long tick = options.tickInterval().toMillis();
    tasks.add(scheduler.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS));
    long check = Math.max(10, Math.min(1000, options.pingTimeout().toMillis() / 4));
    tasks.add(scheduler.scheduleAtFixedRate(this::checkPings, check, check, TimeUnit.MILLISECONDS));
  }

  @Override
  public void close() {
    tasks.forEach(t -> t.cancel(false));
    super.close();
  }

  // ---- client messages ----

  void onClientText(PolymarketConnection c, String text) {
    String t = text.trim();
    if (t.equals("PING")) {
      c.lastPingNanos = System.nanoTime();
      c.sendControl("PONG");
      return;
    }
    JsonNode n;
    try {
      n = JSON.readTree(t);
    } catch (IOException e) {
      c.sendControl(INVALID_OPERATION);
      return;
    }
    if (n == null || !n.isObject() || !n.path("assets_ids").isArray()) {
      c.sendControl(INVALID_OPERATION);
      return;
    }
    List<String> ids = new ArrayList<>();
    n.path("assets_ids").forEach(a -> ids.add(a.asText()));
    boolean customFlag = n.path("custom_feature_enabled").asBoolean(false);
    String op = n.path("operation").asText("");
    synchronized (lock) {
      if (!op.isEmpty()) {
        if (customFlag) {
          c.custom = true;
        }
        switch (op.toLowerCase(Locale.ROOT)) {
          case "subscribe" -> subscribe(c, ids, true);
          case "unsubscribe" -> ids.forEach(id -> {
            if (c.assets.remove(id)) {
              subscriptionOps.computeIfAbsent(id, k -> new int[2])[1]++;
            }
          });
          default -> c.sendControl(INVALID_OPERATION);
        }
      } else if ("market".equalsIgnoreCase(n.path("type").asText())) {
        if (c.initialized) {
          // The venue accepts one initial subscription per socket; later changes must use "operation".
          c.sendControl(INVALID_OPERATION);
          return;
        }
        c.initialized = true;
        c.custom = customFlag;
        subscribe(c, ids, n.path("initial_dump").asBoolean(true));
      } else {
        c.sendControl(INVALID_OPERATION);
      }
    }
  }

  /** Adds asset ids; a duplicate subscription is ignored (no new book). Caller holds the lock. */
  private void subscribe(PolymarketConnection c, List<String> ids, boolean dump) {
    List<Element> books = new ArrayList<>();
    long ts = System.currentTimeMillis();
    for (String id : ids) {
      Token tk = tokens.get(id);
      if (tk == null || !c.assets.add(id)) {
        continue; // unknown token ids yield no data, as on the venue
      }
      subscriptionOps.computeIfAbsent(id, k -> new int[2])[0]++;
      if (dump) {
        books.add(bookElement(tk.state(), tk.yes(), ts));
      }
    }
    if (books.isEmpty()) {
      c.sendControl("[]");
      return;
    }
    send(c, new Emission(books, true, false));
  }

  private void checkPings() {
    long now = System.nanoTime();
    long limit = options.pingTimeout().toNanos();
    for (SimConnection sc : connections()) {
      if (sc instanceof PolymarketConnection c && now - c.lastPingNanos > limit) {
        LOG.info("sim polymarket: closing connection {}: no PING for {}", c.id(), options.pingTimeout());
        c.lastPingNanos = now; // close once
        c.close(1000, "no PING received");
      }
    }
  }

  // ---- data generation ----

  private void tick() {
    try {
      long now = System.nanoTime();
      double dt = (now - lastTickNanos) / 1e9;
      lastTickNanos = now;
      synchronized (lock) {
        List<MarketState> active = activeMarkets();
        if (active.isEmpty() || options.messagesPerSecond() == 0) {
          budget = 0;
          return;
        }
        double rate = options.messagesPerSecond();
        budget = Math.min(budget + rate * dt, Math.max(1, rate));
        while (budget >= 1) {
          budget -= 1;
          step(active.get(random.nextInt(active.size())));
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("sim polymarket: generator failed: {}", e.toString(), e);
    }
  }

  /** Unresolved markets with a token subscribed on a writable connection. Caller holds the lock. */
  private List<MarketState> activeMarkets() {
    List<MarketState> out = new ArrayList<>();
    Set<MarketState> seen = new HashSet<>();
    for (SimConnection sc : connections()) {
      if (sc instanceof PolymarketConnection c && c.writable()) {
        for (String a : c.assets) {
          MarketState s = tokens.get(a).state();
          if (!s.resolved && seen.add(s)) {
            out.add(s);
          }
        }
      }
    }
    out.sort((a, b) -> Integer.compare(a.market.index(), b.market.index()));
    return out;
  }

  private void step(MarketState s) {
    events.incrementAndGet();
    List<Emission> out = new ArrayList<>();
    double r = random.nextDouble();
    long ts = System.currentTimeMillis();
    if (r < NEW_MARKET_SHARE) {
      out.add(newMarketEmission(s, ts));
    } else if (r < NEW_MARKET_SHARE + TRADE_SHARE) {
      trade(s, ts, out);
    } else {
      priceChange(s, ts, out);
    }
    deliver(out);
  }

  private void priceChange(MarketState s, long ts, List<Emission> out) {
    SimBook b = s.book;
    int bb0 = b.bestBid();
    int ba0 = b.bestAsk();
    boolean bid = random.nextBoolean();
    int depth = options.bookDepth();
    // New levels stay on their side of the touch (never crossing) and within depth of it.
    int lo = bid ? Math.max(1, bb0 - depth + 1) : bb0 + 1;
    int hi = bid ? ba0 - 1 : Math.min(SimBook.MAX_TICK, ba0 + depth - 1);
    int p = lo + random.nextInt(hi - lo + 1);
    long size = b.size(bid, p) > 0 && b.levels(bid) > 1 && random.nextInt(4) == 0 ? 0 : 100 + random.nextInt(50_000);
    b.set(bid, p, size);
    String hash = hex(40);
    String[] yes = bbo(s, true);
    String[] no = bbo(s, false);
    List<Wire.Change> changes =
        List.of(
            new Wire.Change(s.asset(true), p, size, bid, hash, yes[0], yes[1]),
            // The No token mirrors the Yes book: a Yes bid at p is a No ask at 1-p.
            new Wire.Change(s.asset(false), 100 - p, size, !bid, hash, no[0], no[1]));
    String cond = s.market.conditionId();
    out.add(single("ticker", cond, Wire.priceChange(cond, changes, ts), Set.of(s.asset(true), s.asset(false)), false));
    afterBookChange(s, bb0, ba0, ts, out);
  }

  private void trade(MarketState s, long ts, List<Emission> out) {
    SimBook b = s.book;
    int bb0 = b.bestBid();
    int ba0 = b.bestAsk();
    boolean takerBuysYes = random.nextBoolean();
    boolean makerBid = !takerBuysYes; // a buyer lifts the best ask, a seller hits the best bid
    int p = makerBid ? bb0 : ba0;
    long level = b.size(makerBid, p);
    long qty = Math.max(1, Math.min(level, 1 + (long) (random.nextDouble() * level)));
    long rest = level - qty;
    if (rest == 0 && b.levels(makerBid) == 1) {
      rest = 100 + random.nextInt(50_000); // a new maker order refills the last level, so the book never empties
    }
    b.set(makerBid, p, rest);
    s.lastTradeYes = p;
    boolean reportYes = random.nextBoolean();
    String asset = s.asset(reportYes);
    String cond = s.market.conditionId();
    // Buying Yes at p is selling No at 1-p.
    out.add(single("trade", cond,
        Wire.lastTradePrice(asset, cond, reportYes ? p : 100 - p, reportYes == takerBuysYes, qty, ts, "0x" + hex(64)),
        Set.of(asset), false));
    // The venue sends a fresh book after a trade that changed it.
    out.add(new Emission(List.of(bookElement(s, true, ts), bookElement(s, false, ts)), true, false));
    afterBookChange(s, bb0, ba0, ts, out);
  }

  private void afterBookChange(MarketState s, int bb0, int ba0, long ts, List<Emission> out) {
    SimBook b = s.book;
    String cond = s.market.conditionId();
    if (b.bestBid() != bb0 || b.bestAsk() != ba0) {
      for (boolean yes : new boolean[] {true, false}) {
        String[] q = bbo(s, yes);
        String spread = Wire.price(b.bestAsk(yes) - b.bestBid(yes));
        out.add(single("ticker", cond, Wire.bestBidAsk(s.asset(yes), cond, q[0], q[1], spread, ts), Set.of(s.asset(yes)), true));
      }
    }
    // The venue narrows the tick to 0.001 near the extremes of the price range.
    String tick = b.bestBid() >= 96 || b.bestAsk() <= 4 ? "0.001" : "0.01";
    if (!tick.equals(s.tickSize)) {
      for (boolean yes : new boolean[] {true, false}) {
        out.add(single("lifecycle", cond, Wire.tickSizeChange(s.asset(yes), cond, s.tickSize, tick, ts), Set.of(s.asset(yes)), false));
      }
      s.tickSize = tick;
    }
  }

  /** Best bid and ask of one token as sent, or a disagreeing pair when a bbo_mismatch fault aims at it. */
  private String[] bbo(MarketState s, boolean yes) {
    int bb = s.book.bestBid(yes);
    int ba = s.book.bestAsk(yes);
    String asset = s.asset(yes);
    BboFault f = pendingBbo;
    if (f != null
        && (f.asset() == null || f.asset().equals(asset))
        && (f.market() == null || f.market().equals(s.market.conditionId()))
        && subscribedAnywhere(asset)) {
      pendingBbo = null;
      int wrong = bb > 1 ? bb - 1 : bb + 1;
      LOG.info("sim polymarket: bbo_mismatch on asset {}: best_bid {} sent as {}", asset, Wire.price(bb), Wire.price(wrong));
      bb = wrong;
    }
    return new String[] {Wire.price(bb), Wire.price(ba)};
  }

  private boolean subscribedAnywhere(String asset) {
    for (SimConnection sc : connections()) {
      if (sc instanceof PolymarketConnection c && c.writable() && c.assets.contains(asset)) {
        return true;
      }
    }
    return false;
  }

  private Element bookElement(MarketState s, boolean yes, long ts) {
    String last = s.lastTradeYes == 0 ? null : Wire.price(yes ? s.lastTradeYes : 100 - s.lastTradeYes);
    String json = Wire.book(s.asset(yes), s.market.conditionId(), s.book.side(yes, true), s.book.side(yes, false), ts,
        "0x" + hex(40), s.tickSize, last);
    return new Element("orderbook", s.market.conditionId(), json, Set.of(s.asset(yes)));
  }

  private Emission newMarketEmission(MarketState s, long ts) {
    return single("lifecycle", s.market.conditionId(), Wire.newMarket(s.market, gamma.question(s.market.index()), s.tickSize, ts),
        Set.of(s.asset(true), s.asset(false)), true);
  }

  private static Emission single(String type, String ticker, String json, Set<String> assets, boolean customOnly) {
    return new Emission(List.of(new Element(type, ticker, json, assets)), false, customOnly);
  }

  private String hex(int chars) {
    StringBuilder b = new StringBuilder(chars);
    while (b.length() < chars) {
      b.append(String.format("%016x", random.nextLong()));
    }
    return b.substring(0, chars);
  }

  /** Sends each emission to every writable connection subscribed to one of its assets. Caller holds the lock. */
  private void deliver(List<Emission> out) {
    for (SimConnection sc : connections()) {
      if (sc instanceof PolymarketConnection c && c.writable()) {
        out.forEach(e -> send(c, e));
      }
    }
  }

  private void send(PolymarketConnection c, Emission e) {
    if (e.customOnly() && !c.custom) {
      return; // best_bid_ask, new_market, market_resolved need custom_feature_enabled
    }
    List<Element> mine = new ArrayList<>(e.elements().size());
    for (Element el : e.elements()) {
      for (String a : el.assets()) {
        if (c.assets.contains(a)) {
          mine.add(el);
          break;
        }
      }
    }
    if (mine.isEmpty()) {
      return;
    }
    if (!e.array()) {
      Element el = mine.get(0);
      c.sendData(el.type(), el.ticker(), el.json());
      return;
    }
    String[] types = new String[mine.size()];
    String[] tickers = new String[mine.size()];
    String[] texts = new String[mine.size()];
    StringBuilder frame = new StringBuilder("[");
    for (int i = 0; i < mine.size(); i++) {
      types[i] = mine.get(i).type();
      tickers[i] = mine.get(i).ticker();
      texts[i] = mine.get(i).json();
      frame.append(i == 0 ? "" : ",").append(texts[i]);
    }
    c.sendDataArray(frame.append(']').toString(), types, tickers, texts);
  }

  // ---- explicit lifecycle ----

  /** Announces market {@code index} with a {@code new_market} event to custom-feature subscribers of its tokens. */
  public void announceMarket(int index) {
    synchronized (lock) {
      deliver(List.of(newMarketEmission(state(index), System.currentTimeMillis())));
    }
  }

  /**
   * Resolves market {@code index} (of the reference universe): closed in Gamma REST with prices
   * 1/0, and when it trades on the WebSocket a {@code market_resolved} event, then no more data.
   */
  public void resolveMarket(int index, boolean yesWins) {
    synchronized (lock) {
      if (!gamma.close(index, yesWins, System.currentTimeMillis())) {
        return;
      }
      MarketState s = index <= states.size() ? states.get(index - 1) : extraStates.get(index);
      if (s == null) {
        return;
      }
      s.resolved = true;
      deliver(List.of(single("lifecycle", s.market.conditionId(), Wire.marketResolved(s.market, yesWins, System.currentTimeMillis()),
          Set.of(s.asset(true), s.asset(false)), true)));
    }
    LOG.info("sim polymarket: market {} resolved {}", index, yesWins ? "Yes" : "No");
  }

  /** Closes market {@code index}: {@link #resolveMarket} with a deterministic winner (Yes for odd numbers). */
  public void closeMarket(int index) {
    resolveMarket(index, index % 2 == 1);
  }

  /**
   * Opens market {@code index}: open in Gamma REST, tradable on the WebSocket (a fresh book even
   * beyond {@code options.markets()}), and a {@code new_market} event to every custom-feature
   * connection, since nobody can be subscribed to a market yet to be announced.
   */
  public void openMarket(int index) {
    synchronized (lock) {
      gamma.open(index, System.currentTimeMillis());
      MarketState s = wsState(index);
      s.resolved = false;
      broadcastNewMarket(s);
    }
    LOG.info("sim polymarket: market {} opened", index);
  }

  /** Adds a market after the last one of the universe, open and announced as {@link #openMarket} does; returns its number. */
  public int addMarket() {
    int index;
    synchronized (lock) {
      index = gamma.add(System.currentTimeMillis());
      broadcastNewMarket(wsState(index));
    }
    LOG.info("sim polymarket: market {} added", index);
    return index;
  }

  /** Changes the question of market {@code index} in Gamma REST (the venue announces no rename on the WebSocket). */
  public void renameMarket(int index, String question) {
    gamma.rename(index, question, System.currentTimeMillis());
  }

  /**
   * How often asset {@code assetId} was subscribed and unsubscribed on any connection since start
   * (only operations that changed a connection's set count): a client that changes its
   * subscriptions incrementally leaves the other assets at one subscription and no unsubscription.
   */
  public SubscriptionOps subscriptionOps(String assetId) {
    synchronized (lock) {
      int[] ops = subscriptionOps.get(assetId);
      return ops == null ? new SubscriptionOps(0, 0) : new SubscriptionOps(ops[0], ops[1]);
    }
  }

  /** Subscriptions and unsubscriptions of one asset id ({@link #subscriptionOps}). */
  public record SubscriptionOps(int subscribes, int unsubscribes) {}

  /** Markets in the reference universe now (grows with {@link #addMarket}). */
  public int referenceMarkets() {
    return gamma.size();
  }

  /** Whether market {@code index} is closed in Gamma REST. */
  public boolean marketClosed(int index) {
    return gamma.closed(index);
  }

  /** The next {@code n} REST requests fail with {@code status} (429 with Retry-After: 1, or 5xx). */
  public void failNextRequests(int n, int status) {
    restFaults.add(n, status, 1);
  }

  /** The WebSocket state of market {@code index}, created (with its tokens) on first use. Caller holds the lock. */
  private MarketState wsState(int index) {
    if (index >= 1 && index <= states.size()) {
      return states.get(index - 1);
    }
    if (index < 1 || index > gamma.size()) {
      throw new IllegalArgumentException("market must be between 1 and " + gamma.size() + ", got " + index);
    }
    return extraStates.computeIfAbsent(index, i -> {
      MarketState s = new MarketState(PolymarketUniverse.market(i));
      seedBook(s, new Random(options.seed() * 31 + i));
      tokens.put(s.market.yesToken(), new Token(s, true));
      tokens.put(s.market.noToken(), new Token(s, false));
      return s;
    });
  }

  private void broadcastNewMarket(MarketState s) {
    String json = Wire.newMarket(s.market, gamma.question(s.market.index()), s.tickSize, System.currentTimeMillis());
    for (SimConnection sc : connections()) {
      if (sc instanceof PolymarketConnection c && c.writable() && c.custom) {
        c.sendData("lifecycle", s.market.conditionId(), json);
      }
    }
  }

  private MarketState state(int index) {
    if (index < 1 || index > states.size()) {
      MarketState extra = extraStates.get(index);
      if (extra != null) {
        return extra;
      }
      throw new IllegalArgumentException("market must be between 1 and " + states.size() + ", got " + index);
    }
    return states.get(index - 1);
  }

  // ---- Gamma REST ----

  @Override
  public boolean handleHttp(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (SimRest.faultEndpoint(path, request, response, callback, restFaults)) {
      return true;
    }
    boolean markets = path.equals("/markets");
    boolean bySlug = path.startsWith("/markets/slug/") || path.startsWith("/events/slug/");
    if (!markets && !bySlug && !path.equals("/events")) {
      return false;
    }
    restRequests.incrementAndGet();
    if (SimRest.failure(response, callback, restFaults, "{\"error\":\"Too Many Requests\"}", "{\"error\":\"Internal Server Error\"}")) {
      return true;
    }
    if (bySlug) {
      String slug = path.substring(path.lastIndexOf('/') + 1);
      String body = path.startsWith("/markets/") ? gamma.marketBySlug(slug) : gamma.eventBySlug(slug);
      return body == null ? SimRest.json(response, callback, 404, "{\"error\":\"not found\"}") : SimRest.json(response, callback, 200, body);
    }
    Map<String, List<String>> params = new HashMap<>();
    Fields q = Request.extractQueryParameters(request);
    q.forEach(f -> params.computeIfAbsent(f.getName(), k -> new ArrayList<>()).addAll(f.getValues()));
    try {
      Gamma.Query query = Gamma.query(params);
      return SimRest.json(response, callback, 200, markets ? gamma.markets(query) : gamma.events(query));
    } catch (IllegalArgumentException e) {
      return SimRest.json(response, callback, 422, "{\"error\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getMessage()) + "}");
    }
  }

  // ---- faults and status ----

  @Override
  public void inject(Fault fault) {
    if (!injectCommon(fault)) {
      switch (fault.kind()) {
        case MALFORMED -> forEachOpen(c -> c.sendControl("{\"event_type\":\"price_change\",\"market\":\"0x" + hex(8) + "\",\"price_changes\":[{\"asset_id\":"));
        case OVERSIZE -> {
          int bytes = fault.intParam("bytes", 2 * 1024 * 1024);
          String head = "{\"event_type\":\"sim_oversize\",\"padding\":\"";
          String tail = "\"}";
          String frame = head + "x".repeat(Math.max(0, bytes - head.length() - tail.length())) + tail;
          forEachOpen(c -> c.sendControl(frame));
        }
        case UNKNOWN_TYPE -> forEachOpen(c -> c.sendControl("{\"event_type\":\"sim_unannounced\",\"market\":\""
            + states.get(0).market.conditionId() + "\",\"timestamp\":\"" + System.currentTimeMillis() + "\"}"));
        case BBO_MISMATCH -> {
          String asset = fault.param("asset");
          if (asset != null && !tokens.containsKey(asset)) {
            throw new IllegalArgumentException("bbo_mismatch: unknown asset '" + asset + "'");
          }
          String market = fault.param("market");
          if (market != null && !market.startsWith("0x")) {
            market = state(Integer.parseInt(market)).market.conditionId();
          }
          synchronized (lock) {
            pendingBbo = new BboFault(asset, market);
          }
        }
        default -> throw new IllegalArgumentException("polymarket sim does not support fault " + fault.kind().name().toLowerCase(Locale.ROOT));
      }
    }
    synchronized (faultsInjected) {
      faultsInjected.merge(fault.kind(), 1L, Long::sum);
    }
    LOG.info("sim polymarket: injected {} {}", fault.kind(), fault.params());
  }

  private void forEachOpen(Consumer<SimConnection> action) {
    connections().stream().filter(SimConnection::open).forEach(action);
  }

  /** True while a bbo_mismatch fault waits for its asset's next best prices. */
  public boolean bboMismatchPending() {
    synchronized (lock) {
      return pendingBbo != null;
    }
  }

  @Override
  public Map<String, Object> status() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("venue", name());
    m.put("markets", options.markets());
    List<SimConnection> cs = connections();
    m.put("connections", cs.size());
    int subs = 0;
    synchronized (lock) {
      for (SimConnection sc : cs) {
        if (sc instanceof PolymarketConnection c) {
          subs += c.assets.size();
        }
      }
    }
    m.put("subscriptions", subs);
    m.put("events", events.get());
    m.put("messagesSent", journal().count());
    m.put("dataPaused", dataPaused());
    Map<String, Long> f = new LinkedHashMap<>();
    synchronized (faultsInjected) {
      faultsInjected.forEach((k, v) -> f.put(k.name().toLowerCase(Locale.ROOT), v));
    }
    m.put("faultsInjected", f);
    m.put("referenceMarkets", gamma.size());
    m.put("restRequests", restRequests.get());
    m.put("restFailuresPending", restFaults.pending());
    return m;
  }
}
