package io.ssmd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.archiver.ArchiveFormat;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssmd agent backtest} in process: output, exit codes, errors. */
@Timeout(60)
class AgentCommandTest {
  private static final LocalDate DAY = LocalDate.of(2025, 11, 23);
  private static final long T0 = 1_763_856_000_000_000L;

  @TempDir Path dir;

  @RegisterExtension final ConsoleCapture cli = new ConsoleCapture();

  private void archive(String... prices) throws Exception {
    Path day = dir.resolve("data").resolve("kraken").resolve(DAY.toString());
    Files.createDirectories(day);
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(day.resolve("0000.jsonl.gz")))) {
      for (int i = 0; i < prices.length; i++) {
        String frame = "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"buy\",\"price\":" + prices[i]
            + ",\"qty\":1,\"ord_type\":\"market\",\"trade_id\":" + i + ",\"timestamp\":\"2025-11-23T00:00:00.000000Z\"}]}";
        o.write(ArchiveFormat.encode(frame.getBytes(StandardCharsets.UTF_8), T0 + i * 1_000_000L, i + 1));
        o.write('\n');
      }
    }
  }

  private Path signals(String yaml) throws Exception {
    Path f = dir.resolve("signals.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void backtestPrintsTheFiringsAsJsonLinesAndASummary() throws Exception {
    archive("100", "101", "103", "103.5");
    Path s = signals("signals:\n  - {name: jump, kind: price_move, symbols: \"kraken:BTC/USD\", window: 5s, threshold: 2, mode: abs}\n");
    int code = cli.run("agent", "backtest", "--signals", s.toString(), "--date", DAY.toString(), "--data-dir", dir.resolve("data").toString(),
        "--json");
    assertThat(code).as(cli.stderr()).isZero();
    assertThat(cli.stdout()).isEqualTo("{\"signal\":\"jump\",\"kind\":\"price_move\",\"feed\":\"kraken\",\"ticker\":\"BTC/USD\",\"ts\":"
        + (T0 + 2_000_000) + ",\"value\":\"3\",\"threshold\":\"2\",\"details\":{\"direction\":\"up\",\"from\":\"100\",\"mode\":\"abs\","
        + "\"to\":\"103\",\"window_us\":\"5000000\"}}\n");
    assertThat(cli.stderr()).startsWith("backtest 2025-11-23 kraken: 4 lines, 4 events, 1 firings (jump=1)");

    assertThat(cli.run("agent", "backtest", "--signals", s.toString(), "--date", DAY.toString(), "--data-dir",
        dir.resolve("data").toString())).isZero();
    assertThat(cli.stdout()).startsWith("2025-11-23T00:00:02Z  jump  kraken BTC/USD  value=3 threshold=2  direction=up from=100")
        .contains("backtest 2025-11-23 kraken: 4 lines, 4 events, 1 firings");
  }

  @Test
  void badInputIsAUsageErrorWithOneClearLine() throws Exception {
    archive("100");
    Path bad = signals("signals:\n  - {name: x, kind: price_move, symbols: \"*\", window: 5s, threshold: 2, colour: red}\n");
    assertThat(cli.run("agent", "backtest", "--signals", bad.toString(), "--date", DAY.toString(), "--data-dir",
        dir.resolve("data").toString())).isEqualTo(2);
    assertThat(cli.stderr()).contains(bad + ":2:").contains("signals[0].colour: unknown key 'colour' for kind price_move");
    Path ok = signals("signals:\n  - {name: x, kind: stale_feed, symbols: \"*\", after: 5s}\n");
    assertThat(cli.run("agent", "backtest", "--signals", ok.toString(), "--date", "23/11/2025")).isEqualTo(2);
    assertThat(cli.stderr()).contains("--date must be YYYY-MM-DD");
    assertThat(cli.run("agent", "backtest", "--signals", ok.toString(), "--date", DAY.toString(), "--feed", "binance")).isEqualTo(2);
    assertThat(cli.stderr()).contains("--feed must be one of kalshi, kraken, polymarket");
    assertThat(cli.run("agent", "backtest", "--signals", ok.toString(), "--date", "2020-01-01", "--data-dir", dir.toString())).isEqualTo(1);
    assertThat(cli.stderr()).contains("no archive for 2020-01-01");
  }
}
