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
 *
 * <p>Markets belong to events (Gamma's parent objects) in blocks of ten: five events of 1, 1, 2, 3
 * and 3 markets, so single- and multi-market events both occur; event {@code e} (1-based) is
 * {@link #eventOf(int)} of its markets, its markets are {@link #firstMarketOf(int)} onwards.
 */
public final class PolymarketUniverse {

  /** Upper bound on the WebSocket universe size. */
  public static final int MAX_MARKETS = 100_000;

  /** Upper bound on the reference (REST) universe; token ids stay at 67 digits. */
  public static final int MAX_REFERENCE_MARKETS = 1_000_000;

  private static final int[] EVENT_START = {0, 1, 2, 4, 7};
  private static final int[] EVENT_SIZE = {1, 1, 2, 3, 3};

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
    if (i < 1 || i > MAX_REFERENCE_MARKETS) {
      throw new IllegalArgumentException("market number must be between 1 and " + MAX_REFERENCE_MARKETS + ", got " + i);
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

  /** The event (1-based) that market {@code i} belongs to. */
  public static int eventOf(int i) {
    int block = (i - 1) / 10;
    int offset = (i - 1) % 10;
    int k = EVENT_START.length - 1;
    while (EVENT_START[k] > offset) {
      k--;
    }
    return block * EVENT_START.length + k + 1;
  }

  /** The first market of event {@code e}. */
  public static int firstMarketOf(int e) {
    int block = (e - 1) / EVENT_START.length;
    return block * 10 + EVENT_START[(e - 1) % EVENT_START.length] + 1;
  }

  /** How many markets event {@code e} has in a universe of unlimited size. */
  public static int eventSize(int e) {
    return EVENT_SIZE[(e - 1) % EVENT_SIZE.length];
  }

  /** Market number of a token id of this universe, or -1 when it is not one. */
  public static int marketOfToken(String tokenId) {
    try {
      BigInteger k = new BigInteger(tokenId).subtract(TOKEN_BASE);
      if (k.signum() <= 0 || k.compareTo(BigInteger.valueOf(2L * MAX_REFERENCE_MARKETS)) > 0) {
        return -1;
      }
      return (k.intValueExact() + 1) / 2;
    } catch (NumberFormatException | ArithmeticException e) {
      return -1;
    }
  }
}
