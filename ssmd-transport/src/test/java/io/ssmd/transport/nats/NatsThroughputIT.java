package io.ssmd.transport.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.ssmd.testkit.NatsServerProcess;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.nats.NatsTestSupport.Recorder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints msgs/s of NatsTransport against raw jnats {@code publishAsync} with the same 1 KB frames,
 * headers and in-flight window, to report a figure. Asserts completeness only, never timing: the
 * benchmark module owns performance numbers. Each side runs twice and the second (warm) run counts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NatsThroughputIT {
  private static final Logger LOG = LoggerFactory.getLogger(NatsThroughputIT.class);
  private static final int N = 40_000;
  private static final int WINDOW = 1024;
  private static final byte[] FRAME = new byte[1024];

  @Test
  void measuresTransportAgainstRawPublishAsync() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.start();
        StreamAdmin admin = StreamAdmin.connect(nats.url())) {
      admin.apply(NatsTestSupport.spec("BENCH_RAW", "bench.raw.>"), false);
      admin.apply(NatsTestSupport.spec("BENCH_SSMD", "bench.ssmd.>"), false);
      double raw = 0;
      double ssmd = 0;
      for (int run = 0; run < 2; run++) {
        raw = raw(nats.url(), run);
        ssmd = transport(nats.url(), run);
      }
      LOG.info("1 KB frames, {} in flight, {} msgs (warm run): raw jnats publishAsync {} msg/s, NatsTransport {} msg/s (ratio {})",
          WINDOW, N, String.format("%.0f", raw), String.format("%.0f", ssmd), String.format("%.2f", ssmd / raw));
    }
  }

  private static double raw(String url, int run) throws Exception {
    try (Connection c = NatsTestSupport.connect(url)) {
      JetStream js = c.jetStream();
      Semaphore window = new Semaphore(WINDOW);
      long start = System.nanoTime();
      CompletableFuture<PublishAck> last = null;
      for (int i = 0; i < N; i++) {
        window.acquire();
        Headers h = new Headers();
        h.put("Nats-Msg-Id", "raw-" + run + "-" + i);
        h.put("Ssmd-Received-At", Long.toString(i));
        h.put("Ssmd-Conn", "c");
        h.put("Ssmd-Shard", "0");
        last = js.publishAsync(NatsMessage.builder().subject("bench.raw.json.trade.X").headers(h).data(FRAME).build());
        last.whenComplete((a, e) -> window.release());
      }
      window.acquire(WINDOW);
      double rate = N / ((System.nanoTime() - start) / 1e9);
      assertThat(last.get().getSeqno()).isEqualTo((long) N * (run + 1));
      return rate;
    }
  }

  private static double transport(String url, int run) {
    Recorder rec = new Recorder();
    NatsTransportOptions opts =
        NatsTransportOptions.defaults(url, "BENCH_SSMD", List.of("bench.ssmd.>")).withMaxInFlight(WINDOW);
    double rate;
    try (NatsTransport t = NatsTransport.connect(opts, rec)) {
      long start = System.nanoTime();
      for (int i = 0; i < N; i++) {
        assertThat(t.publish(new Envelope("bench.ssmd.json.trade.X", FRAME, "ssmd-" + run + "-" + i, i, "c", 0))).isTrue();
      }
      assertThat(t.flush(Duration.ofSeconds(30))).isTrue();
      rate = N / ((System.nanoTime() - start) / 1e9);
    }
    assertThat(rec.stored.get()).isEqualTo(N);
    return rate;
  }
}
