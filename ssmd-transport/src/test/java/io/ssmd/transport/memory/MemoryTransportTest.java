package io.ssmd.transport.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.ssmd.transport.Delivered;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.Headers;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MemoryTransportTest {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryTransportTest.class);

  static final class Recorder implements PublishListener {
    final List<Long> ackedSeqs = new CopyOnWriteArrayList<>();
    final AtomicLong duplicates = new AtomicLong();
    final ConcurrentHashMap<String, AtomicLong> dropped = new ConcurrentHashMap<>();

    @Override
    public void acked(Envelope envelope, long streamSeq, boolean duplicate) {
      if (duplicate) {
        duplicates.incrementAndGet();
      } else {
        ackedSeqs.add(streamSeq);
      }
    }

    @Override
    public void dropped(Envelope envelope, String reason) {
      dropped.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
    }

    long dropped(String reason) {
      AtomicLong n = dropped.get(reason);
      return n == null ? 0 : n.get();
    }
  }

  static Envelope env(String subject, String id) {
    return new Envelope(subject, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8), id, 42L, "c1", 3);
  }

  @Test
  void deliversInOrderWithIncreasingSeqAndHeaders() throws Exception {
    Recorder rec = new Recorder();
    try (MemoryTransport t = MemoryTransport.start(rec)) {
      List<Delivered> got = new CopyOnWriteArrayList<>();
      CountDownLatch done = new CountDownLatch(1000);
      t.subscribe("prod.kraken.>", d -> {
        got.add(d);
        done.countDown();
      });
      for (int i = 0; i < 1000; i++) {
        assertThat(t.publish(env("prod.kraken.json.trade.BTC-USD", "m" + i))).isTrue();
      }
      assertThat(t.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(got).extracting(Delivered::seq).containsExactlyElementsOf(
          java.util.stream.LongStream.rangeClosed(1, 1000).boxed().toList());
      assertThat(new String(got.get(7).payload(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"m7\"}");
      assertThat(got.get(0).headers())
          .containsEntry(Headers.MSG_ID, "m0")
          .containsEntry(Headers.RECEIVED_AT, "42")
          .containsEntry(Headers.CONN, "c1")
          .containsEntry(Headers.SHARD, "3");
      assertThat(rec.ackedSeqs).hasSize(1000).isSorted();
      assertThat(t.pending()).isZero();
    }
  }

  @Test
  void dropsRepeatedMessageIdsWithinTheWindow() throws Exception {
    Recorder rec = new Recorder();
    try (MemoryTransport t = MemoryTransport.start(new MemoryTransportOptions(1000, 1024, Duration.ofMinutes(2), 1000), rec)) {
      t.publish(env("a.b", "x"));
      t.publish(env("a.b", "x"));
      t.publish(env("a.b", "y"));
      t.flush(Duration.ofSeconds(5));
      assertThat(rec.ackedSeqs).containsExactly(1L, 2L);
      assertThat(rec.duplicates.get()).isEqualTo(1);
      assertThat(t.lastSeq()).isEqualTo(2);
      assertThat(t.stats().duplicates()).isEqualTo(1);
    }
  }

  @Test
  void forgetsIdsAfterTheDuplicateWindow() throws Exception {
    Recorder rec = new Recorder();
    try (MemoryTransport t = MemoryTransport.start(new MemoryTransportOptions(1000, 1024, Duration.ofMillis(50), 1000), rec)) {
      t.publish(env("a.b", "x"));
      t.flush(Duration.ofSeconds(5));
      Thread.sleep(120);
      t.publish(env("a.b", "x"));
      t.flush(Duration.ofSeconds(5));
      assertThat(rec.ackedSeqs).containsExactly(1L, 2L);
    }
  }

  @Test
  void filtersByWildcardPerSubscription() throws Exception {
    try (MemoryTransport t = MemoryTransport.start(PublishListener.NONE)) {
      List<String> trades = new CopyOnWriteArrayList<>();
      List<String> btc = new CopyOnWriteArrayList<>();
      t.subscribe("prod.*.json.trade.*", d -> trades.add(d.subject()));
      t.subscribe("prod.kraken.json.*.BTC-USD", d -> btc.add(d.subject()));
      t.publish(env("prod.kraken.json.trade.BTC-USD", "1"));
      t.publish(env("prod.kraken.json.ticker.BTC-USD", "2"));
      t.publish(env("prod.kalshi.json.trade.KX", "3"));
      t.publish(env("prod.kalshi.json.lifecycle.KX", "4"));
      t.flush(Duration.ofSeconds(5));
      awaitSize(trades, 2);
      awaitSize(btc, 2);
      assertThat(trades).containsExactly("prod.kraken.json.trade.BTC-USD", "prod.kalshi.json.trade.KX");
      assertThat(btc).containsExactly("prod.kraken.json.trade.BTC-USD", "prod.kraken.json.ticker.BTC-USD");
    }
  }

  @Test
  void newSubscriptionCanSkipHistoryOrStartAtASequence() throws Exception {
    try (MemoryTransport t = MemoryTransport.start(PublishListener.NONE)) {
      for (int i = 1; i <= 5; i++) {
        t.publish(env("a.b", "old" + i));
      }
      t.flush(Duration.ofSeconds(5));
      List<Long> fromNew = new CopyOnWriteArrayList<>();
      List<Long> fromThree = new CopyOnWriteArrayList<>();
      t.subscribe("a.>", Transport.NEW, d -> fromNew.add(d.seq()));
      t.subscribe("a.>", 3, d -> fromThree.add(d.seq()));
      t.publish(env("a.b", "new"));
      t.flush(Duration.ofSeconds(5));
      awaitSize(fromThree, 4);
      awaitSize(fromNew, 1);
      assertThat(fromNew).containsExactly(6L);
      assertThat(fromThree).containsExactly(3L, 4L, 5L, 6L);
    }
  }

  @Test
  void fullBufferDropsAndReportsInsteadOfBlocking() throws Exception {
    Recorder rec = new Recorder();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // A listener that holds the store thread on the first ack lets the buffer fill deterministically.
    MemoryTransport blocked =
        MemoryTransport.start(new MemoryTransportOptions(4, 16, Duration.ofMinutes(1), 100), new PublishListener() {
          @Override
          public void acked(Envelope envelope, long streamSeq, boolean duplicate) {
            entered.countDown();
            await(release);
          }

          @Override
          public void dropped(Envelope envelope, String reason) {
            rec.dropped(envelope, reason);
          }
        });
    assertThat(blocked.publish(env("a.b", "first"))).isTrue();
    assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
    int accepted = 0;
    for (int i = 0; i < 100; i++) {
      if (blocked.publish(env("a.b", "m" + i))) {
        accepted++;
      }
    }
    assertThat(accepted).isEqualTo(4);
    assertThat(rec.dropped("buffer_full")).isEqualTo(96);
    assertThat(blocked.stats().dropped()).containsEntry("buffer_full", 96L);
    assertThat(blocked.pending()).isEqualTo(5);
    release.countDown();
    assertThat(blocked.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(blocked.lastSeq()).isEqualTo(5);
    blocked.close();
    assertThat(blocked.publish(env("a.b", "late"))).isFalse();
    assertThat(rec.dropped("closed")).isEqualTo(1);
  }

  @Test
  void slowSubscriberSeesAGapButNeverBlocksPublishing() throws Exception {
    try (MemoryTransport t = MemoryTransport.start(new MemoryTransportOptions(10_000, 64, Duration.ofMinutes(1), 10_000), PublishListener.NONE)) {
      CountDownLatch first = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      List<Long> seqs = new CopyOnWriteArrayList<>();
      t.subscribe("a.>", d -> {
        seqs.add(d.seq());
        first.countDown();
        await(release);
      });
      t.publish(env("a.b", "0"));
      assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i < 1000; i++) {
        assertThat(t.publish(env("a.b", "m" + i))).isTrue();
      }
      assertThat(t.flush(Duration.ofSeconds(5))).isTrue();
      release.countDown();
      awaitSize(seqs, 65);
      Thread.sleep(50);
      assertThat(seqs.get(0)).isEqualTo(1);
      // The ring keeps 64: after seq 1 the reader resumes at the oldest retained, 937..1000.
      assertThat(seqs.subList(1, seqs.size())).containsExactlyElementsOf(
          java.util.stream.LongStream.rangeClosed(937, 1000).boxed().toList());
    }
  }

  @Test
  void handlerExceptionDoesNotStopDelivery() throws Exception {
    try (MemoryTransport t = MemoryTransport.start(PublishListener.NONE)) {
      List<Long> seen = new CopyOnWriteArrayList<>();
      t.subscribe("a.>", d -> {
        seen.add(d.seq());
        if (d.seq() == 1) {
          throw new IllegalStateException("boom");
        }
      });
      t.publish(env("a.b", "1"));
      t.publish(env("a.b", "2"));
      t.flush(Duration.ofSeconds(5));
      awaitSize(seen, 2);
      assertThat(seen).containsExactly(1L, 2L);
    }
  }

  /** A throughput figure for the report; not asserted beyond "everything arrived". */
  @Test
  void measuresThroughput() throws Exception {
    int n = 500_000;
    byte[] frame = new byte[1024];
    AtomicLong received = new AtomicLong();
    try (MemoryTransport t = MemoryTransport.start(PublishListener.NONE)) {
      t.subscribe("prod.>", d -> received.incrementAndGet());
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        Envelope e = new Envelope("prod.kraken.json.trade.BTC-USD", frame, "id-" + i, i, "c", 0);
        // Pace on the buffer and on the reader's lag so the figure is the sustained end-to-end
        // rate, not the rate of rejections or of messages overwritten before they were read.
        while (t.pending() >= 60_000 || t.lastSeq() - received.get() >= 100_000) {
          Thread.onSpinWait();
        }
        assertThat(t.publish(e)).isTrue();
      }
      assertThat(t.flush(Duration.ofSeconds(20))).isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (received.get() < n && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      double secs = (System.nanoTime() - start) / 1e9;
      LOG.info("memory transport: {} x 1 KB frames published and delivered in {} s = {} msg/s (drops counted: {})",
          n, String.format("%.2f", secs), String.format("%.0f", n / secs), t.stats().droppedTotal());
      assertThat(received.get()).isEqualTo(n);
    }
  }

  static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void awaitSize(List<?> list, int size) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (list.size() < size && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(list).hasSizeGreaterThanOrEqualTo(size);
  }
}
