package io.ssmd.secmaster.kraken;

import java.util.Map;

/**
 * Kraken v1 to v2 naming. REST {@code AssetPairs} still names pairs the v1 way ({@code wsname}
 * {@code XBT/USD}); the v2 WebSocket API, and therefore the capture subjects, use {@code BTC/USD}.
 */
public final class KrakenSymbols {

  /** The v1 asset codes that differ in v2; every other code is the same in both. */
  private static final Map<String, String> V1_TO_V2 = Map.of("XBT", "BTC", "XDG", "DOGE");

  private KrakenSymbols() {}

  /** The v2 code of a v1 asset code: XBT to BTC, XDG to DOGE, anything else unchanged. */
  public static String v2Asset(String v1) {
    return V1_TO_V2.getOrDefault(v1, v1);
  }

  /** The v2 symbol of a v1 wsname, e.g. {@code XBT/USD} to {@code BTC/USD}, {@code XDG/EUR} to {@code DOGE/EUR}. */
  public static String v2Symbol(String wsname) {
    int slash = wsname.indexOf('/');
    if (slash <= 0 || slash == wsname.length() - 1 || wsname.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException("wsname must look like BASE/QUOTE, got '" + wsname + "'");
    }
    return v2Asset(wsname.substring(0, slash)) + "/" + v2Asset(wsname.substring(slash + 1));
  }
}
