package io.ssmd.secmaster.kraken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KrakenSymbolsTest {

  @Test
  void mapsV1WsnamesToV2Symbols() {
    assertThat(KrakenSymbols.v2Symbol("XBT/USD")).isEqualTo("BTC/USD");
    assertThat(KrakenSymbols.v2Symbol("XDG/EUR")).isEqualTo("DOGE/EUR");
    assertThat(KrakenSymbols.v2Symbol("ETH/XBT")).isEqualTo("ETH/BTC");
    assertThat(KrakenSymbols.v2Symbol("SOL/USD")).isEqualTo("SOL/USD");
  }

  @Test
  void rejectsNamesThatAreNotBaseSlashQuote() {
    assertThatThrownBy(() -> KrakenSymbols.v2Symbol("XBTUSD")).hasMessageContaining("BASE/QUOTE");
    assertThatThrownBy(() -> KrakenSymbols.v2Symbol("XBT/")).hasMessageContaining("BASE/QUOTE");
  }
}
