package io.ssmd.export;

import io.ssmd.archiver.ArchiveLine;
import io.ssmd.archiver.ArchiveReader;
import io.ssmd.market.Normalized;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads, normalizes and appends a day on several threads while keeping capture order: one thread
 * reads and gunzips the archive into batches, a pool normalizes batches (normalizers are pure),
 * and the calling thread appends the results batch by batch in the order they were read. The
 * queue between them is bounded, so memory stays flat however long the day.
 */
final class NormalizePipeline {
  private static final int BATCH = 2048;
  private static final Future<Batch> END = CompletableFuture.completedFuture(null);

  private record Batch(List<ArchiveLine> lines, Normalized[] results) {}

  /** Unwinds the reader thread when the consumer has stopped. */
  private static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stop() {
      super(null, null, false, false);
    }
  }

  private NormalizePipeline() {}

  /** Feeds every readable line of {@code reader} through {@code stager}; returns when all are appended. */
  static void run(ArchiveReader reader, DayStager stager, int workers) throws IOException {
    if (workers <= 0) {
      reader.forEach(stager::accept);
      return;
    }
    BlockingQueue<Future<Batch>> queue = new ArrayBlockingQueue<>(workers * 4);
    AtomicInteger ids = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "ssmd-export-normalize-" + ids.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    Throwable[] readFailure = new Throwable[1];
    Thread readerThread = new Thread(() -> {
      List<ArchiveLine>[] batch = newBatch();
      try {
        reader.forEach(line -> {
          batch[0].add(line);
          if (batch[0].size() == BATCH) {
            submit(queue, pool, stager, batch[0]);
            batch[0] = newBatch()[0];
          }
        });
        if (!batch[0].isEmpty()) {
          submit(queue, pool, stager, batch[0]);
        }
      } catch (Stop e) {
        return;
      } catch (IOException | RuntimeException | Error e) {
        readFailure[0] = e;
      }
      try {
        queue.put(END);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "ssmd-export-read");
    readerThread.setDaemon(true);
    readerThread.start();
    try {
      while (true) {
        Future<Batch> f = queue.take();
        if (f == END) {
          break;
        }
        Batch b = f.get();
        for (int i = 0; i < b.lines().size(); i++) {
          stager.record(b.lines().get(i), b.results()[i]);
        }
      }
      readerThread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExportException("export interrupted");
    } catch (ExecutionException e) {
      throw rethrow(e.getCause());
    } finally {
      readerThread.interrupt();
      pool.shutdownNow();
      awaitQuietly(readerThread, pool);
    }
    if (readFailure[0] instanceof IOException io) {
      throw io;
    }
    if (readFailure[0] != null) {
      throw rethrow(readFailure[0]);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<ArchiveLine>[] newBatch() {
    return new List[] {new ArrayList<>(BATCH)};
  }

  private static void submit(BlockingQueue<Future<Batch>> queue, ExecutorService pool, DayStager stager, List<ArchiveLine> lines) {
    Future<Batch> f = pool.submit(() -> {
      Normalized[] out = new Normalized[lines.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = DayStager.normalize(stager.normalizer(), lines.get(i));
      }
      return new Batch(lines, out);
    });
    try {
      queue.put(f);
    } catch (InterruptedException e) {
      throw new Stop();
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof Error err) {
      throw err;
    }
    if (t instanceof RuntimeException re) {
      return re;
    }
    if (t instanceof IOException io) {
      return new UncheckedIOException(io);
    }
    return new ExportException("normalization failed: " + t, t);
  }

  private static void awaitQuietly(Thread readerThread, ExecutorService pool) {
    try {
      readerThread.join(TimeUnit.SECONDS.toMillis(10));
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
