package io.ssmd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.gateway.ApiKeyStore;
import io.ssmd.testkit.FreePorts;
import io.ssmd.testkit.NatsServerProcess;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Transport;
import io.ssmd.transport.nats.NatsTransport;
import io.ssmd.transport.nats.NatsTransportOptions;
import io.ssmd.transport.nats.StreamAdmin;
import io.ssmd.transport.nats.StreamSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ssmd run gateway} as a separate process on a real nats-server: ready, serves a client, metrics; a memory transport is refused. */
@Timeout(90)
class GatewayRunIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir Path dir;

  @RegisterExtension final ConsoleCapture cli = new ConsoleCapture();

  private Path env(String name, String transport) throws Exception {
    return TestEnvironments.kraken(dir, name, transport);
  }

  @Test
  void aMemoryTransportIsAUsageError() throws Exception {
    Path keys = dir.resolve("keys.yaml");
    ApiKeyStore.load(keys).add("alice", List.of(), Clock.systemUTC());
    Path mem = env("mem", "  type: memory\n");
    assertThat(cli.run("run", "gateway", "--env", mem.toString(), "--api-keys", keys.toString())).isEqualTo(2);
    assertThat(cli.stderr()).contains("the gateway reads the live stream from NATS; transport.type is memory");
  }

  @Test
  void servesTheLiveStreamToAClientWithAKeyAndReportsMetrics() throws Exception {
    Path keys = dir.resolve("keys.yaml");
    String key = ApiKeyStore.load(keys).add("alice", List.of(), Clock.systemUTC());
    try (NatsServerProcess nats = NatsServerProcess.start(); StreamAdmin admin = StreamAdmin.connect(nats.url())) {
      StreamSpec spec = StreamSpec.forFeed("gwr", "kraken", Duration.ofHours(1), 1, Duration.ofMinutes(2), -1);
      assertThat(admin.apply(spec, false).ok()).isTrue();
      Path e = env("gwr", "  type: nats\n  url: " + nats.url() + "\n  subject_prefix: gwr\n  jetstream: {enabled: true}\n");
      int port = FreePorts.pick();
      int health = FreePorts.pick();
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
          System.getProperty("java.class.path"), "io.ssmd.cli.Main", "run", "gateway", "--env", e.toString(), "--api-keys", keys.toString(),
          "--host", "127.0.0.1", "--port", String.valueOf(port), "--health-port", String.valueOf(health))
          .redirectErrorStream(true).redirectOutput(dir.resolve("gateway.log").toFile()).start();
      try {
        awaitReady(health, p);
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        WebSocket ws = HTTP.newWebSocketBuilder().header("X-API-Key", key)
            .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/ws"), new WebSocket.Listener() {
              private final StringBuilder sb = new StringBuilder();

              @Override
              public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                sb.append(data);
                if (last) {
                  got.add(sb.toString());
                  sb.setLength(0);
                }
                w.request(1);
                return null;
              }
            }).get(20, TimeUnit.SECONDS);
        assertThat(got.poll(15, TimeUnit.SECONDS)).contains("\"type\":\"welcome\"");
        ws.sendText("{\"id\":1,\"op\":\"subscribe\",\"symbols\":[\"kraken:BTC/USD\"]}", true).join();
        assertThat(got.poll(15, TimeUnit.SECONDS)).contains("\"type\":\"ack\"");
        try (Transport t = NatsTransport.connect(NatsTransportOptions.defaults(nats.url(), spec.name(), List.of("gwr.kraken.json.>")),
            PublishListener.NONE)) {
          String frame = "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"sell\",\"price\":45000.5,"
              + "\"qty\":0.01,\"trade_id\":7,\"timestamp\":\"2026-11-22T10:00:00.000000Z\"}]}";
          t.publish(new Envelope("gwr.kraken.json.trade.BTC-USD", frame.getBytes(StandardCharsets.UTF_8), "t7", 1L, "c", 0));
          assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
        }
        String trade = got.poll(15, TimeUnit.SECONDS);
        assertThat(trade).startsWith("{\"type\":\"trade\",\"feed\":\"kraken\",\"symbol\":\"BTC-USD\",\"seq\":1,").contains("\"trade_id\":7");
        String metrics = get("http://127.0.0.1:" + health + "/metrics").body();
        assertThat(metrics).contains("ssmd_gateway_clients_connected 1.0").contains("ssmd_gateway_subscriptions_active{symbol=\"kraken:BTC-USD\"} 1.0");
        ws.abort();
        assertThat(Files.readString(dir.resolve("gateway.log"))).doesNotContain(key);
      } finally {
        p.destroy();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      }
    }
  }

  private static void awaitReady(int health, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as("gateway process exited early").isTrue();
      try {
        if (get("http://127.0.0.1:" + health + "/ready").statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("gateway not ready within 40 s");
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
