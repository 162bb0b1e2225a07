package io.ssmd.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code promtool check rules} and {@code promtool test rules} on deploy/monitoring: the alert
 * expressions are valid and each alert fires when it should and stays quiet when it should not
 * (deploy/monitoring/tests/*.yaml). Skipped with a message only when promtool is not installed
 * ({@code ./run-tests} installs it).
 */
@Timeout(60)
class PromtoolTest {
  static final Path MONITORING = Yaml.DEPLOY.resolve("monitoring");

  @BeforeAll
  static void promtoolInstalled() {
    Assumptions.assumeTrue(promtool().isPresent(),
        "promtool is not on PATH: install the prometheus package (./run-tests does) to check the alert rules");
  }

  static java.util.Optional<Path> promtool() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir, "promtool");
      if (Files.isExecutable(p)) {
        return java.util.Optional.of(p);
      }
    }
    return java.util.Optional.empty();
  }

  record Run(int exit, String output) {}

  static Run run(Path workDir, Path stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(promtool().orElseThrow().toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true);
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void ruleFileIsValid() throws Exception {
    Run r = run(MONITORING, null, "check", "rules", "prometheus-rules.yaml");
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  @Test
  void everyAlertHasUnitTestsThatPass() throws Exception {
    List<String> tests;
    try (Stream<Path> files = Files.list(MONITORING.resolve("tests"))) {
      tests = files.filter(f -> f.toString().endsWith(".yaml")).map(f -> "tests/" + f.getFileName()).sorted().toList();
    }
    assertThat(tests).isNotEmpty();
    List<String> args = new ArrayList<>(List.of("test", "rules"));
    args.addAll(tests);
    Run r = run(MONITORING, null, args.toArray(String[]::new));
    assertThat(r.exit()).as(r.output()).isZero();

    // every alert is exercised both firing and quiet
    String all = String.join("\n", tests.stream().map(t -> read(MONITORING.resolve(t))).toList());
    for (String alert : PrometheusRuleSyncTest.alertNames()) {
      assertThat(all).as("a test for " + alert).contains("alertname: " + alert);
      assertThat(all).as("a firing case for " + alert).containsPattern("alertname: " + alert + "\\n\\s+exp_alerts:\\n\\s+- exp_labels");
      assertThat(all).as("a quiet case for " + alert).containsPattern("alertname: " + alert + "\\n\\s+exp_alerts: \\[\\]");
    }
  }

  @Test
  void promtoolRejectsABrokenRuleAndAFailingExpectation() throws Exception {
    Path dir = Files.createTempDirectory("promtool");
    Files.writeString(dir.resolve("bad.yaml"), "groups:\n  - name: x\n    rules:\n      - alert: Bad\n        expr: rate(foo[5m] == 0\n");
    assertThat(run(dir, null, "check", "rules", "bad.yaml").exit()).isNotZero();
    Files.copy(MONITORING.resolve("prometheus-rules.yaml"), dir.resolve("prometheus-rules.yaml"));
    Files.writeString(dir.resolve("t.yaml"), """
        rule_files: [prometheus-rules.yaml]
        tests:
          - interval: 1m
            input_series:
              - series: 'ssmd_connector_messages_received_total{feed="kraken",namespace="ssmd"}'
                values: '0+100x30'
            alert_rule_test:
              - eval_time: 25m
                alertname: ConnectorNoData
                exp_alerts:
                  - exp_labels: {severity: critical, component: connector, namespace: ssmd, feed: kraken}
        """);
    assertThat(run(dir, null, "test", "rules", "t.yaml").exit()).as("a flowing feed must not fire ConnectorNoData").isNotZero();
    // and check metrics, used on real scrapes by MetricsScrapeIT, rejects a badly named counter
    Files.writeString(dir.resolve("bad.metrics"), "# HELP foo_count x\n# TYPE foo_count counter\nfoo_count 1\n");
    assertThat(run(dir, dir.resolve("bad.metrics"), "check", "metrics").exit()).isNotZero();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
