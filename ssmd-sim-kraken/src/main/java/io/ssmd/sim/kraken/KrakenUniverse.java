package io.ssmd.sim.kraken;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's deterministic market universe, so example configs can name markets:
 * {@code BTC/USD, ETH/USD, SOL/USD, XRP/USD, ADA/USD, DOT/USD, LTC/USD, LINK/USD, DOGE/USD,
 * AVAX/USD}, then {@code SIM1/USD}, {@code SIM2/USD}, ... when more are asked for. Precisions are
 * Kraken's (BTC/USD: price 1 decimal, qty 8 decimals), prices are of a realistic magnitude.
 */
public final class KrakenUniverse {

  /**
   * One pair as the {@code instrument} channel describes it.
   *
   * @param startPrice the mid price the simulated book starts around
   */
  public record Pair(
      String symbol,
      String base,
      String quote,
      int pricePrecision,
      int qtyPrecision,
      int costPrecision,
      BigDecimal qtyMin,
      BigDecimal costMin,
      boolean marginable,
      BigDecimal startPrice) {

    /** Smallest price step: 10^-pricePrecision. */
    public BigDecimal priceIncrement() {
      return BigDecimal.ONE.movePointLeft(pricePrecision);
    }

    /** Smallest quantity step: 10^-qtyPrecision. */
    public BigDecimal qtyIncrement() {
      return BigDecimal.ONE.movePointLeft(qtyPrecision);
    }
  }

  private static final List<Pair> NAMED =
      List.of(
          pair("BTC", 1, 8, 5, "0.0001", "0.5", true, "65000.0"),
          pair("ETH", 2, 8, 5, "0.002", "0.5", true, "3500.00"),
          pair("SOL", 2, 8, 5, "0.02", "0.5", true, "150.00"),
          pair("XRP", 5, 8, 5, "2", "0.5", true, "0.60000"),
          pair("ADA", 6, 8, 5, "5", "0.5", true, "0.450000"),
          pair("DOT", 4, 8, 5, "0.5", "0.5", true, "7.0000"),
          pair("LTC", 2, 8, 5, "0.05", "0.5", true, "80.00"),
          pair("LINK", 5, 8, 5, "0.2", "0.5", true, "15.00000"),
          pair("DOGE", 7, 8, 5, "20", "0.5", true, "0.1500000"),
          pair("AVAX", 2, 8, 5, "0.1", "0.5", true, "30.00"));

  private KrakenUniverse() {}

  private static Pair pair(String base, int pp, int qp, int cp, String qtyMin, String costMin, boolean marginable, String price) {
    return new Pair(base + "/USD", base, "USD", pp, qp, cp, new BigDecimal(qtyMin), new BigDecimal(costMin), marginable, new BigDecimal(price));
  }

  /** The first {@code n} pairs of the universe. */
  public static List<Pair> pairs(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("pair count must be >= 0, got " + n);
    }
    List<Pair> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(pair(i));
    }
    return out;
  }

  /** The i-th pair (0-based). Synthetic pairs quote with 4 price decimals around 10 + i. */
  public static Pair pair(int i) {
    if (i < NAMED.size()) {
      return NAMED.get(i);
    }
    int n = i - NAMED.size() + 1;
    String base = "SIM" + n;
    return new Pair(
        base + "/USD", base, "USD", 4, 8, 5, new BigDecimal("1"), new BigDecimal("0.5"), false,
        BigDecimal.valueOf(10 + n).setScale(4));
  }

  /** The symbols of the first {@code n} pairs. */
  public static List<String> symbols(int n) {
    return pairs(n).stream().map(Pair::symbol).toList();
  }
}
