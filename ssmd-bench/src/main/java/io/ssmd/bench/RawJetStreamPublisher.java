package io.ssmd.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.ssmd.sim.Journal;
import io.ssmd.transport.Subjects;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limit: plain jnats {@code publishAsync} of journaled simulator frames into the same stream,
 * each with a unique {@code Nats-Msg-Id}, at most {@code inFlight} unacknowledged. No connector,
 * no WebSocket, no envelope: what JetStream on this machine acknowledges at best.
 */
final class RawJetStreamPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(RawJetStreamPublisher.class);

  private final String url;
  private final int inFlight;

  RawJetStreamPublisher(String url, int inFlight) {
    this.url = url;
    this.inFlight = inFlight;
  }

  /**
   * Publishes the frames round-robin for {@code warmup + window} and returns the acknowledged
   * messages per second inside the window.
   */
  double run(String env, String feed, List<Journal.Entry> frames, Duration warmup, Duration window)
      throws IOException, InterruptedException {
    String[] subjects = new String[frames.size()];
    for (int i = 0; i < frames.size(); i++) {
      Journal.Entry e = frames.get(i);
      subjects[i] = Subjects.subject(env, feed, e.type(), e.ticker());
    }
    Options options = new Options.Builder().server(url).connectionName("ssmd-bench-raw").build();
    try (Connection connection = Nats.connect(options)) {
      JetStream js = connection.jetStream();
      Semaphore permits = new Semaphore(inFlight);
      LongAdder acked = new LongAdder();
      LongAdder failed = new LongAdder();
      long start = System.nanoTime();
      long windowStart = start + warmup.toNanos();
      long end = windowStart + window.toNanos();
      long ackedAtStart = -1;
      long startedAt = 0;
      long n = 0;
      while (System.nanoTime() < end) {
        if (ackedAtStart < 0 && System.nanoTime() >= windowStart) {
          ackedAtStart = acked.sum();
          startedAt = System.nanoTime();
        }
        if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        int i = (int) (n % frames.size());
        Headers headers = new Headers();
        headers.put(io.ssmd.transport.Headers.MSG_ID, "raw-" + n);
        n++;
        Message msg = NatsMessage.builder().subject(subjects[i]).headers(headers).data(frames.get(i).bytes()).build();
        try {
          js.publishAsync(msg).whenComplete((ack, err) -> {
            permits.release();
            if (err == null) {
              acked.increment();
            } else {
              failed.increment();
            }
          });
        } catch (RuntimeException e) {
          permits.release();
          failed.increment();
        }
      }
      long ackedAtEnd = acked.sum();
      double seconds = (System.nanoTime() - startedAt) / 1e9;
      // let what is in flight settle before the connection closes
      permits.tryAcquire(inFlight, 10, TimeUnit.SECONDS);
      if (failed.sum() > 0) {
        LOG.warn("raw jnats baseline: {} of {} publishes failed", failed.sum(), n);
      }
      return (ackedAtEnd - Math.max(0, ackedAtStart)) / seconds;
    }
  }
}
