package io.ssmd.connector;

import io.ssmd.transport.Delivered;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Collects published envelopes and acknowledges them at once, like a broker that never fails.
 * Shared with the venue modules' connector tests through this module's test-jar.
 */
public final class CollectingTransport implements Transport {
  public final List<Envelope> published = new CopyOnWriteArrayList<>();
  private final PublishListener listener;
  private final AtomicLong seq = new AtomicLong();
  public volatile boolean flushed;

  public CollectingTransport(PublishListener listener) {
    this.listener = listener;
  }

  @Override
  public boolean publish(Envelope envelope) {
    published.add(envelope);
    listener.acked(envelope, seq.incrementAndGet(), false);
    return true;
  }

  @Override
  public AutoCloseable subscribe(String subjectPattern, long startSeq, Consumer<Delivered> handler) {
    throw new UnsupportedOperationException("publish-only test transport");
  }

  @Override
  public boolean flush(Duration timeout) {
    flushed = true;
    return true;
  }

  @Override
  public long pending() {
    return 0;
  }

  @Override
  public boolean connected() {
    return true;
  }

  @Override
  public void close() {}
}
