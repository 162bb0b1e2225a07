package io.ssmd.bench;

import io.ssmd.transport.Envelope;
import io.ssmd.transport.PublishListener;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts acknowledgements and records receive-to-ack latency (epoch nanos now minus {@link
 * Envelope#receivedAtNanos()}, the WebSocket receive time), then passes every callback on to the
 * connector's own listener so its metrics stay as in production.
 */
final class AckMeter implements PublishListener {
  /** Latencies above this are clamped (a minute is far past anything a healthy run shows). */
  private static final long MAX_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final LongAdder acked = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final Recorder latency = new Recorder(MAX_LATENCY_NANOS, 3);
  private volatile PublishListener next = PublishListener.NONE;

  /** Where callbacks go after they are counted (the connector's metrics listener). */
  void forwardTo(PublishListener listener) {
    this.next = listener;
  }

  @Override
  public void acked(Envelope envelope, long streamSeq, boolean duplicate) {
    Instant now = Instant.now();
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano() - envelope.receivedAtNanos();
    latency.recordValue(Math.max(0, Math.min(nanos, MAX_LATENCY_NANOS)));
    acked.increment();
    next.acked(envelope, streamSeq, duplicate);
  }

  @Override
  public void dropped(Envelope envelope, String reason) {
    dropped.increment();
    next.dropped(envelope, reason);
  }

  long acked() {
    return acked.sum();
  }

  long dropped() {
    return dropped.sum();
  }

  /** Starts a new latency interval: what was recorded so far (the warm-up) is discarded. */
  void resetLatency() {
    latency.reset();
  }

  /** Latencies recorded since the last reset or call. */
  Histogram latencySinceReset() {
    return latency.getIntervalHistogram();
  }
}
