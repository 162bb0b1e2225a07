package io.ssmd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the capture benchmark for a few seconds per phase against a real nats-server and a separate
 * connector process. Asserts only that every figure was measured and the report prints: the
 * figures themselves are for docs/benchmarks.md, never thresholds.
 */
class CaptureBenchmarkSmokeTest {

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void quickRunMeasuresEveryFigureAndPrintsTheReport() throws Exception {
    BenchOptions options = BenchOptions.quick().withTimes(Duration.ofSeconds(1), Duration.ofSeconds(2)).withRate(2_000);

    CaptureReport report = new CaptureBenchmark(options).run();

    assertThat(report.frames()).isPositive();
    assertThat(report.avgFrameBytes()).isPositive();
    assertThat(report.rawRate()).isPositive();
    assertThat(report.natsRate()).isPositive();
    assertThat(report.memoryRate()).isPositive();
    assertThat(report.ratio()).isPositive();
    assertThat(report.latencyP50Nanos()).isPositive();
    assertThat(report.latencyP99Nanos()).isPositive();
    assertThat(report.latencyRate()).isPositive();
    assertThat(report.rssBytes()).isPositive();
    assertThat(report.childRate()).isPositive();
    String printed = report.format();
    System.out.print(printed);
    assertThat(printed)
        .contains("raw jnats publishAsync -> JetStream acked")
        .contains("sim -> connector -> NatsTransport -> JetStream")
        .contains("sim -> connector -> memory transport")
        .contains("receive -> ack latency (JetStream)")
        .contains("connector RSS");
  }
}
