package io.ssmd.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/** A test WebSocket client (JDK HttpClient): collects text messages as JSON, records the close. */
final class WsClient implements WebSocket.Listener, AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  record Closed(int code, String reason) {}

  private volatile Throwable error;

  final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  final CompletableFuture<Closed> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  private final AtomicBoolean paused = new AtomicBoolean();
  private volatile WebSocket ws;
  /** Receive time (epoch ns) of the last message, for latency measurements. */
  volatile long lastReceivedNanos;

  /** Connects; the returned future fails with a {@link WebSocketHandshakeException} when refused. */
  static CompletableFuture<WsClient> connectAsync(URI uri, Map<String, String> headers) {
    WsClient c = new WsClient();
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
    headers.forEach(b::header);
    return b.buildAsync(uri, c).thenApply(ws -> {
      c.ws = ws;
      return c;
    });
  }

  static WsClient connect(URI uri, Map<String, String> headers) throws Exception {
    return connectAsync(uri, headers).get(20, TimeUnit.SECONDS);
  }

  static WsClient connect(URI uri, String key) throws Exception {
    return connect(uri, Map.of("Authorization", "Bearer " + key));
  }

  /** The HTTP status of a refused upgrade. */
  static int refusedStatus(URI uri, Map<String, String> headers) throws Exception {
    try {
      connectAsync(uri, headers).get(20, TimeUnit.SECONDS).close();
      throw new AssertionError("upgrade was accepted");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      lastReceivedNanos = nowNanos();
      try {
        messages.add(JSON.readTree(partial.toString()));
      } catch (Exception e) {
        messages.add(JSON.createObjectNode().put("type", "client_parse_error").put("text", partial.toString()));
      }
      partial.setLength(0);
    }
    if (!paused.get()) {
      webSocket.request(1);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Closed(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    this.error = error;
    closed.complete(new Closed(-1, String.valueOf(error)));
  }

  /** What ended the connection without a close frame (null when it closed normally). */
  Throwable error() {
    return error;
  }

  /** Stops reading: the gateway's writes back up through TCP into the client's queue. */
  void pause() {
    paused.set(true);
  }

  void resume() {
    if (paused.compareAndSet(true, false)) {
      ws.request(1);
    }
  }

  void send(String text) {
    ws.sendText(text, true).join();
  }

  void sendBinary(byte[] b) {
    ws.sendBinary(ByteBuffer.wrap(b), true).join();
  }

  JsonNode next() throws InterruptedException {
    JsonNode n = messages.poll(15, TimeUnit.SECONDS);
    assertThat(n).as("a message within 15 s").isNotNull();
    return n;
  }

  /** The next message matching, skipping others. */
  JsonNode next(Predicate<JsonNode> p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      JsonNode n = messages.poll(100, TimeUnit.MILLISECONDS);
      if (n != null && p.test(n)) {
        return n;
      }
    }
    throw new AssertionError("no matching message within 15 s");
  }

  /** Sends {"id":id,"op":"ping"} and waits for the pong with that id (the connection is usable). */
  void assertUsable(int id) throws InterruptedException {
    send("{\"id\":" + id + ",\"op\":\"ping\"}");
    JsonNode pong = next(n -> n.path("id").asInt(-1) == id);
    assertThat(pong.path("type").asText()).isEqualTo("pong");
  }

  Closed awaitClose() throws Exception {
    return closed.get(15, TimeUnit.SECONDS);
  }

  boolean isOpen() {
    return !closed.isDone() && !ws.isInputClosed();
  }

  static long nowNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public void close() {
    if (ws != null && !ws.isOutputClosed()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(t -> null);
    }
    if (ws != null) {
      ws.abort();
    }
  }
}
