package io.ssmd.sim.kraken;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import java.util.NavigableMap;
import org.junit.jupiter.api.Test;

class SimBookTest {

  private static BigDecimal d(String s) {
    return new BigDecimal(s);
  }

  @Test
  void diffLeavesOutLevelsThatOnlyFallBelowAFullDepth() {
    SimBook before = new SimBook();
    before.bids.put(d("10.0"), d("1"));
    before.bids.put(d("9.0"), d("1"));
    SimBook after = new SimBook();
    after.bids.put(d("10.5"), d("2"));
    after.bids.put(d("10.0"), d("1"));
    NavigableMap<BigDecimal, BigDecimal> changes = SimBook.diff(before.bids, after.bids, 2, true);
    // 9.0 left the top 2 because 10.5 arrived: no qty 0, the client truncates
    assertThat(changes).containsExactly(Map.entry(d("10.5"), d("2")));
  }

  @Test
  void diffSendsQtyZeroForLevelsRemovedInsideTheDepth() {
    SimBook before = new SimBook();
    before.asks.put(d("10.0"), d("1"));
    before.asks.put(d("11.0"), d("1"));
    SimBook after = new SimBook();
    after.asks.put(d("11.0"), d("3"));
    NavigableMap<BigDecimal, BigDecimal> changes = SimBook.diff(before.asks, after.asks, 10, false);
    assertThat(changes).containsExactly(Map.entry(d("10.0"), BigDecimal.ZERO), Map.entry(d("11.0"), d("3")));
  }

  @Test
  void checksumFormatsWithPrecisionRemovesDotAndLeadingZeros() {
    SimBook b = new SimBook();
    b.asks.put(d("45285.2"), d("0.001"));
    b.bids.put(d("45283.5"), d("0.5"));
    long expected = crc("452852" + "100000" + "452835" + "50000000");
    assertThat(Wire.checksum(b.asks, b.bids, 1, 8)).isEqualTo(expected);
  }

  @Test
  void wireNumbersDropTrailingZerosAndNeverUseExponents() {
    assertThat(Wire.num(d("0.00000010"))).isEqualTo("0.0000001");
    assertThat(Wire.num(d("740.00000000"))).isEqualTo("740");
    assertThat(Wire.num(d("65000.0"))).isEqualTo("65000");
  }

  @Test
  void universeStartsWithTheNamedPairsThenSynthetic() {
    assertThat(KrakenUniverse.symbols(12)).startsWith("BTC/USD", "ETH/USD").endsWith("AVAX/USD", "SIM1/USD", "SIM2/USD");
    assertThat(KrakenUniverse.pair(0).pricePrecision()).isEqualTo(1);
    assertThat(KrakenUniverse.pair(0).qtyPrecision()).isEqualTo(8);
  }

  static long crc(String s) {
    java.util.zip.CRC32 c = new java.util.zip.CRC32();
    c.update(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return c.getValue();
  }
}
