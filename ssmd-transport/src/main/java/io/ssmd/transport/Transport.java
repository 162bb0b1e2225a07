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
 *
 * <p>Subscriptions read what the transport retains (the JetStream stream, or the memory
 * transport's bounded log), in sequence order, each at its own pace: a slow reader never slows
 * publishing down. A reader that falls behind what is retained sees a gap in {@link
 * Delivered#seq()}, which is how archivers detect and record lost data.
 */
public interface Transport extends AutoCloseable {

  /** {@link #subscribe(String, long, Consumer)} start position: only messages stored after the call. */
  long NEW = 0L;

  /** {@link #subscribe(String, long, Consumer)} start position: everything the transport retains. */
  long FIRST = 1L;

  /** Queue one frame for publishing. Returns false if it was rejected (buffer full; already reported as dropped). */
  boolean publish(Envelope envelope);

  /**
   * Subscribe to a subject pattern ({@code *} and {@code >} wildcards); ordered delivery per
   * subscription, starting with everything retained ({@link #FIRST}).
   */
  default AutoCloseable subscribe(String subjectPattern, Consumer<Delivered> handler) {
    return subscribe(subjectPattern, FIRST, handler);
  }

  /**
   * Subscribe starting at stream sequence {@code startSeq} ({@link #FIRST} for everything
   * retained, {@link #NEW} for only what arrives after the call). The handler runs on a transport
   * thread, one message at a time, in sequence order; an exception it throws is logged and counted
   * and delivery goes on. Closing the returned handle stops delivery.
   */
  AutoCloseable subscribe(String subjectPattern, long startSeq, Consumer<Delivered> handler);

  /** Wait until every queued message is acknowledged or dropped; false on timeout. */
  boolean flush(Duration timeout);

  /** Messages queued or in flight, not yet acknowledged. */
  long pending();

  /** True when connected to the broker (always true for memory). */
  boolean connected();

  @Override
  void close();
}
