package io.ssmd.sim.kalshi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ssmd.sim.SimConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One client of the simulated Kalshi venue: its subscriptions ({@code sid}s numbered per
 * connection from 1) and the command protocol. State is guarded by {@link KalshiSim#lock}.
 */
final class KalshiSimConnection extends SimConnection {

  /** One subscription: a channel, its markets (or all markets) and its orderbook {@code seq}. */
  static final class Sub {
    final long sid;
    final String channel;
    final Set<String> markets = new LinkedHashSet<>();
    final boolean all;
    final boolean useYesPrice;
    final boolean skipTickerAck;
    long seq;
    boolean skipNext;

    Sub(long sid, String channel, boolean all, boolean useYesPrice, boolean skipTickerAck) {
      this.sid = sid;
      this.channel = channel;
      this.all = all;
      this.useYesPrice = useYesPrice;
      this.skipTickerAck = skipTickerAck;
    }

    boolean covers(String market) {
      return all || markets.contains(market);
    }

    /** The next orderbook seq; a SKIP_SEQ fault makes it jump by two once. */
    long nextSeq() {
      seq += skipNext ? 2 : 1;
      skipNext = false;
      return seq;
    }
  }

  private final KalshiSim sim;
  private final Map<Long, Sub> subs = new LinkedHashMap<>();
  private long nextSid = 1;

  KalshiSimConnection(KalshiSim sim) {
    super(sim);
    this.sim = sim;
  }

  Collection<Sub> subs() {
    return subs.values();
  }

  @Override
  protected void closed() {
    synchronized (sim.lock) {
      subs.clear();
      sim.subscriptionsChanged();
    }
  }

  /**
   * Sends one data message on a subscription. Orderbook messages take the sid's next seq even when
   * the connection is too slow to be written to, so a skipped message shows up as a seq gap.
   */
  void deliver(Sub s, String type, String journalType, String ticker, String body) {
    boolean ob = s.channel.equals(KalshiSim.ORDERBOOK);
    long seq = ob ? s.nextSeq() : 0;
    if (!writable()) {
      return;
    }
    String frame =
        "{\"type\":\"" + type + "\",\"sid\":" + s.sid + (ob ? ",\"seq\":" + seq : "") + ",\"msg\":" + body + "}";
    sendData(journalType, ticker, frame);
  }

  @Override
  protected void onText(String message) {
    JsonNode root;
    try {
      root = KalshiSim.JSON.readTree(message);
    } catch (IOException e) {
      error(null, 1, "Unable to process message", null);
      return;
    }
    if (root == null || !root.isObject()) {
      error(null, 1, "Unable to process message", null);
      return;
    }
    Long id = root.has("id") && root.get("id").canConvertToLong() ? root.get("id").asLong() : null;
    String cmd = root.path("cmd").asText("");
    JsonNode params = root.get("params");
    synchronized (sim.lock) {
      switch (cmd) {
        case "subscribe" -> subscribe(id, params);
        case "unsubscribe" -> unsubscribe(id, params);
        case "update_subscription" -> updateSubscription(id, params);
        case "list_subscriptions" -> listSubscriptions(id);
        default -> error(id, 5, "Unknown command", null);
      }
    }
  }

  private void subscribe(Long id, JsonNode params) {
    if (params == null || !params.isObject()) {
      error(id, 2, "Params required", null);
      return;
    }
    JsonNode channels = params.get("channels");
    if (channels == null || !channels.isArray() || channels.isEmpty()) {
      error(id, 3, "Channels required", null);
      return;
    }
    if (!shardParamsValid(id, params)) {
      return;
    }
    List<String> names = new ArrayList<>();
    for (JsonNode c : channels) {
      String name = c.asText("");
      if (!KalshiSim.MARKET_CHANNELS.contains(name) && !KalshiSim.LIFECYCLE.equals(name) && !KalshiSim.QUIET_CHANNELS.contains(name)) {
        error(id, 8, "Unknown channel name", null);
        return;
      }
      names.add(name);
    }
    boolean byId = params.has("market_id") || params.has("market_ids");
    if (byId && names.stream().anyMatch(n -> !n.equals(KalshiSim.TICKER))) {
      // the market_id forms work on the ticker channel only
      error(id, 11, "Invalid parameter", null);
      return;
    }
    boolean marketsGiven = byId || params.has("market_ticker") || params.has("market_tickers");
    List<String> valid = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    resolveMarkets(params, valid, unknown);
    boolean useYesPrice = params.path("use_yes_price").asBoolean(false);
    boolean skipTickerAck = params.path("skip_ticker_ack").asBoolean(false);
    boolean initialTicker = params.path("send_initial_snapshot").asBoolean(false);

    for (String channel : names) {
      boolean marketChannel = KalshiSim.MARKET_CHANNELS.contains(channel);
      boolean all = false;
      if (marketChannel) {
        if (!marketsGiven) {
          if (channel.equals(KalshiSim.ORDERBOOK)) {
            error(id, 14, "Market Ticker required", null);
            continue;
          }
          all = true; // ticker and trade without markets stream every market
        } else if (valid.isEmpty()) {
          continue; // only unknown markets: the market-not-found errors below say so
        }
      }
      Sub s = new Sub(nextSid++, channel, all, channel.equals(KalshiSim.ORDERBOOK) && useYesPrice, skipTickerAck);
      if (marketChannel && !all) {
        s.markets.addAll(valid);
      }
      subs.put(s.sid, s);
      ObjectNode reply = KalshiSim.JSON.createObjectNode();
      if (id != null) {
        reply.put("id", id);
      }
      reply.put("type", "subscribed");
      ObjectNode msg = reply.putObject("msg");
      msg.put("channel", channel);
      msg.put("sid", s.sid);
      sendControl(KalshiSim.write(reply));
      if (channel.equals(KalshiSim.ORDERBOOK)) {
        s.markets.forEach(t -> snapshot(s, t));
      } else if (channel.equals(KalshiSim.TICKER) && initialTicker) {
        for (SimMarket m : all ? sim.markets() : valid.stream().map(sim::market).toList()) {
          deliver(s, "ticker", "ticker", m.ticker, sim.tickerBody(m));
        }
      }
    }
    unknown.forEach(t -> error(id, 16, "Market not found", t));
    sim.subscriptionsChanged();
  }

  private boolean shardParamsValid(Long id, JsonNode params) {
    JsonNode factor = params.get("shard_factor");
    JsonNode key = params.get("shard_key");
    if (factor != null) {
      if (!factor.canConvertToInt() || factor.asInt() <= 0) {
        error(id, 19, "shard_factor must be > 0", null);
        return false;
      }
      if (factor.asInt() > 100) {
        error(id, 22, "shard_factor must be <= 100", null);
        return false;
      }
    }
    if (key != null) {
      if (factor == null) {
        error(id, 20, "shard_factor required when shard_key set", null);
        return false;
      }
      if (!key.canConvertToInt() || key.asInt() < 0 || key.asInt() >= factor.asInt()) {
        error(id, 21, "shard_key must be >= 0 and < shard_factor", null);
        return false;
      }
    }
    return true;
  }

  private void resolveMarkets(JsonNode params, List<String> valid, List<String> unknown) {
    Set<String> seen = new LinkedHashSet<>();
    List<String> tickers = new ArrayList<>();
    if (params.hasNonNull("market_ticker")) {
      tickers.add(params.get("market_ticker").asText());
    }
    for (JsonNode t : params.path("market_tickers")) {
      tickers.add(t.asText());
    }
    for (String t : tickers) {
      if (seen.add(t)) {
        (sim.market(t) != null ? valid : unknown).add(t);
      }
    }
    List<String> ids = new ArrayList<>();
    if (params.hasNonNull("market_id")) {
      ids.add(params.get("market_id").asText());
    }
    for (JsonNode t : params.path("market_ids")) {
      ids.add(t.asText());
    }
    for (String marketId : ids) {
      SimMarket m = sim.marketById(marketId);
      if (m == null) {
        unknown.add(marketId);
      } else if (seen.add(m.ticker)) {
        valid.add(m.ticker);
      }
    }
  }

  private void snapshot(Sub s, String ticker) {
    SimMarket m = sim.market(ticker);
    deliver(s, "orderbook_snapshot", "orderbook", ticker, sim.snapshotBody(m, s.useYesPrice));
  }

  private void unsubscribe(Long id, JsonNode params) {
    if (params == null || !params.isObject()) {
      error(id, 2, "Params required", null);
      return;
    }
    JsonNode sids = params.get("sids");
    if (sids == null || !sids.isArray() || sids.isEmpty()) {
      error(id, 4, "Subscription IDs required", null);
      return;
    }
    for (JsonNode n : sids) {
      Sub s = n.canConvertToLong() ? subs.remove(n.asLong()) : null;
      if (s == null) {
        error(id, 7, "Unknown subscription ID", null);
        continue;
      }
      ObjectNode reply = KalshiSim.JSON.createObjectNode();
      if (id != null) {
        reply.put("id", id);
      }
      reply.put("sid", s.sid);
      reply.put("seq", s.seq);
      reply.put("type", "unsubscribed");
      sendControl(KalshiSim.write(reply));
    }
    sim.subscriptionsChanged();
  }

  private void updateSubscription(Long id, JsonNode params) {
    if (params == null || !params.isObject()) {
      error(id, 2, "Params required", null);
      return;
    }
    List<JsonNode> sidNodes = new ArrayList<>();
    if (params.has("sid")) {
      sidNodes.add(params.get("sid"));
    }
    params.path("sids").forEach(sidNodes::add);
    if (sidNodes.size() != 1 || !sidNodes.get(0).canConvertToLong()) {
      error(id, 12, "Exactly one subscription ID is required", null);
      return;
    }
    String action = params.path("action").asText("");
    if (action.isEmpty()) {
      error(id, 15, "Action required", null);
      return;
    }
    if (!action.equals("add_markets") && !action.equals("delete_markets") && !action.equals("get_snapshot")) {
      error(id, 13, "Unsupported action", null);
      return;
    }
    List<String> valid = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    resolveMarkets(params, valid, unknown);
    if (valid.isEmpty() && unknown.isEmpty()) {
      error(id, 14, "Market Ticker required", null);
      return;
    }
    Sub s = subs.get(sidNodes.get(0).asLong());
    if (s == null) {
      error(id, 7, "Unknown subscription ID", null);
      return;
    }
    if (!KalshiSim.MARKET_CHANNELS.contains(s.channel) || (action.equals("get_snapshot") && !s.channel.equals(KalshiSim.ORDERBOOK))) {
      error(id, 13, "Unsupported action", null);
      return;
    }
    List<String> fresh = new ArrayList<>();
    switch (action) {
      case "add_markets" -> {
        for (String t : valid) {
          if (!s.all && s.markets.add(t)) {
            fresh.add(t);
          }
        }
      }
      case "delete_markets" -> valid.forEach(s.markets::remove);
      default -> valid.stream().filter(s::covers).forEach(fresh::add);
    }
    ObjectNode reply = KalshiSim.JSON.createObjectNode();
    if (id != null) {
      reply.put("id", id);
    }
    reply.put("sid", s.sid);
    reply.put("seq", s.seq);
    reply.put("type", "ok");
    ObjectNode msg = reply.putObject("msg");
    if (!s.skipTickerAck) {
      ArrayNode list = msg.putArray("market_tickers");
      s.markets.forEach(list::add);
    }
    sendControl(KalshiSim.write(reply));
    if (s.channel.equals(KalshiSim.ORDERBOOK)) {
      // added markets (and get_snapshot) start with a snapshot that takes the sid's next seq
      fresh.forEach(t -> snapshot(s, t));
    }
    unknown.forEach(t -> error(id, 16, "Market not found", t));
    sim.subscriptionsChanged();
  }

  private void listSubscriptions(Long id) {
    ObjectNode reply = KalshiSim.JSON.createObjectNode();
    if (id != null) {
      reply.put("id", id);
    }
    reply.put("type", "ok");
    ArrayNode list = reply.putArray("msg");
    for (Sub s : subs.values()) {
      ObjectNode o = list.addObject();
      o.put("channel", s.channel);
      o.put("sid", s.sid);
    }
    sendControl(KalshiSim.write(reply));
  }

  private void error(Long id, int code, String text, String marketTicker) {
    ObjectNode reply = KalshiSim.JSON.createObjectNode();
    if (id != null) {
      reply.put("id", id);
    }
    reply.put("type", "error");
    ObjectNode msg = reply.putObject("msg");
    msg.put("code", code);
    msg.put("msg", text);
    if (marketTicker != null) {
      msg.put("market_ticker", marketTicker);
    }
    sendControl(KalshiSim.write(reply));
  }
}
