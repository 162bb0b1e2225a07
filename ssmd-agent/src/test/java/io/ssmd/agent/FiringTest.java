package io.ssmd.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiringTest {
  @Test
  void jsonIsStableAndTheSubjectSanitised() {
    Firing f = new Firing("btc_move", "price_move", "kraken", "BTC/USD", 1_763_856_000_123_456L, new BigDecimal("0.0123"),
        new BigDecimal("1E-2"), Map.of("to", "2", "from", "1"));
    assertThat(f.toJson()).isEqualTo("{\"signal\":\"btc_move\",\"kind\":\"price_move\",\"feed\":\"kraken\",\"ticker\":\"BTC/USD\","
        + "\"ts\":1763856000123456,\"value\":\"0.0123\",\"threshold\":\"0.01\",\"details\":{\"from\":\"1\",\"to\":\"2\"}}");
    assertThat(f.subject("prod")).isEqualTo("prod.signals.btc_move.BTC-USD");
    assertThat(f.msgId()).isEqualTo("sig-btc_move-kraken-BTC-USD-1763856000123456");
    assertThat(Firing.wildcard("kraken-sim")).isEqualTo("kraken-sim.signals.>");
  }
}
