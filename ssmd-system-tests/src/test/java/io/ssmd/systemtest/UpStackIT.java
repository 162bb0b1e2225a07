package io.ssmd.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ssmd up} as a user meets it: the whole stack in one process on embedded defaults. While
 * it runs, the security master is filled by the worker's first syncs (served by the gateway's
 * {@code /v1/markets}), the gateway streams live data to a client holding the printed API key, the
 * schedules of {@code exchanges/schedules/local.yaml} exist on its embedded Temporal server, and a
 * SIGTERM stops it cleanly.
 */
@Timeout(180)
class UpStackIT {
  @TempDir Path dir;

  @Test
  void upRunsCaptureSecmasterWorkerGatewayAndAgentTogether() throws Exception {
    int gatewayPort = FreePorts.pick();
    int temporalPort = FreePorts.pick();
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process up = Ssmd.spawn(dir, out, err, null, "up", "--duration", "120s", "--health-port", "0", "--status-interval", "2s",
        "--sim-ports", "0,0,0", "--gateway-port", String.valueOf(gatewayPort), "--temporal-port", String.valueOf(temporalPort),
        "--data-dir", dir.resolve("data").toString(), "--feeds-dir", Ssmd.REPO.resolve("exchanges/feeds").toString(),
        "--exchanges-dir", Ssmd.REPO.resolve("exchanges").toString());
    try {
      String key = awaitMatch(out, Pattern.compile("API key \\(shown once\\): (ssmd_[A-Za-z0-9_-]+)"), err, Duration.ofSeconds(90));
      HttpClient http = HttpClient.newHttpClient();

      // the worker's first security-master syncs land in the embedded PostgreSQL the gateway serves
      String markets = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && !markets.contains("SIM-MKT-000")) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/v1/markets?limit=5"))
            .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        markets = r.statusCode() == 200 ? r.body() : "";
        Thread.sleep(500);
      }
      assertThat(markets).as("GET /v1/markets after the first sync").contains("\"ticker\":\"SIM-MKT-000\"");
      HttpResponse<String> noKey = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/v1/markets")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(noKey.statusCode()).isEqualTo(401);

      // live data through the gateway to a client with the printed key
      List<String> frames = new CopyOnWriteArrayList<>();
      WebSocket ws = http.newWebSocketBuilder().header("Authorization", "Bearer " + key)
          .buildAsync(URI.create("ws://127.0.0.1:" + gatewayPort + "/v1/ws"), new WebSocket.Listener() {
            final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
              partial.append(data);
              if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
              }
              w.request(1);
              return null;
            }
          }).get(10, TimeUnit.SECONDS);
      ws.sendText("{\"id\":1,\"op\":\"subscribe\",\"symbols\":[\"kraken:*\"]}", true).get(5, TimeUnit.SECONDS);
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline && frames.stream().filter(f -> f.contains("\"feed\":\"kraken\"")).count() < 20) {
        Thread.sleep(200);
      }
      assertThat(frames).anySatisfy(f -> assertThat(f).contains("\"type\":\"ack\"").contains("\"id\":1"));
      assertThat(frames.stream().filter(f -> f.contains("\"feed\":\"kraken\""))).hasSizeGreaterThanOrEqualTo(20);
      ws.abort();

      // the schedules of exchanges/schedules/local.yaml run on the embedded Temporal server
      Ssmd.Result describe = Ssmd.run(dir, null, "schedule", "describe", "secmaster-kalshi-local",
          "--address", "127.0.0.1:" + temporalPort, "--file", Ssmd.REPO.resolve("exchanges/schedules/local.yaml").toString());
      assertThat(describe.exit()).as(describe.out() + describe.err()).isZero();
      assertThat(describe.out()).contains("secmaster-kalshi-local").contains("SecmasterSync");
    } finally {
      up.destroy(); // SIGTERM: the shutdown hook stops everything in order
      assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("ssmd up stops on SIGTERM").isTrue();
    }
    String stdout = Files.readString(out);
    assertThat(stdout).contains("ssmd up: stopped");
    List<String> log = Files.readAllLines(dir.resolve("data/logs/ssmd.log"));
    assertThat(log).anySatisfy(l -> assertThat(l).contains("kalshi sync (full) done"));
    assertThat(log).anySatisfy(l -> assertThat(l).contains("security-master change events for kalshi"));
    assertThat(String.join("\n", log)).doesNotContain("PRIVATE KEY").doesNotContain("\"level\":\"error\"");
  }

  private static String awaitMatch(Path file, Pattern p, Path err, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = p.matcher(Files.exists(file) ? Files.readString(file) : "");
      if (m.find()) {
        return m.group(1);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no " + p + " in ssmd up's output within " + timeout + ":\n" + Files.readString(file) + "\n"
        + Files.readString(err));
  }
}
