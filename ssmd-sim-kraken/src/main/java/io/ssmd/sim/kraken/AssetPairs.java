package io.ssmd.sim.kraken;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Kraken's REST names and the {@code GET /0/public/AssetPairs} record of a universe pair. REST
 * still speaks v1: {@code XBT} for BTC, {@code XDG} for DOGE, legacy {@code X}/{@code Z}-prefixed
 * asset codes ({@code XXBT}, {@code ZUSD}) for the oldest assets, keys like {@code XXBTZUSD}; the
 * precisions are the ones the WS {@code instrument} channel announces, so both views agree.
 */
public final class AssetPairs {

  /** v2 asset -> v1 (REST/wsname) asset where they differ. */
  private static final Map<String, String> V1 = Map.of("BTC", "XBT", "DOGE", "XDG");

  /** v1 assets that Kraken lists with a legacy X prefix (fiat gets Z). */
  private static final java.util.Set<String> LEGACY = java.util.Set.of("XBT", "ETH", "XRP", "LTC", "XDG");

  private AssetPairs() {}

  /** The v1 name of a v2 asset: {@code BTC -> XBT}, {@code DOGE -> XDG}, others unchanged. */
  public static String v1Asset(String asset) {
    return V1.getOrDefault(asset, asset);
  }

  /** The REST asset code: {@code XXBT}, {@code XETH}, {@code ZUSD}, {@code SOL}... */
  public static String restAsset(String asset) {
    String v1 = v1Asset(asset);
    if (v1.equals("USD") || v1.equals("EUR")) {
      return "Z" + v1;
    }
    return LEGACY.contains(v1) ? "X" + v1 : v1;
  }

  /** {@code XBTUSD}: the altname. */
  public static String altname(KrakenUniverse.Pair p) {
    return v1Asset(p.base()) + v1Asset(p.quote());
  }

  /** {@code XBT/USD}: the v1 WebSocket name. */
  public static String wsname(KrakenUniverse.Pair p) {
    return v1Asset(p.base()) + "/" + v1Asset(p.quote());
  }

  /**
   * The result key: legacy assets concatenate their prefixed codes ({@code XXBTZUSD}); newer ones
   * use the altname ({@code SOLUSD}); DOGE is keyed {@code XDGUSD} as on the venue.
   */
  public static String key(KrakenUniverse.Pair p) {
    String base = v1Asset(p.base());
    if (LEGACY.contains(base) && !base.equals("XDG")) {
      return restAsset(p.base()) + restAsset(p.quote());
    }
    return altname(p);
  }

  /**
   * The pair's record, restricted to one {@code info} group: {@code info} (everything),
   * {@code leverage}, {@code fees} or {@code margin}.
   */
  static ObjectNode record(KrakenUniverse.Pair p, String status, String info) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    switch (info) {
      case "leverage" -> leverage(o, p);
      case "fees" -> fees(o);
      case "margin" -> {
        o.put("margin_call", 80);
        o.put("margin_level", 40);
      }
      default -> {
        o.put("altname", altname(p));
        o.put("wsname", wsname(p));
        o.put("aclass_base", "currency");
        o.put("base", restAsset(p.base()));
        o.put("aclass_quote", "currency");
        o.put("quote", restAsset(p.quote()));
        o.put("lot", "unit");
        o.put("cost_decimals", p.costPrecision());
        o.put("pair_decimals", p.pricePrecision());
        o.put("lot_decimals", p.qtyPrecision());
        o.put("lot_multiplier", 1);
        leverage(o, p);
        fees(o);
        o.put("margin_call", 80);
        o.put("margin_stop", 40);
        o.put("ordermin", p.qtyMin().toPlainString());
        o.put("costmin", p.costMin().toPlainString());
        o.put("tick_size", p.priceIncrement().toPlainString());
        o.put("status", status);
        // a pair that cannot be traded on margin allows no position at all
        if (p.marginable()) {
          o.put("long_position_limit", 250);
          o.put("short_position_limit", 200);
        } else {
          o.put("long_position_limit", 0);
          o.put("short_position_limit", 0);
        }
      }
    }
    return o;
  }

  private static void leverage(ObjectNode o, KrakenUniverse.Pair p) {
    ArrayNode buy = o.putArray("leverage_buy");
    ArrayNode sell = o.putArray("leverage_sell");
    if (p.marginable()) {
      for (int l = 2; l <= 5; l++) {
        buy.add(l);
        sell.add(l);
      }
    }
  }

  private static void fees(ObjectNode o) {
    // Kraken's published Pro schedule: [30-day volume in USD, percent]
    String[][] taker = {{"0", "0.40"}, {"10000", "0.35"}, {"50000", "0.24"}, {"100000", "0.22"}, {"250000", "0.20"}};
    String[][] maker = {{"0", "0.25"}, {"10000", "0.20"}, {"50000", "0.14"}, {"100000", "0.12"}, {"250000", "0.10"}};
    ArrayNode fees = o.putArray("fees");
    ArrayNode makerFees = o.putArray("fees_maker");
    for (int i = 0; i < taker.length; i++) {
      fees.addArray().add(Integer.parseInt(taker[i][0])).add(new BigDecimal(taker[i][1]));
      makerFees.addArray().add(Integer.parseInt(maker[i][0])).add(new BigDecimal(maker[i][1]));
    }
    o.put("fee_volume_currency", "ZUSD");
  }
}
