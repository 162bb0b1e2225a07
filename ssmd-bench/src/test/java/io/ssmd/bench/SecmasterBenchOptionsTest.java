package io.ssmd.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SecmasterBenchOptionsTest {

  @Test
  void defaultsQuickAndOverrides() {
    assertThat(SecmasterBenchOptions.parse().markets()).isEqualTo(100_000);
    assertThat(SecmasterBenchOptions.parse("--quick").markets()).isEqualTo(10_000);
    SecmasterBenchOptions o = SecmasterBenchOptions.parse("--markets", "50_000", "--child-heap", "384m", "--no-rss");
    assertThat(o.markets()).isEqualTo(50_000);
    assertThat(o.childHeap()).isEqualTo("384m");
    assertThat(o.rss()).isFalse();
    assertThat(o.repoRoot()).isNotNull();
  }

  @Test
  void rejectsBadValuesTogether() {
    assertThatThrownBy(() -> SecmasterBenchOptions.parse("--markets", "5", "--child-heap", "lots"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--markets")
        .hasMessageContaining("--child-heap");
    assertThatThrownBy(() -> SecmasterBenchOptions.parse("--bogus")).hasMessageContaining("unknown option --bogus");
  }
}
