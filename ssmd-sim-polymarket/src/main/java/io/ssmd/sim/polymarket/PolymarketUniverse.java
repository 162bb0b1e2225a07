package io.ssmd.sim.polymarket;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The deterministic market universe of the simulator, so example configs and tests can name
 * markets. Market {@code i} (1-based) is a binary market with a Yes token {@code 10^66 + (2i-1)}
 * and a No token {@code 10^66 + 2i} (67-digit decimal strings, like real CLOB token ids) and a
 * condition id {@code 0x} + the SHA-256 hex of {@code "ssmd-sim-polymarket-market-" + i}.
 */
public final class PolymarketUniverse {

  /** Upper bound on the universe size (keeps token ids at 67 digits). */
  public static final int MAX_MARKETS = 100_000;

  private static final BigInteger TOKEN_BASE = BigInteger.TEN.pow(66);

  /**
   * One simulated binary market.
   *
   * @param index 1-based market number
   * @param conditionId {@code 0x} + 64 hex: the {@code market} field of every event
   * @param yesToken asset id of the Yes outcome
   * @param noToken asset id of the No outcome
   */
  public record Market(int index, String conditionId, String yesToken, String noToken) {
    public String slug() {
      return "ssmd-sim-market-" + index;
    }

    public String question() {
      return "Will simulated event " + index + " happen?";
    }

    public List<String> tokens() {
      return List.of(yesToken, noToken);
    }
  }

  private PolymarketUniverse() {}

  /** Asset id of token {@code k} (1-based): {@code 10^66 + k}. */
  public static String tokenId(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("token number must be >= 1, got " + k);
    }
    return TOKEN_BASE.add(BigInteger.valueOf(k)).toString();
  }

  /** Condition id of market {@code i} (1-based). */
  public static String conditionId(int i) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(("ssmd-sim-polymarket-market-" + i).getBytes(StandardCharsets.UTF_8));
      return "0x" + HexFormat.of().formatHex(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }

  /** Market {@code i} (1-based). */
  public static Market market(int i) {
    if (i < 1 || i > MAX_MARKETS) {
      throw new IllegalArgumentException("market number must be between 1 and " + MAX_MARKETS + ", got " + i);
    }
    return new Market(i, conditionId(i), tokenId(2 * i - 1), tokenId(2 * i));
  }

  /** Markets 1..n. */
  public static List<Market> markets(int n) {
    List<Market> out = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      out.add(market(i));
    }
    return out;
  }

  /** Every asset id of markets 1..n, Yes then No per market. */
  public static List<String> assetIds(int n) {
    List<String> out = new ArrayList<>(2 * n);
    for (Market m : markets(n)) {
      out.addAll(m.tokens());
    }
    return out;
  }
}
