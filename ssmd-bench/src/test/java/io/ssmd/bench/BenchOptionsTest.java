package io.ssmd.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void parsesTheCommandLineOverTheQuickDefaults() {
    BenchOptions o = BenchOptions.parse("--quick", "--seconds", "5", "--rate", "20_000", "--venue", "Kraken", "--no-rss");

    assertThat(o.window()).isEqualTo(Duration.ofSeconds(5));
    assertThat(o.warmup()).isEqualTo(BenchOptions.quick().warmup());
    assertThat(o.rate()).isEqualTo(20_000);
    assertThat(o.venue()).isEqualTo("kraken");
    assertThat(o.rss()).isFalse();
    assertThat(o.markets()).isEqualTo(BenchOptions.quick().markets());
  }

  @Test
  void reportsEveryInvalidValueAtOnce() {
    assertThatThrownBy(() -> BenchOptions.parse("--seconds", "0", "--venue", "nyse", "--rate", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--seconds")
        .hasMessageContaining("--venue")
        .hasMessageContaining("--rate");
  }

  @Test
  void refusesAnUnknownOption() {
    assertThatThrownBy(() -> BenchOptions.parse("--fast")).hasMessageContaining("unknown option --fast");
  }
}
