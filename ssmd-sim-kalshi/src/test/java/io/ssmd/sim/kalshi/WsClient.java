package io.ssmd.sim.kalshi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A minimal JDK WebSocket client for the simulator tests: signs the handshake, queues frames. */
final class WsClient implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
  final LinkedBlockingQueue<String> pings = new LinkedBlockingQueue<>();
  final List<String> all = new ArrayList<>();
  private final WebSocket ws;
  private int nextId = 1;

  WsClient(URI uri, String keyId, PrivateKey key) {
    String ts = Long.toString(System.currentTimeMillis());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.ws =
        http.newWebSocketBuilder()
            .header(KalshiAuth.KEY_HEADER, keyId)
            .header(KalshiAuth.TIMESTAMP_HEADER, ts)
            .header(KalshiAuth.SIGNATURE_HEADER, KalshiAuth.sign(key, KalshiAuth.message(ts, "GET", uri.getPath())))
            .buildAsync(uri, new Listener())
            .join();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String f = partial.toString();
        partial.setLength(0);
        synchronized (all) {
          all.add(f);
        }
        frames.add(f);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
      pings.add(StandardCharsets.UTF_8.decode(message).toString());
      webSocket.request(1);
      return null;
    }
  }

  /** Sends {"id":n,"cmd":cmd,"params":params} and returns n. */
  int command(String cmd, String paramsJson) {
    int id = nextId++;
    ws.sendText("{\"id\":" + id + ",\"cmd\":\"" + cmd + "\"" + (paramsJson == null ? "" : ",\"params\":" + paramsJson) + "}", true).join();
    return id;
  }

  void sendRaw(String text) {
    ws.sendText(text, true).join();
  }

  /** Next frame matching {@code p}, skipping others; fails after 5 s. */
  JsonNode await(Predicate<JsonNode> p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline) {
      String f = frames.poll(100, TimeUnit.MILLISECONDS);
      if (f == null) {
        continue;
      }
      JsonNode n;
      try {
        n = JSON.readTree(f);
      } catch (Exception e) {
        continue;
      }
      if (p.test(n)) {
        return n;
      }
    }
    throw new AssertionError("no matching frame within 5 s");
  }

  /** The reply to command {@code id} with this type. */
  JsonNode reply(int id, String type) throws Exception {
    return await(n -> n.path("id").asInt(-1) == id && n.path("type").asText().equals(type));
  }

  List<String> received() {
    synchronized (all) {
      return List.copyOf(all);
    }
  }

  @Override
  public void close() {
    ws.abort();
  }
}
