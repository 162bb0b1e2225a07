package io.ssmd.secmaster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.testkit.NatsServerProcess;
import io.ssmd.transport.Delivered;
import io.ssmd.transport.Headers;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Transport;
import io.ssmd.transport.memory.MemoryTransport;
import io.ssmd.transport.nats.ApplyResult;
import io.ssmd.transport.nats.NatsTransport;
import io.ssmd.transport.nats.NatsTransportOptions;
import io.ssmd.transport.nats.StreamAdmin;
import io.ssmd.transport.nats.StreamSpec;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The outbox marks a change event published only once the transport acknowledged it: a transport
 * that cannot deliver leaves the rows pending, the next publish sends them, and the stable message
 * id keeps the stream free of duplicates (memory transport and a real nats-server).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChangeOutboxIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ENV = "outbox";
  private static Database db;

  @BeforeAll
  static void startDatabase() {
    db = Database.embedded(EmbeddedDatabase.start());
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }

  @BeforeEach
  void emptyOutbox() throws Exception {
    try (Connection c = db.connection(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE change_events");
    }
  }

  @Test
  void aTransportThatRejectsLeavesTheRowsPendingAndTheNextPublishSendsThem() throws Exception {
    record(3);
    ChangeOutbox outbox = new ChangeOutbox(db);
    MemoryTransport closed = MemoryTransport.start(PublishListener.NONE);
    closed.close();
    assertThat(outbox.publish(closed, ENV, "kraken", Duration.ofSeconds(1))).isZero();
    assertThat(outbox.unpublished("kraken")).isEqualTo(3);

    try (MemoryTransport open = MemoryTransport.start(PublishListener.NONE)) {
      List<Delivered> got = new CopyOnWriteArrayList<>();
      open.subscribe(ChangeOutbox.subject(ENV, "kraken"), Transport.FIRST, got::add);
      assertThat(outbox.publish(open, ENV, "kraken")).isEqualTo(3);
      assertThat(outbox.unpublished("kraken")).isZero();
      await(() -> got.size() >= 3);
      assertThat(got).extracting(d -> d.headers().get(Headers.MSG_ID)).doesNotHaveDuplicates().hasSize(3);
      // a second publish has nothing left to send
      assertThat(outbox.publish(open, ENV, "kraken")).isZero();
    }
  }

  @Test
  void rowsQueuedWhileNatsIsDownStayPendingAndTheirResendIsDeduplicated() throws Exception {
    try (NatsServerProcess nats = NatsServerProcess.start()) {
      try (StreamAdmin admin = StreamAdmin.connect(nats.url())) {
        ApplyResult applied = admin.apply(StreamSpec.forSecmaster(ENV, Duration.ofHours(1), 1, Duration.ofMinutes(2), -1), false);
        assertThat(applied.ok()).as(applied.summary()).isTrue();
      }
      ChangeOutbox outbox = new ChangeOutbox(db);
      try (NatsTransport changes = NatsTransport.connect(NatsTransportOptions.secmaster(nats.url(), ENV), PublishListener.NONE)) {
        record(2);
        assertThat(outbox.publish(changes, ENV, "polymarket")).isEqualTo(2);

        record(3);
        nats.stop();
        // queued in the transport's buffer but never acknowledged: not marked
        assertThat(outbox.publish(changes, ENV, "polymarket", Duration.ofSeconds(1))).isZero();
        assertThat(outbox.unpublished("polymarket")).isEqualTo(3);

        nats.startAgain();
        // the buffered copies go out on reconnect and this publish sends them again under the same ids
        assertThat(outbox.publish(changes, ENV, "polymarket")).isEqualTo(3);
        assertThat(outbox.unpublished("polymarket")).isZero();
        record(1);
        assertThat(outbox.publish(changes, ENV, "polymarket")).isEqualTo(1);
      }

      try (NatsTransport reader = NatsTransport.connect(NatsTransportOptions.secmaster(nats.url(), ENV), PublishListener.NONE)) {
        List<Delivered> got = new CopyOnWriteArrayList<>();
        reader.subscribe(ChangeOutbox.subject(ENV, "polymarket"), Transport.FIRST, got::add);
        await(() -> got.size() >= 6);
        Thread.sleep(500); // a duplicate, had one been stored, would arrive after the sixth
        assertThat(got).hasSize(6);
        List<Long> ids = got.stream().map(ChangeOutboxIT::outboxId).toList();
        assertThat(ids).doesNotHaveDuplicates().isSorted();
        assertThat(got).extracting(d -> d.headers().get(Headers.MSG_ID))
            .containsExactlyElementsOf(ids.stream().map(id -> ChangeOutbox.msgId("polymarket", id)).toList());
      }
    }
  }

  private static long outboxId(Delivered d) {
    try {
      JsonNode n = JSON.readTree(d.payload());
      return n.path("id").asLong();
    } catch (java.io.IOException e) {
      throw new AssertionError("change event is not JSON", e);
    }
  }

  /** Writes {@code n} change events of each feed used here, as a sync would. */
  private static void record(int n) throws Exception {
    ChangeEventWriter writer = new ChangeEventWriter();
    try (Connection c = db.connection()) {
      for (int i = 0; i < n; i++) {
        for (String feed : List.of("kraken", "polymarket")) {
          writer.record(c, feed, "token", "T" + System.nanoTime(), "ADDED", JSON.createObjectNode().put("state", "open"));
        }
      }
    }
  }

  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
