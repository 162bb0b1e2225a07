package io.ssmd.venue.kraken;

import io.ssmd.transport.Delivered;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** A {@link Transport} that keeps every published envelope and acks it at once. */
final class CollectingTransport implements Transport {
  final List<Envelope> published = new CopyOnWriteArrayList<>();
  private final PublishListener listener;
  private final AtomicLong seq = new AtomicLong();

  CollectingTransport(PublishListener listener) {
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
    throw new UnsupportedOperationException("collecting transport is publish-only");
  }

  @Override
  public boolean flush(Duration timeout) {
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
