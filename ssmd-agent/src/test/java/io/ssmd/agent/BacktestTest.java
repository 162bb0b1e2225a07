package io.ssmd.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.archiver.ArchiveFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backtests over small archives written in the archiver's format. */
class BacktestTest {
  private static final LocalDate DAY = LocalDate.of(2025, 11, 23);

  @TempDir Path root;

  private void write(String feed, String file, List<String> frames, List<Double> seconds) throws IOException {
    Path dir = root.resolve(feed).resolve(DAY.toString());
    Files.createDirectories(dir);
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dir.resolve(file)))) {
      for (int i = 0; i < frames.size(); i++) {
        o.write(ArchiveFormat.encode(frames.get(i).getBytes(StandardCharsets.UTF_8), Ev.at(seconds.get(i)), i + 1));
        o.write('\n');
      }
    }
  }

  private static String kraken(String price) {
    return "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"buy\",\"price\":" + price
        + ",\"qty\":1,\"ord_type\":\"market\",\"trade_id\":1,\"timestamp\":\"2025-11-23T00:00:00.000000Z\"}]}";
  }

  private static String polymarket(String price) {
    return "{\"asset_id\":\"111\",\"event_type\":\"last_trade_price\",\"fee_rate_bps\":\"0\",\"market\":\"0xabc\",\"price\":\"" + price
        + "\",\"side\":\"BUY\",\"size\":\"10\",\"timestamp\":\"1763800000700\"}";
  }

  @Test
  void severalFeedsAreEvaluatedInReceiveTimeOrderAcrossFilesAndFeeds() throws Exception {
    write("kraken", "0000.jsonl.gz", List.of(kraken("100"), kraken("110")), List.of(0.0, 3.0));
    write("kraken", "0001.jsonl.gz", List.of(kraken("90"), "{\"channel\":\"heartbeat\"}", "{oops"), List.of(5.0, 5.5, 6.0));
    write("polymarket", "0000.jsonl.gz", List.of(polymarket("0.5"), polymarket("0.6")), List.of(1.0, 4.0));
    List<SignalDefinition> defs = SignalsFile.parse("b.yaml",
        "signals:\n  - {name: jump, kind: price_move, symbols: \"*\", window: 10s, threshold: 0.05}\n");
    List<Firing> firings = new ArrayList<>();
    Backtest.Summary s = Backtest.run(new Backtest.Options(root, DAY, List.of(), defs), firings::add, new PrometheusRegistry());
    assertThat(s.feeds()).containsExactly("kraken", "polymarket");
    assertThat(s.linesRead()).isEqualTo(7);
    assertThat(s.events()).isEqualTo(5);
    assertThat(s.rejected()).containsOnlyKeys("malformed");
    // kraken +10% at 3 s, polymarket +20% at 4 s; kraken at 90 (5 s) is still 10% from 100: no refiring
    assertThat(firings).extracting(f -> f.feed() + "@" + f.ts()).containsExactly("kraken@" + Ev.at(3), "polymarket@" + Ev.at(4));
    assertThat(s.firingsBySignal()).containsEntry("jump", 2L);
    assertThat(s.problems()).isEmpty();
  }

  @Test
  void aDayWithoutArchiveSaysWhereItLooked() {
    List<SignalDefinition> defs = SignalsFile.parse("b.yaml", "signals:\n  - {name: s, kind: stale_feed, symbols: \"*\", after: 1s}\n");
    assertThatThrownBy(() -> Backtest.run(new Backtest.Options(root, DAY, List.of(), defs), f -> { }, new PrometheusRegistry()))
        .isInstanceOf(IOException.class).hasMessageContaining("no archive for 2025-11-23 under " + root);
  }
}
