package io.ssmd.sim.polymarket;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Renders Polymarket market-channel events. Every id and number is sim-generated, so no escaping is needed. */
final class Wire {
  private Wire() {}

  /** Ticks of 0.01 as the venue writes prices: {@code "0.48"}, {@code "0.5"}, {@code "1"}, {@code "0"}. */
  static String price(int ticks) {
    return BigDecimal.valueOf(ticks, 2).stripTrailingZeros().toPlainString();
  }

  /** Hundredths of a share as a decimal string: {@code "125.5"}, {@code "30"}. */
  static String size(long hundredths) {
    return BigDecimal.valueOf(hundredths, 2).stripTrailingZeros().toPlainString();
  }

  static String book(String asset, String market, Map<Integer, Long> bids, Map<Integer, Long> asks, long ts, String hash,
      String tickSize, String lastTradePrice) {
    StringBuilder b = new StringBuilder(256);
    b.append("{\"event_type\":\"book\",\"asset_id\":\"").append(asset).append("\",\"market\":\"").append(market).append("\",\"bids\":");
    levels(b, bids);
    b.append(",\"asks\":");
    levels(b, asks);
    b.append(",\"timestamp\":\"").append(ts).append("\",\"hash\":\"").append(hash).append('"');
    b.append(",\"tick_size\":\"").append(tickSize).append('"');
    if (lastTradePrice != null) {
      b.append(",\"last_trade_price\":\"").append(lastTradePrice).append('"');
    }
    return b.append('}').toString();
  }

  private static void levels(StringBuilder b, Map<Integer, Long> side) {
    b.append('[');
    boolean first = true;
    for (Map.Entry<Integer, Long> e : side.entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      b.append("{\"price\":\"").append(price(e.getKey())).append("\",\"size\":\"").append(size(e.getValue())).append("\"}");
    }
    b.append(']');
  }

  /** One entry of a {@code price_change}'s {@code price_changes} array. */
  record Change(String asset, int price, long size, boolean buy, String hash, String bestBid, String bestAsk) {}

  static String priceChange(String market, List<Change> changes, long ts) {
    StringBuilder b = new StringBuilder(256);
    b.append("{\"market\":\"").append(market).append("\",\"price_changes\":[");
    for (int i = 0; i < changes.size(); i++) {
      Change c = changes.get(i);
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"asset_id\":\"").append(c.asset()).append("\",\"price\":\"").append(price(c.price()))
          .append("\",\"size\":\"").append(size(c.size())).append("\",\"side\":\"").append(c.buy() ? "BUY" : "SELL")
          .append("\",\"hash\":\"").append(c.hash()).append("\",\"best_bid\":\"").append(c.bestBid())
          .append("\",\"best_ask\":\"").append(c.bestAsk()).append("\"}");
    }
    return b.append("],\"timestamp\":\"").append(ts).append("\",\"event_type\":\"price_change\"}").toString();
  }

  static String lastTradePrice(String asset, String market, int price, boolean buy, long size, long ts, String txHash) {
    return "{\"asset_id\":\"" + asset + "\",\"event_type\":\"last_trade_price\",\"fee_rate_bps\":\"0\",\"market\":\"" + market
        + "\",\"price\":\"" + price(price) + "\",\"side\":\"" + (buy ? "BUY" : "SELL") + "\",\"size\":\"" + size(size)
        + "\",\"timestamp\":\"" + ts + "\",\"transaction_hash\":\"" + txHash + "\"}";
  }

  static String bestBidAsk(String asset, String market, String bestBid, String bestAsk, String spread, long ts) {
    return "{\"event_type\":\"best_bid_ask\",\"market\":\"" + market + "\",\"asset_id\":\"" + asset + "\",\"best_bid\":\"" + bestBid
        + "\",\"best_ask\":\"" + bestAsk + "\",\"spread\":\"" + spread + "\",\"timestamp\":\"" + ts + "\"}";
  }

  static String tickSizeChange(String asset, String market, String oldTick, String newTick, long ts) {
    return "{\"event_type\":\"tick_size_change\",\"asset_id\":\"" + asset + "\",\"market\":\"" + market + "\",\"old_tick_size\":\""
        + oldTick + "\",\"new_tick_size\":\"" + newTick + "\",\"timestamp\":\"" + ts + "\"}";
  }

  /** A JSON string literal, escaped (questions can be renamed to any text). */
  private static String text(String t) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(t).toString();
  }

  private static String eventMessage(PolymarketUniverse.Market m) {
    // the parent event as Gamma REST lists it (PolymarketUniverse groups markets into events)
    int e = PolymarketUniverse.eventOf(m.index());
    return "{\"id\":\"" + (900_000 + e) + "\",\"ticker\":\"ssmd-sim-event-" + e + "\",\"slug\":\"ssmd-sim-event-" + e
        + "\",\"title\":\"Simulated event " + e + "\",\"description\":\"A simulated event.\"}";
  }

  static String newMarket(PolymarketUniverse.Market m, String question, String tickSize, long ts) {
    String tokens = "[\"" + m.yesToken() + "\",\"" + m.noToken() + "\"]";
    return "{\"id\":\"" + (500_000 + m.index()) + "\",\"question\":" + text(question) + ",\"market\":\"" + m.conditionId()
        + "\",\"slug\":\"" + m.slug() + "\",\"description\":\"Resolves Yes if simulated event " + m.index()
        + " happens.\",\"assets_ids\":" + tokens + ",\"clob_token_ids\":" + tokens + ",\"outcomes\":[\"Yes\",\"No\"],\"event_message\":"
        + eventMessage(m) + ",\"timestamp\":\"" + ts + "\",\"event_type\":\"new_market\",\"tags\":[\"simulated\"],\"condition_id\":\""
        + m.conditionId() + "\",\"active\":true,\"sports_market_type\":\"\",\"line\":\"\",\"game_start_time\":\"\""
        + ",\"order_price_min_tick_size\":\"" + tickSize + "\",\"fee_schedule\":null,\"fees_enabled\":false,\"taker_base_fee\":\"0\""
        + ",\"group_item_title\":\"\"}";
  }

  static String marketResolved(PolymarketUniverse.Market m, boolean yesWins, long ts) {
    return "{\"id\":\"" + (500_000 + m.index()) + "\",\"market\":\"" + m.conditionId() + "\",\"assets_ids\":[\"" + m.yesToken() + "\",\""
        + m.noToken() + "\"],\"winning_asset_id\":\"" + (yesWins ? m.yesToken() : m.noToken()) + "\",\"winning_outcome\":\""
        + (yesWins ? "Yes" : "No") + "\",\"event_message\":" + eventMessage(m) + ",\"timestamp\":\"" + ts
        + "\",\"tags\":[\"simulated\"],\"event_type\":\"market_resolved\"}";
  }
}
