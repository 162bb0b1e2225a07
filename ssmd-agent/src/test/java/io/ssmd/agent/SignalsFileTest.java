package io.ssmd.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ssmd.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignalsFileTest {

  private static String fail(String yaml) {
    try {
      SignalsFile.parse("sig.yaml", yaml);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigException for:\n" + yaml);
  }

  @Test
  void readsEveryKeyOfADeclaration() {
    List<SignalDefinition> defs = SignalsFile.parse("sig.yaml", """
        signals:
          - name: btc_move
            kind: price_move
            symbols: [kraken:BTC/USD, "ETH/*"]
            cooldown: 30s
            max_symbols: 50
            window: 10s
            threshold: 0.01
            mode: abs
        """);
    SignalDefinition d = defs.get(0);
    assertThat(d.name()).isEqualTo("btc_move");
    assertThat(d.kind()).isEqualTo("price_move");
    assertThat(d.symbols().entries()).containsExactly("kraken:BTC/USD", "ETH/*");
    assertThat(d.cooldown()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.maxSymbols()).isEqualTo(50);
    assertThat(d.params()).containsEntry("window", "10s").containsEntry("threshold", "0.01").containsEntry("mode", "abs");
    assertThat(d.symbols().matches("kraken", "BTC/USD")).isTrue();
    assertThat(d.symbols().matches("kalshi", "BTC/USD")).isFalse();
    assertThat(d.symbols().matches("polymarket", "ETH/EUR")).isTrue();
  }

  @Test
  void anUnknownKeyIsNamedWithItsFileLineAndTheKeysTheKindAccepts() {
    assertThat(fail("""
        signals:
          - name: s
            kind: spread_above
            symbols: "*"
            threshold: 1
            treshold: 2
        """)).isEqualTo("sig.yaml:6:5: signals[0].treshold: unknown key 'treshold' for kind spread_above"
            + " (expected one of name, kind, symbols, cooldown, max_symbols, threshold)");
    assertThat(fail("signal:\n  - name: s\n")).isEqualTo("sig.yaml:1:1: signal: unknown key 'signal' (expected: signals)");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String msg = fail("""
        signals:
          - name: a
            kind: price_move
            symbols: "*"
            window: 10 seconds
            threshold: 0.1
          - name: b
            kind: flux
            symbols: "*"
          - kind: stale_feed
            after: 5s
        """);
    assertThat(msg.lines()).containsExactly(
        "sig.yaml:5:13: signals[0].window: expected a duration such as 500ms, 10s, 2m, 72h or 1d, got \"10 seconds\"",
        "sig.yaml:8:11: signals[1].kind: unknown kind 'flux' (expected one of price_move, spread_above, volume_spike,"
            + " book_imbalance, stale_feed, java)",
        "sig.yaml:10:5: signals[2].name: missing required key 'name'",
        "sig.yaml:10:5: signals[2].symbols: missing required key 'symbols' (e.g. [\"kraken:BTC/USD\"] or [\"*\"])");
  }

  @Test
  void valuesAreChecked() {
    assertThat(fail("signals:\n  - {name: s, kind: price_move, symbols: x, window: 1s}\n"))
        .isEqualTo("sig.yaml:2:5: signals[0].threshold: missing required key 'threshold' for kind price_move");
    assertThat(fail("signals:\n  - {name: s, kind: price_move, symbols: x, window: 1s, threshold: lots}\n"))
        .isEqualTo("sig.yaml:2:68: signals[0].threshold: expected a decimal number such as 0.5, got \"lots\"");
    assertThat(fail("signals:\n  - {name: s, kind: book_imbalance, symbols: x, threshold: 1}\n"))
        .contains("signals[0].threshold: expected a ratio > 1 such as 3, got 1");
    assertThat(fail("signals:\n  - {name: s, kind: stale_feed, symbols: x, after: 5s, scope: planet}\n"))
        .contains("signals[0].scope: expected one of symbol, feed, got \"planet\"");
    assertThat(fail("signals:\n  - {name: \"a.b\", kind: stale_feed, symbols: x, after: 5s}\n"))
        .contains("signals[0].name: expected 1-64 letters, digits, '_' or '-'");
    assertThat(fail("signals:\n  - {name: s, kind: stale_feed, symbols: x, after: 5s, cooldown: soon}\n"))
        .contains("signals[0].cooldown: expected a duration");
    assertThat(fail("signals:\n  - {name: s, kind: stale_feed, symbols: [], after: 5s}\n"))
        .contains("signals[0].symbols: expected at least one symbol");
    assertThat(fail("signals:\n  - {name: s, kind: stale_feed, symbols: x, after: 5s}\n  - {name: s, kind: stale_feed, symbols: y, after: 5s}\n"))
        .isEqualTo("sig.yaml:3:5: signals[1].name: duplicate signal name 's' (names must be unique)");
    assertThat(fail("signals: []\n")).contains("signals: expected at least one signal declaration");
    assertThat(fail("signals:\n  - name: s\n    name: t\n")).contains("sig.yaml:3:5: signals[0].name: duplicate key 'name'");
    assertThat(fail("signals:\n  - name: [s\n")).contains("sig.yaml:").contains("not valid YAML");
    assertThat(fail("signals:\n  - {name: s, kind: stale_feed, symbols: {a: b}, after: 5s}\n"))
        .contains("signals[0].symbols: expected a symbol or a list of symbols, got a mapping");
  }

  @Test
  void aMissingFileSaysWhatToGive(@TempDir Path dir) {
    assertThatThrownBy(() -> SignalsFile.load(dir.resolve("nope.yaml"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("no such signals file");
  }

  @Test
  void theShippedSignalFilesLoad() throws Exception {
    Path dir = Path.of("..", "exchanges", "signals");
    List<Path> files;
    try (var s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      assertThat(SignalsFile.load(f)).as(f.toString()).isNotEmpty();
    }
  }
}
