package io.ssmd.transport.nats;

import static io.ssmd.transport.nats.NatsTestSupport.envelope;
import static io.ssmd.transport.nats.NatsTestSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.ssmd.testkit.NatsServerProcess;
import io.ssmd.transport.Delivered;
import io.ssmd.transport.Headers;
import io.ssmd.transport.TransportException;
import io.ssmd.transport.nats.NatsTestSupport.Recorder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NatsTransportIT {
  private static final Logger LOG = LoggerFactory.getLogger(NatsTransportIT.class);
  private static NatsServerProcess nats;

  @BeforeAll
  static void startServer() {
    nats = NatsServerProcess.start();
  }

  @AfterAll
  static void stopServer() {
    nats.close();
  }

  private static void createStream(String name, String... subjects) {
    try (StreamAdmin admin = StreamAdmin.connect(nats.url())) {
      assertThat(admin.apply(spec(name, subjects), false).ok()).isTrue();
    }
  }

  private static NatsTransportOptions options(String stream, String... subjects) {
    return NatsTransportOptions.defaults(nats.url(), stream, List.of(subjects))
        .withAckTimeout(Duration.ofSeconds(2))
        .withConnectionName("ssmd-test");
  }

  private static long streamMessages(String stream) throws Exception {
    try (Connection c = NatsTestSupport.connect(nats.url())) {
      return c.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
    }
  }

  @Test
  void publishesWithHeadersAndReadsBackInStreamOrder() throws Exception {
    createStream("T_ORDER", "t.order.>");
    Recorder rec = new Recorder();
    try (NatsTransport t = NatsTransport.connect(options("T_ORDER", "t.order.json.>"), rec)) {
      assertThat(t.connected()).isTrue();
      for (int i = 0; i < 100; i++) {
        assertThat(t.publish(envelope("t.order.json.trade.BTC-USD", "order-" + i))).isTrue();
      }
      assertThat(t.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(rec.stored.get()).isEqualTo(100);
      assertThat(rec.seqById.get("order-0")).isEqualTo(1);

      List<Delivered> got = new CopyOnWriteArrayList<>();
      try (AutoCloseable sub = t.subscribe("t.order.>", got::add)) {
        awaitSize(got, 100);
      }
      assertThat(got).extracting(Delivered::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
      Delivered first = got.get(0);
      assertThat(first.subject()).isEqualTo("t.order.json.trade.BTC-USD");
      assertThat(new String(first.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"order-0\"}");
      assertThat(first.headers())
          .containsEntry(Headers.MSG_ID, "order-0")
          .containsEntry(Headers.RECEIVED_AT, "1700000000000000000")
          .containsEntry(Headers.CONN, "conn-7")
          .containsEntry(Headers.SHARD, "2");

      // The same id again is acknowledged as a duplicate and not stored twice.
      t.publish(envelope("t.order.json.trade.BTC-USD", "order-5"));
      assertThat(t.flush(Duration.ofSeconds(5))).isTrue();
      assertThat(rec.duplicates.get()).isEqualTo(1);
      assertThat(streamMessages("T_ORDER")).isEqualTo(100);
    }
  }

  @Test
  void subscriptionStartsAtNewOrAtASequence() throws Exception {
    createStream("T_START", "t.start.>");
    try (NatsTransport t = NatsTransport.connect(options("T_START", "t.start.>"), new Recorder())) {
      for (int i = 0; i < 5; i++) {
        t.publish(envelope("t.start.a", "s-" + i));
      }
      assertThat(t.flush(Duration.ofSeconds(5))).isTrue();
      List<Long> fromNew = new CopyOnWriteArrayList<>();
      List<Long> fromFour = new CopyOnWriteArrayList<>();
      try (AutoCloseable a = t.subscribe("t.start.>", NatsTransport.NEW, d -> fromNew.add(d.seq()));
          AutoCloseable b = t.subscribe("t.start.>", 4, d -> fromFour.add(d.seq()))) {
        awaitSize(fromFour, 2);
        t.publish(envelope("t.start.a", "s-new"));
        awaitSize(fromNew, 1);
        awaitSize(fromFour, 3);
      }
      assertThat(fromNew).containsExactly(6L);
      assertThat(fromFour).containsExactly(4L, 5L, 6L);
    }
  }

  @Test
  void refusesAStreamWhoseSubjectsDoNotCoverWhatIsPublished() {
    createStream("PROD_KALSHI", "prod.kraken.>");
    assertThatThrownBy(() -> NatsTransport.connect(options("PROD_KALSHI", "prod.kalshi.json.>"), new Recorder()))
        .isInstanceOf(TransportException.class)
        .hasMessage("stream PROD_KALSHI subjects [prod.kraken.>] do not cover prod.kalshi.json.> — run 'ssmd env apply'");
  }

  @Test
  void refusesAMissingStream() {
    assertThatThrownBy(() -> NatsTransport.connect(options("NO_SUCH", "x.>"), new Recorder()))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("stream NO_SUCH does not exist")
        .hasMessageContaining("run 'ssmd env apply'");
  }

  @Test
  void dropsAFrameOutsideTheDeclaredSubjectsInsteadOfLosingIt() throws Exception {
    createStream("T_ROUTE", "t.route.>");
    Recorder rec = new Recorder();
    try (NatsTransport t = NatsTransport.connect(options("T_ROUTE", "t.route.json.>"), rec)) {
      assertThat(t.publish(envelope("t.other.json.trade.X", "r-1"))).isFalse();
      assertThat(t.publish(envelope("t.route.raw.X", "r-2"))).isFalse();
      assertThat(rec.dropped("not_in_stream")).isEqualTo(2);
      assertThat(t.stats().dropped()).containsEntry("not_in_stream", 2L);
    }
  }

  @Test
  void survivesServerRestartWithoutLossOrDuplicates() throws Exception {
    createStream("T_RESTART", "t.restart.>");
    int n = 20_000;
    Recorder rec = new Recorder();
    try (NatsTransport t = NatsTransport.connect(options("T_RESTART", "t.restart.json.>"), rec)) {
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread producer =
          Thread.ofPlatform().name("test-producer").start(() -> {
            try {
              for (int i = 0; i < n; i++) {
                // A paced feed so the restart falls in the middle of it, with publishes in flight.
                if (!t.publish(envelope("t.restart.json.trade.T" + (i % 50), "restart-" + i))) {
                  throw new AssertionError("publish " + i + " rejected");
                }
                if (i % 100 == 99) {
                  Thread.sleep(2);
                }
              }
            } catch (Throwable e) {
              failure.set(e);
            }
          });
      while (rec.stored.get() < n / 2) {
        Thread.sleep(5);
      }
      nats.restart();
      producer.join();
      assertThat(failure.get()).isNull();
      assertThat(t.flush(Duration.ofSeconds(40))).as("all acknowledged").isTrue();
      assertThat(t.connected()).isTrue();
      LOG.info("after restart: {}", t.stats());
      assertThat(rec.droppedTotal()).isZero();
      assertThat(t.stats().droppedTotal()).isZero();
      // A frame stored just before the restart but whose ack was lost is resent and acked as a
      // duplicate: every frame is settled exactly once, either way.
      assertThat(rec.stored.get() + rec.duplicates.get()).isEqualTo(n);

      assertThat(streamMessages("T_RESTART")).isEqualTo(n);
      Set<String> ids = ConcurrentHashMap.newKeySet();
      List<Long> seqs = new CopyOnWriteArrayList<>();
      try (AutoCloseable sub = t.subscribe("t.restart.>", d -> {
        ids.add(d.headers().get(Headers.MSG_ID));
        seqs.add(d.seq());
      })) {
        awaitSize(seqs, n);
      }
      assertThat(seqs).hasSize(n);
      assertThat(ids).hasSize(n);
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < n; i++) {
        expected.add("restart-" + i);
      }
      assertThat(ids).isEqualTo(expected);
    }
  }

  @Test
  void buffersWhileServerIsDownAndDropsOnlyTheOverflow() throws Exception {
    createStream("T_DOWN", "t.down.>");
    Recorder rec = new Recorder();
    NatsTransportOptions opts = options("T_DOWN", "t.down.>").withBufferMessages(1000);
    try (NatsTransport t = NatsTransport.connect(opts, rec)) {
      nats.stop();
      while (t.connected()) {
        Thread.sleep(5);
      }
      int accepted = 0;
      for (int i = 0; i < 1500; i++) {
        if (t.publish(envelope("t.down.x", "down-" + i))) {
          accepted++;
        }
      }
      assertThat(accepted).isEqualTo(1000);
      assertThat(rec.dropped("buffer_full")).isEqualTo(500);
      assertThat(t.pending()).isEqualTo(1000);
      nats.startAgain();
      assertThat(t.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(rec.stored.get()).isEqualTo(1000);
      assertThat(streamMessages("T_DOWN")).isEqualTo(1000);
    } finally {
      nats.startAgain();
    }
  }

  @Test
  void closeReportsWhatCouldNotBeDeliveredAsDropped() throws Exception {
    createStream("T_CLOSE", "t.close.>");
    Recorder rec = new Recorder();
    NatsTransportOptions opts = options("T_CLOSE", "t.close.>").withAckTimeout(Duration.ofMillis(300));
    NatsTransport t = NatsTransport.connect(opts, rec);
    try {
      nats.stop();
      while (t.connected()) {
        Thread.sleep(5);
      }
      for (int i = 0; i < 10; i++) {
        assertThat(t.publish(envelope("t.close.x", "close-" + i))).isTrue();
      }
      t.close();
      assertThat(rec.dropped("closed")).isEqualTo(10);
      assertThat(t.pending()).isZero();
      assertThat(t.publish(envelope("t.close.x", "late"))).isFalse();
      assertThat(rec.dropped("closed")).isEqualTo(11);
    } finally {
      nats.startAgain();
    }
  }

  static void awaitSize(List<?> list, int size) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (list.size() < size && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(list).hasSizeGreaterThanOrEqualTo(size);
  }

  @Test
  void secmasterStreamCarriesChangeEventsToAReaderStartingAtNew() throws Exception {
    try (StreamAdmin admin = StreamAdmin.connect(nats.url())) {
      StreamSpec spec = StreamSpec.forSecmaster("itsm", Duration.ofHours(1), 1, Duration.ofMinutes(2), -1);
      assertThat(admin.apply(spec, false).ok()).isTrue();
      assertThat(admin.apply(spec, false).ok()).isTrue();
    }
    String subject = io.ssmd.transport.Subjects.secmasterChanges("itsm", "kalshi");
    try (NatsTransport publisher = NatsTransport.connect(NatsTransportOptions.secmaster(nats.url(), "itsm"), new Recorder());
        NatsTransport reader = NatsTransport.connect(NatsTransportOptions.secmaster(nats.url(), "itsm"), new Recorder())) {
      assertThat(publisher.publish(envelope(subject, "before"))).isTrue();
      assertThat(publisher.flush(Duration.ofSeconds(10))).isTrue();
      List<Delivered> got = new CopyOnWriteArrayList<>();
      try (AutoCloseable sub = reader.subscribe("itsm.secmaster.changes.>", io.ssmd.transport.Transport.NEW, got::add)) {
        assertThat(publisher.publish(envelope(subject, "after"))).isTrue();
        assertThat(publisher.flush(Duration.ofSeconds(10))).isTrue();
        awaitSize(got, 1);
        Thread.sleep(200);
        assertThat(got).extracting(d -> d.headers().get(io.ssmd.transport.Headers.MSG_ID)).containsExactly("after");
        assertThat(got.get(0).subject()).isEqualTo("itsm.secmaster.changes.kalshi");
      }
    }
  }
}
