package io.ssmd.transport.nats;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.PublishListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Helpers shared by the NATS integration tests. */
final class NatsTestSupport {
  private NatsTestSupport() {}

  static Connection connect(String url) throws Exception {
    return Nats.connect(url);
  }

  static StreamSpec spec(String name, String... subjects) {
    return new StreamSpec(name, List.of(subjects), Duration.ofHours(24), 1, Duration.ofMinutes(2), -1);
  }

  static Envelope envelope(String subject, String msgId) {
    return new Envelope(subject, ("{\"id\":\"" + msgId + "\"}").getBytes(StandardCharsets.UTF_8), msgId, 1_700_000_000_000_000_000L, "conn-7", 2);
  }

  /** Counts what the transport reports. */
  static final class Recorder implements PublishListener {
    final AtomicLong stored = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final ConcurrentHashMap<String, AtomicLong> dropped = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Long> seqById = new ConcurrentHashMap<>();

    @Override
    public void acked(Envelope envelope, long streamSeq, boolean duplicate) {
      (duplicate ? duplicates : stored).incrementAndGet();
      seqById.put(envelope.msgId(), streamSeq);
    }

    @Override
    public void dropped(Envelope envelope, String reason) {
      dropped.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
    }

    long dropped(String reason) {
      AtomicLong n = dropped.get(reason);
      return n == null ? 0 : n.get();
    }

    long droppedTotal() {
      return dropped.values().stream().mapToLong(AtomicLong::get).sum();
    }
  }
}
