package io.ssmd.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorOptionsTest {

  @Test
  void defaultsAreValid() {
    ConnectorOptions options = ConnectorOptions.builder("prod", URI.create("wss://venue.example/ws")).build();
    assertThat(options.pongTimeout()).isEqualTo(ConnectorOptions.DEFAULT_PONG_TIMEOUT);
    assertThat(options.podShardCount()).isEqualTo(1);
    assertThat(options.ownsMarket("ANY")).isTrue();
  }

  @Test
  void reportsEveryProblemAtOnceNamingTheField() {
    assertThatThrownBy(() -> ConnectorOptions.builder("prod.x", URI.create("http://venue.example"))
            .pongTimeout(Duration.ZERO)
            .backoff(Duration.ofSeconds(10), Duration.ofSeconds(1))
            .subscribe(0, Duration.ofMillis(-1))
            .podShard(3, 2)
            .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("env: 'prod.x' is not a valid subject token")
        .hasMessageContaining("endpoint: 'http://venue.example' must use the ws:// or wss:// scheme")
        .hasMessageContaining("pongTimeout: must be a positive duration")
        .hasMessageContaining("backoffMax: must be >= backoffMin")
        .hasMessageContaining("subscribeBatch: must be >= 1")
        .hasMessageContaining("subscribePace")
        .hasMessageContaining("podShardIndex: must be between 0 and podShardCount - 1 (1), got 3");
  }

  @Test
  void podShardsPartitionMarketsStablyAndCompletely() {
    ConnectorOptions pod0 = ConnectorOptions.builder("prod", URI.create("ws://h/ws")).podShard(0, 3).build();
    ConnectorOptions pod1 = ConnectorOptions.builder("prod", URI.create("ws://h/ws")).podShard(1, 3).build();
    ConnectorOptions pod2 = ConnectorOptions.builder("prod", URI.create("ws://h/ws")).podShard(2, 3).build();
    Map<Integer, Integer> perPod = new HashMap<>();
    for (int i = 0; i < 3000; i++) {
      String market = "KXMARKET-" + i;
      int owners = (pod0.ownsMarket(market) ? 1 : 0) + (pod1.ownsMarket(market) ? 1 : 0) + (pod2.ownsMarket(market) ? 1 : 0);
      assertThat(owners).as(market).isEqualTo(1);
      perPod.merge(pod0.ownsMarket(market) ? 0 : pod1.ownsMarket(market) ? 1 : 2, 1, Integer::sum);
    }
    assertThat(perPod.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
    // FNV-1a of "a" is a published test vector: pods on any machine agree.
    assertThat(ConnectorOptions.stableHash("a")).isEqualTo(0xe40c292c);
  }
}
