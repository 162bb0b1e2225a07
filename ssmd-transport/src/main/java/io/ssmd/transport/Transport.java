package io.ssmd.transport;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Moves captured frames from connectors to consumers. Implementations: {@code memory} (in-process)
 * and {@code nats} (JetStream).
 *
 * <p>{@link #publish} never blocks on the network and never drops silently: the message is
 * buffered (bounded) and published asynchronously; its fate is reported to the {@link
 * PublishListener} given at construction.
 */
public interface Transport extends AutoCloseable {

  /** Queue one frame for publishing. Returns false if it was rejected (buffer full; already reported as dropped). */
  boolean publish(Envelope envelope);

  /** Subscribe to a subject pattern ({@code *} and {@code >} wildcards); ordered delivery per subscription. */
  AutoCloseable subscribe(String subjectPattern, Consumer<Delivered> handler);

  /** Wait until every queued message is acknowledged or dropped; false on timeout. */
  boolean flush(Duration timeout);

  /** Messages queued or in flight, not yet acknowledged. */
  long pending();

  /** True when connected to the broker (always true for memory). */
  boolean connected();

  @Override
  void close();
}
