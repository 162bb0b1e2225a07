package io.ssmd.venue.polymarket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PolymarketVenueTest {

  @Test
  void isPublicWithTextPingEveryTenSecondsAndFiveHundredAssetsPerConnection() {
    PolymarketVenue v = new PolymarketVenue();
    assertThat(v.feed()).isEqualTo("polymarket");
    assertThat(v.handshakeHeaders(URI.create("wss://ws-subscriptions-clob.polymarket.com/ws/market"))).isEmpty();
    assertThat(v.maxMarketsPerConnection()).isEqualTo(500);
    assertThat(v.keepAlive().interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(v.keepAlive().textPing()).isEqualTo("PING");
  }

  @Test
  void optionsReportEveryProblem() {
    assertThatThrownBy(() -> new PolymarketVenueOptions(0, Duration.ZERO, true, 0, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxMarketsPerConnection")
        .hasMessageContaining("pingInterval")
        .hasMessageContaining("maxBookLevels")
        .hasMessageContaining("resyncMinInterval");
  }
}
