package io.ssmd.archiver;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.transport.Delivered;
import io.ssmd.transport.Headers;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.Transport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archives one feed from a plain {@link Transport} subscription: the {@code memory} transport of
 * {@code ssmd up}. Same files, manifests and rotation as {@link Archiver}, but there is no durable
 * consumer: what the process had not written when it stops is gone with the in-process transport.
 *
 * <p>The memory transport numbers messages from 1 in every process, so {@code _nats_seq} is the
 * transport's sequence offset by the last sequence already in today's archive: sequences keep
 * increasing across runs and a restart is never mistaken for redelivery.
 */
public final class TransportArchiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TransportArchiver.class);

  private final Transport transport;
  private final String pattern;
  private final String feed;
  private final ArchiveWriter writer;
  private final ArchiverMetrics metrics;
  private final ScheduledExecutorService flusher;
  private final List<Incoming> pending = new ArrayList<>();
  private final AtomicLong written = new AtomicLong();
  private long offset;
  private AutoCloseable subscription;

  /**
   * @param subjectPrefix first subject token; the archiver takes {@code {prefix}.{feed}.>}
   * @param root archive root: files go to {@code {root}/{feed}/{date}/{HHMM}.jsonl.gz}
   */
  public TransportArchiver(Transport transport, String subjectPrefix, String feed, Path root, Duration rotation,
      PrometheusRegistry registry) {
    if (rotation.isNegative() || rotation.getSeconds() < 1 || 86_400 % rotation.getSeconds() != 0 || rotation.getNano() != 0) {
      throw new IllegalArgumentException("archive rotation must be whole seconds that divide a day (15m, 1h, 1d), got " + rotation);
    }
    this.transport = transport;
    this.feed = feed;
    this.pattern = Subjects.feedWildcard(subjectPrefix, feed);
    this.metrics = ArchiverMetrics.create(registry, feed);
    this.writer = new ArchiveWriter(root, feed, rotation, FsyncPolicy.ROTATION, Clock.systemUTC(), new ArchiveWriter.Events() {
      @Override
      public void written(int records, long bytes) {
        metrics.written(records, bytes);
        written.addAndGet(records);
      }

      @Override
      public void gap(Manifest.Gap gap) {
        metrics.gap();
        LOG.warn("{} archive: {} message(s) after sequence {} were never delivered (the subscription fell behind the"
            + " memory transport); recorded in the manifest", feed, gap.missingCount(), gap.afterSeq());
      }

      @Override
      public void writeError(Path path, IOException e) {
        metrics.writeError();
      }

      @Override
      public void completed(Path dayDir, Manifest.FileEntry entry) {
        metrics.fileWritten();
      }
    });
    this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "archiver-" + feed);
      t.setDaemon(true);
      return t;
    });
  }

  /** Recovers today's archive (repairs leftovers), subscribes and starts writing every 200 ms. */
  public void start() throws IOException {
    offset = Math.max(0, writer.recover());
    subscription = transport.subscribe(pattern, this::onMessage);
    flusher.scheduleWithFixedDelay(this::flush, 200, 200, TimeUnit.MILLISECONDS);
    LOG.atInfo().addKeyValue("feed", feed).addKeyValue("pattern", pattern).addKeyValue("resume_after_seq", offset)
        .log("archiving {} from the transport", feed);
  }

  public String feed() {
    return feed;
  }

  /** Lines written so far by this process. */
  public long written() {
    return written.get();
  }

  private void onMessage(Delivered d) {
    String at = d.headers().get(Headers.RECEIVED_AT);
    long micros;
    try {
      micros = at == null ? System.currentTimeMillis() * 1000 : Long.parseLong(at) / 1000;
    } catch (NumberFormatException e) {
      micros = System.currentTimeMillis() * 1000;
    }
    synchronized (pending) {
      pending.add(new Incoming(offset + d.seq(), d.subject(), d.payload(), micros));
    }
  }

  private void flush() {
    List<Incoming> batch;
    synchronized (pending) {
      batch = new ArrayList<>(pending);
      pending.clear();
    }
    try {
      if (!batch.isEmpty()) {
        writer.append(batch);
      }
      writer.rotateIfDue();
    } catch (IOException e) {
      // Keep the batch for the next round: an in-process archive has nowhere else to keep it.
      synchronized (pending) {
        pending.addAll(0, batch);
      }
      LOG.error("{} archive: cannot write ({}); will retry", feed, e.toString());
    } catch (RuntimeException e) {
      LOG.error("{} archive: unexpected error: {}", feed, e.toString(), e);
    }
  }

  /** Writes what is pending, finishes the current file and updates the manifest. */
  @Override
  public void close() {
    try {
      if (subscription != null) {
        subscription.close();
      }
    } catch (Exception e) {
      LOG.warn("{} archive: closing the subscription: {}", feed, e.toString());
    }
    flusher.shutdown();
    try {
      flusher.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
    try {
      writer.close();
    } catch (IOException e) {
      LOG.error("{} archive: cannot finish the current file: {}", feed, e.toString());
    }
  }
}
