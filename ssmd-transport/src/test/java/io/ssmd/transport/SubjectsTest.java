package io.ssmd.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SubjectsTest {

  @Test
  void sanitisesTickersIntoSubjectTokens() {
    assertThat(Subjects.sanitize("BTC/USD")).isEqualTo("BTC-USD");
    assertThat(Subjects.sanitize("KXBTC-25DEC31.B100 000")).isEqualTo("KXBTC-25DEC31B100000");
    assertThat(Subjects.sanitize("a*b>c")).isEqualTo("abc");
    assertThat(Subjects.sanitize("")).isEqualTo("_");
    assertThat(Subjects.sanitize(null)).isEqualTo("_");
    assertThat(Subjects.sanitize("x".repeat(300))).hasSize(128);
  }

  @Test
  void buildsSubjectsAndStreamNames() {
    assertThat(Subjects.subject("prod", "kraken", "trade", "BTC/USD")).isEqualTo("prod.kraken.json.trade.BTC-USD");
    assertThat(Subjects.feedWildcard("prod", "kalshi")).isEqualTo("prod.kalshi.>");
    assertThat(Subjects.streamName("prod", "kalshi")).isEqualTo("PROD_KALSHI");
    assertThat(Subjects.streamName("dev-1", "poly")).isEqualTo("DEV_1_POLY");
  }

  @Test
  void matchesSingleAndMultiTokenWildcards() {
    assertThat(Subjects.matches("prod.kalshi.>", "prod.kalshi.json.trade.X")).isTrue();
    assertThat(Subjects.matches("prod.kalshi.>", "prod.kalshi")).isFalse();
    assertThat(Subjects.matches("prod.*.json.trade.*", "prod.kraken.json.trade.BTC-USD")).isTrue();
    assertThat(Subjects.matches("prod.*.json.trade.*", "prod.kraken.json.ticker.BTC-USD")).isFalse();
    assertThat(Subjects.matches("prod.*.json", "prod.kraken.json.trade")).isFalse();
    assertThat(Subjects.matches("prod.kraken.json.trade.X", "prod.kraken.json.trade.X")).isTrue();
    assertThat(Subjects.matches(">", "a")).isTrue();
  }

  @Test
  void coversComparesPatternsNotOnlySubjects() {
    assertThat(Subjects.covers("prod.kalshi.>", "prod.kalshi.json.>")).isTrue();
    assertThat(Subjects.covers("prod.kraken.>", "prod.kalshi.json.>")).isFalse();
    assertThat(Subjects.covers("prod.kalshi.json.*.*", "prod.kalshi.json.>")).isFalse();
    assertThat(Subjects.covers("prod.*.json.>", "prod.kalshi.json.trade.*")).isTrue();
    assertThat(Subjects.covers("prod.kalshi.json.trade.X", "prod.kalshi.json.trade.*")).isFalse();
    assertThat(Subjects.covers("prod.>", "prod.>")).isTrue();
    assertThat(Subjects.covers(">", "prod.>")).isTrue();
  }

  @Test
  void namesTheSecmasterAndSignalsStreamsOfAnEnvironment() {
    assertThat(Subjects.secmasterChanges("prod", "kalshi")).isEqualTo("prod.secmaster.changes.kalshi");
    assertThat(Subjects.covers(Subjects.secmasterWildcard("prod"), Subjects.secmasterChanges("prod", "kalshi"))).isTrue();
    assertThat(Subjects.secmasterStream("dev-1")).isEqualTo("DEV_1_SECMASTER");
    assertThat(Subjects.signalsWildcard("prod")).isEqualTo("prod.signals.>");
    assertThat(Subjects.signalsStream("prod")).isEqualTo("PROD_SIGNALS");
    // the feed stream {prefix}.{feed}.> never takes a change event, so it needs a stream of its own
    assertThat(Subjects.covers(Subjects.feedWildcard("prod", "kalshi"), Subjects.secmasterChanges("prod", "kalshi"))).isFalse();
  }
}
