package io.ssmd.transport;

/**
 * Outcome callbacks of asynchronous publishing. Called from transport threads; implementations
 * must be cheap and thread-safe (count a metric, record a latency).
 */
public interface PublishListener {
  /** The transport (JetStream) acknowledged the message; {@code duplicate} when it was dropped as a duplicate id. */
  void acked(Envelope envelope, long streamSeq, boolean duplicate);

  /** The message will never be published: buffer full, publish failed past its retries, transport closed. */
  void dropped(Envelope envelope, String reason);

  PublishListener NONE =
      new PublishListener() {
        @Override
        public void acked(Envelope envelope, long streamSeq, boolean duplicate) {}

        @Override
        public void dropped(Envelope envelope, String reason) {}
      };
}
