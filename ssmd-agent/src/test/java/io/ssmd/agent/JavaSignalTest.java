package io.ssmd.agent;

import static io.ssmd.agent.Ev.trade;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ssmd.config.ConfigException;
import org.junit.jupiter.api.Test;

class JavaSignalTest {
  private static final String DECL = "signals:\n  - name: nth\n    kind: java\n    class: io.ssmd.agent.testsignals.EveryNthTrade\n"
      + "    symbols: \"*\"\n";

  @Test
  void aJavaSignalIsInstantiatedByNameWithItsParamsAndFiresThroughTheRuntime() {
    Ev.Run r = new Ev.Run(DECL + "    params: {n: 2}\n    cooldown: 0s\n");
    r.feed(trade("A", 0, "1"), trade("A", 1, "2"), trade("B", 2, "3"), trade("A", 3, "4"), trade("A", 4, "5"));
    assertThat(r.firings).extracting(Firing::ticker).containsExactly("A", "A");
    assertThat(r.firings.get(1).details()).containsEntry("price", "5");
    assertThat(r.firings.get(0).kind()).isEqualTo("java");
  }

  @Test
  void anExceptionInASignalIsCountedAndEvaluationGoesOn() {
    Ev.Run r = new Ev.Run(DECL + "    params: {n: 1}\n");
    r.feed(trade("A", 0, "-1"), trade("A", 1, "2"));
    assertThat(r.metrics.value(AgentMetrics.ERRORS, "nth")).isEqualTo(1);
    assertThat(r.firings).hasSize(1);
  }

  @Test
  void aMissingOrWrongClassOrBadParamIsAConfigErrorAtItsLine() {
    assertThatThrownBy(() -> SignalsFile.parse("s.yaml", DECL.replace("EveryNthTrade", "Nope") + "    params: {n: 2}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("s.yaml:4:12: signals[0].class: class io.ssmd.agent.testsignals.Nope is not on the classpath"
            + " (add its jar to the classpath, e.g. CLASSPATH or the launcher's lib dir)");
    assertThatThrownBy(() -> SignalsFile.parse("s.yaml", DECL.replace("EveryNthTrade", "NotASignal")))
        .hasMessageContaining("s.yaml:4:12: signals[0].class: class io.ssmd.agent.testsignals.NotASignal does not implement io.ssmd.agent.Signal");
    assertThatThrownBy(() -> SignalsFile.parse("s.yaml", DECL + "    params:\n      n: two\n"))
        .hasMessage("s.yaml:7:10: signals[0].params.n: expected a whole number, got \"two\"");
    assertThatThrownBy(() -> SignalsFile.parse("s.yaml", DECL.replace("    class: io.ssmd.agent.testsignals.EveryNthTrade\n", "")))
        .hasMessageContaining("signals[0].class: missing required key 'class' for kind java");
  }
}
