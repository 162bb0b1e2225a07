package io.ssmd.sim.polymarket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PolymarketUniverseTest {

  @Test
  void marketsHaveTwoSixtySevenDigitTokensAndAHexConditionId() {
    PolymarketUniverse.Market m = PolymarketUniverse.market(3);
    assertThat(m.yesToken()).hasSize(67).startsWith("1").endsWith("005");
    assertThat(m.noToken()).hasSize(67).endsWith("006");
    assertThat(m.conditionId()).matches("0x[0-9a-f]{64}");
    assertThat(PolymarketUniverse.market(3)).isEqualTo(m);
    assertThat(PolymarketUniverse.conditionId(4)).isNotEqualTo(m.conditionId());
    assertThat(PolymarketUniverse.assetIds(2)).containsExactly(
        PolymarketUniverse.tokenId(1), PolymarketUniverse.tokenId(2), PolymarketUniverse.tokenId(3), PolymarketUniverse.tokenId(4));
  }

  @Test
  void optionsReportEveryProblemAtOnce() {
    assertThatThrownBy(() -> new PolymarketSimOptions(0, -1, 1, Duration.ZERO, Duration.ofMillis(5), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("markets")
        .hasMessageContaining("messagesPerSecond")
        .hasMessageContaining("pingTimeout")
        .hasMessageContaining("bookDepth");
    assertThat(PolymarketSimOptions.defaults().markets()).isEqualTo(5);
  }
}
