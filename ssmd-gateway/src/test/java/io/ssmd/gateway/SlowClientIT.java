package io.ssmd.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client that stops reading (a socket with a 4 KiB receive buffer, so the kernel buffers little)
 * fills its own bounded queue and only that: the other client gets
 * every message in order, the slow one's queue never exceeds its size, and it is told (drop_oldest)
 * or disconnected (disconnect).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowClientIT {
  private static final int QUEUE = 256;
  private static final int BATCH = 50;
  /** Enough 2 KiB frames to fill the loopback socket buffers several times over. */
  private static final int MESSAGES = Integer.getInteger("ssmd.gateway.slowMessages", 15_000);
  private static final String PAD = "p".repeat(2048);

  @Test
  void dropOldestTellsTheSlowClientAndNeverSlowsTheOthers() throws Exception {
    try (TestGateway t = new TestGateway(TestGateway.options().withQueue(QUEUE, SlowClientPolicy.DROP_OLDEST), Optional.empty());
        WsClient fast = subscribed(t);
        StalledClient slow = stalled(t)) {
      List<Integer> got = publishPaced(t, fast);
      assertThat(got).hasSize(MESSAGES);
      for (int i = 0; i < MESSAGES; i++) {
        assertThat(got.get(i)).isEqualTo(i);
      }
      ClientStats s = slowStats(t);
      assertThat(s.dropped()).as("slow client dropped").isPositive();
      assertThat(s.queueHighWater()).isLessThanOrEqualTo(QUEUE);
      assertThat(s.queued()).isLessThanOrEqualTo(QUEUE);
      assertThat(t.gateway.clients().stream().filter(c -> c.dropped() == 0).count()).isEqualTo(1);

      JsonNode notice = slow.next();
      while (!notice.path("type").asText().equals("notice")) {
        notice = slow.next();
      }
      assertThat(notice.path("code").asText()).isEqualTo("slow_consumer");
      assertThat(notice.path("policy").asText()).isEqualTo("drop_oldest");
      assertThat(notice.path("dropped").asLong()).isPositive();
      // what the slow client does get is in order, ending with the last message published
      List<Integer> slowGot = new ArrayList<>();
      while (slowGot.isEmpty() || slowGot.get(slowGot.size() - 1) != MESSAGES - 1) {
        JsonNode m = slow.next();
        if (m.path("type").asText().equals("trade")) {
          slowGot.add(n(m));
        }
      }
      for (int i = 1; i < slowGot.size(); i++) {
        assertThat(slowGot.get(i)).isGreaterThan(slowGot.get(i - 1));
      }
      slow.send("{\"id\":9,\"op\":\"ping\"}");
      assertThat(slow.next().path("type").asText()).isEqualTo("pong"); // still connected and usable
    }
  }

  @Test
  void disconnectPolicyClosesTheSlowClientAndTheOthersCarryOn() throws Exception {
    try (TestGateway t = new TestGateway(TestGateway.options().withQueue(QUEUE, SlowClientPolicy.DISCONNECT), Optional.empty());
        WsClient fast = subscribed(t);
        StalledClient slow = stalled(t)) {
      List<Integer> got = publishPaced(t, fast);
      assertThat(got).hasSize(MESSAGES);
      for (int i = 0; i < MESSAGES; i++) {
        assertThat(got.get(i)).isEqualTo(i);
      }
      // reading again: what was in the socket buffers, then the notice and the close 1008 with its reason,
      // or a reset when the gateway cut the connection (2 s after the close) before the buffers were read
      String end = null;
      try {
        while (true) {
          slow.next();
        }
      } catch (java.io.IOException e) {
        end = String.valueOf(e.getMessage());
      }
      assertThat(end).satisfiesAnyOf(m -> assertThat(m).startsWith("closed 1008 slow_consumer"),
          m -> assertThat(m).containsIgnoringCase("reset"), m -> assertThat(m).containsIgnoringCase("EOF"));
      assertThat(t.gateway.clients()).hasSize(1);
      assertThat(t.gateway.clients().get(0).dropped()).isZero();
    }
  }

  private static WsClient subscribed(TestGateway t) throws Exception {
    WsClient c = WsClient.connect(t.ws(), t.key);
    c.next();
    c.send("{\"id\":1,\"op\":\"subscribe\",\"symbols\":[\"kraken:*\"],\"types\":[\"trade\"]}");
    assertThat(c.next().path("type").asText()).isEqualTo("ack");
    return c;
  }

  /** Publishes in batches no larger than the queue, each after the fast client has read the previous one. */
  private static List<Integer> publishPaced(TestGateway t, WsClient fast) throws Exception {
    List<Integer> got = new ArrayList<>(MESSAGES);
    for (int i = 0; i < MESSAGES; i += BATCH) {
      int end = Math.min(MESSAGES, i + BATCH);
      for (int k = i; k < end; k++) {
        t.publish("trade", "BTC/USD", "{\"channel\":\"trade\",\"type\":\"update\",\"data\":[{\"symbol\":\"BTC/USD\",\"side\":\"buy\","
            + "\"price\":1,\"qty\":1,\"trade_id\":" + k + ",\"n\":" + k + ",\"pad\":\"" + PAD + "\"}]}");
      }
      while (got.size() < end) {
        got.add(n(fast.next()));
      }
    }
    return got;
  }

  private static StalledClient stalled(TestGateway t) throws Exception {
    StalledClient c = StalledClient.connect(t.ws(), t.key);
    assertThat(c.next().path("type").asText()).isEqualTo("welcome");
    c.send("{\"id\":1,\"op\":\"subscribe\",\"symbols\":[\"kraken:*\"],\"types\":[\"trade\"]}");
    assertThat(c.next().path("type").asText()).isEqualTo("ack");
    return c;
  }

  private static ClientStats slowStats(TestGateway t) {
    return t.gateway.clients().stream().filter(c -> c.dropped() > 0).findFirst()
        .orElseThrow(() -> new AssertionError("no client dropped anything: " + t.gateway.clients()));
  }

  private static int n(JsonNode m) {
    return m.path("data").path("data").get(0).path("n").asInt();
  }
}
