package io.ssmd.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random and malformed input never crashes the server: every frame is answered with an error
 * (the connection stays usable) or, for an oversized frame, the connection is closed with a reason;
 * the gateway then still accepts connections and delivers data.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GatewayFuzzIT {
  private static final String[] FRAGMENTS = {"{", "}", "[", "]", "\"op\"", ":", ",", "\"subscribe\"", "\"symbols\"", "\"*\"",
      "\"kraken:*\"", "null", "true", "1e999", "-0", "\"id\"", "\"types\"", "\"\\u0000\"", "\"unsubscribe\"", "\"list\"", "\"ping\"",
      "\"auth\"", "\"key\"", "[[[[[[", "\"\\ud800\"", "12345678901234567890", "\"kraken:\"", "\":\"", "{}", "[]"};
  private TestGateway t;

  @BeforeEach
  void start() {
    t = new TestGateway();
  }

  @AfterEach
  void stop() {
    t.close();
  }

  @Test
  void randomAndMalformedCommandsAreAnsweredAndTheConnectionStaysUsable() throws Exception {
    long seed = Long.getLong("ssmd.fuzz.seed", System.nanoTime());
    Random r = new Random(seed);
    int frames = Integer.getInteger("ssmd.fuzz.frames", 2000);
    try (WsClient c = WsClient.connect(t.ws(), t.key)) {
      c.next();
      for (int i = 0; i < frames; i++) {
        String frame = r.nextInt(3) == 0 ? randomChars(r) : randomJsonish(r);
        c.send(frame);
        if (i % 200 == 199) {
          c.assertUsable(1_000_000 + i);
        }
      }
      c.assertUsable(7);
      assertThat(c.isOpen()).as("seed %d", seed).isTrue();
      assertThat(c.messages.stream().filter(m -> m.path("type").asText().equals("client_parse_error"))).as("seed %d", seed).isEmpty();
    }
    assertServerHealthy();
  }

  @Test
  void hugeFramesCloseTheConnectionWithAReasonAndTheServerCarriesOn() throws Exception {
    try (WsClient c = WsClient.connect(t.ws(), t.key)) {
      c.next();
      sendMayBeCutOff(c, "{\"id\":1,\"op\":\"ping\",\"pad\":\"" + "x".repeat(200_000) + "\"}");
      WsClient.Closed closed = c.awaitClose();
      // the server closes with 1009 (message too big) as soon as it reads the frame's length; a
      // client still writing the rest of the frame may see the connection reset before it reads
      // that close frame, which ends in onError instead (the server closed it either way)
      if (closed.code() != 1009) {
        assertThat(closed.code()).as(closed.reason()).isEqualTo(-1);
        assertThat(c.error()).isInstanceOf(java.io.IOException.class);
      }
    }
    try (WsClient c = WsClient.connect(t.ws(), Map.of())) {
      // before authentication too
      sendMayBeCutOff(c, "x".repeat(100_000));
      assertThat(c.awaitClose().code()).isIn(1009, 4401);
    }
    assertServerHealthy();
  }

  @Test
  void binaryAndGarbageBeforeAuthenticationCloseWithAReason() throws Exception {
    try (WsClient c = WsClient.connect(t.ws(), Map.of())) {
      c.sendBinary(new byte[] {0, (byte) 0xff, 3});
      assertThat(c.awaitClose().code()).isEqualTo(4401);
    }
    try (WsClient c = WsClient.connect(t.ws(), Map.of())) {
      c.send("\u0000\u0001garbage");
      assertThat(c.awaitClose().code()).isEqualTo(4401);
    }
    assertServerHealthy();
  }

  /** The server may close before the whole oversized frame is written: that is the expected outcome too. */
  private static void sendMayBeCutOff(WsClient c, String frame) {
    try {
      c.send(frame);
    } catch (java.util.concurrent.CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(java.io.IOException.class);
    }
  }

  private void assertServerHealthy() throws Exception {
    try (WsClient c = WsClient.connect(t.ws(), t.key)) {
      c.next();
      c.send("{\"id\":1,\"op\":\"subscribe\",\"symbols\":[\"kraken:*\"]}");
      c.next();
      t.publish("trade", "BTC/USD", TestGateway.trade("BTC/USD", "1", 77));
      assertThat(c.next().path("data").path("data").get(0).path("n").asInt()).isEqualTo(77);
    }
  }

  private static String randomChars(Random r) {
    int n = r.nextInt(200);
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) (r.nextBoolean() ? 32 + r.nextInt(95) : r.nextInt(0xD7FF)));
    }
    return sb.toString();
  }

  private static String randomJsonish(Random r) {
    if (r.nextInt(4) == 0) {
      // well-formed commands with wrong shapes
      String[] ops = {"subscribe", "unsubscribe", "list", "ping", "symbols", "auth", "", "SUBSCRIBE"};
      String[] vals = {"null", "1", "\"x\"", "[]", "[1]", "[\"*\"]", "[\"kraken:*\"]", "[\"kraken:" + "Z".repeat(300) + "\"]", "{}",
          "[\"a:b\",\"c:d\"]", "\"kraken\""};
      return "{\"id\":" + vals[r.nextInt(vals.length)] + ",\"op\":\"" + ops[r.nextInt(ops.length)] + "\",\"symbols\":"
          + vals[r.nextInt(vals.length)] + ",\"types\":" + vals[r.nextInt(vals.length)] + ",\"feed\":" + vals[r.nextInt(vals.length)] + "}";
    }
    StringBuilder sb = new StringBuilder();
    int n = 1 + r.nextInt(20);
    for (int i = 0; i < n; i++) {
      sb.append(FRAGMENTS[r.nextInt(FRAGMENTS.length)]);
    }
    return sb.toString();
  }
}
