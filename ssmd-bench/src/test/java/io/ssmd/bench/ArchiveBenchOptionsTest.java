package io.ssmd.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArchiveBenchOptionsTest {

  @Test
  void parsesEveryOptionOverTheDefaults() {
    ArchiveBenchOptions o = ArchiveBenchOptions.parse(
        "--messages", "200_000", "--export-messages", "1,000,000", "--batch", "1000", "--venue", "Kraken", "--no-rss");

    assertThat(o.messages()).isEqualTo(200_000);
    assertThat(o.exportMessages()).isEqualTo(1_000_000);
    assertThat(o.batchSize()).isEqualTo(1000);
    assertThat(o.venue()).isEqualTo("kraken");
    assertThat(o.rss()).isFalse();
  }

  @Test
  void quickIsSmallerThanTheDefaultsAndStillTakesOverrides() {
    ArchiveBenchOptions quick = ArchiveBenchOptions.parse("--quick");
    ArchiveBenchOptions full = ArchiveBenchOptions.parse();

    assertThat(quick.messages()).isLessThan(full.messages());
    assertThat(full.messages()).isEqualTo(500_000);
    assertThat(full.exportMessages()).isEqualTo(1_000_000);
    assertThat(ArchiveBenchOptions.parse("--quick", "--messages", "20000").messages()).isEqualTo(20_000);
  }

  @Test
  void reportsEveryBadValueAtOnce() {
    assertThatThrownBy(() -> ArchiveBenchOptions.parse("--messages", "10", "--venue", "nyse", "--batch", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--messages")
        .hasMessageContaining("--venue")
        .hasMessageContaining("--batch");
  }

  @Test
  void distinctFramesNeverExceedTheMessages() {
    assertThat(ArchiveBenchOptions.quick().withSizes(5_000, 30_000, 10_000).sampleFrames()).isEqualTo(5_000);
  }
}
