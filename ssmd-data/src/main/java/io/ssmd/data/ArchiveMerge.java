package io.ssmd.data;

import io.ssmd.archiver.ArchiveLine;
import io.ssmd.archiver.ArchiveReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Several feeds' archived lines in receive-time order (ties in feed order), as replay and
 * backtests read a day. Each feed is read on its own thread into a small bounded queue of batches:
 * {@link ArchiveReader} pushes lines, a merge pulls one line at a time from each feed, so memory
 * stays bounded whatever the size of the day.
 */
public final class ArchiveMerge {
  private static final int BATCH = 512;
  private static final int QUEUED_BATCHES = 8;

  /** Receives the merged lines; an exception it throws ends the merge (reader threads stop). */
  @FunctionalInterface
  public interface LineSink {
    void accept(String feed, ArchiveLine line) throws IOException;
  }

  private ArchiveMerge() {}

  /**
   * Merges {@code readers} (one per name in {@code feeds}, same order) into {@code sink}; returns the
   * number of lines delivered. A reader's failure surfaces as an IOException naming its feed once
   * the lines it produced before failing have been delivered.
   */
  public static long merge(List<String> feeds, List<ArchiveReader> readers, LineSink sink) throws IOException {
    if (feeds.size() != readers.size()) {
      throw new IllegalArgumentException(feeds.size() + " feed names for " + readers.size() + " readers");
    }
    List<Source> sources = new ArrayList<>(feeds.size());
    for (int i = 0; i < feeds.size(); i++) {
      Source s = new Source(feeds.get(i), readers.get(i));
      sources.add(s);
      s.thread.start();
    }
    long lines = 0;
    try {
      while (true) {
        Source best = null;
        for (Source s : sources) {
          ArchiveLine head = s.head();
          if (head != null && (best == null || head.receivedAtMicros() < best.head().receivedAtMicros())) {
            best = s;
          }
        }
        if (best == null) {
          return lines;
        }
        lines++;
        sink.accept(best.name, best.take());
      }
    } finally {
      sources.forEach(s -> s.thread.interrupt());
    }
  }

  /** One feed read on its own thread into bounded batches, consumed one line at a time. */
  private static final class Source {
    private static final List<ArchiveLine> END = List.of();
    final String name;
    final Thread thread;
    private final BlockingQueue<List<ArchiveLine>> queue = new ArrayBlockingQueue<>(QUEUED_BATCHES);
    private volatile IOException failure;
    private List<ArchiveLine> batch;
    private int at;
    private boolean done;

    Source(String name, ArchiveReader reader) {
      this.name = name;
      this.thread = Thread.ofPlatform().name("archive-merge-" + name).daemon().unstarted(() -> read(reader));
    }

    private void read(ArchiveReader reader) {
      List<ArchiveLine> pending = new ArrayList<>(BATCH);
      try {
        reader.forEach(line -> {
          pending.add(line);
          if (pending.size() == BATCH) {
            put(new ArrayList<>(pending));
            pending.clear();
          }
        });
        if (!pending.isEmpty()) {
          put(pending);
        }
      } catch (IOException e) {
        failure = e;
      } catch (Stopped e) {
        return;
      }
      put(END);
    }

    private void put(List<ArchiveLine> b) {
      try {
        queue.put(b);
      } catch (InterruptedException e) {
        throw new Stopped();
      }
    }

    /** The next line without consuming it, or null at the end. */
    ArchiveLine head() throws IOException {
      while (!done && (batch == null || at == batch.size())) {
        try {
          batch = queue.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("reading the " + name + " archive was interrupted");
        }
        at = 0;
        if (batch == END) {
          done = true;
          if (failure != null) {
            throw new IOException("cannot read the " + name + " archive: " + failure.getMessage(), failure);
          }
        }
      }
      return done ? null : batch.get(at);
    }

    ArchiveLine take() throws IOException {
      ArchiveLine l = head();
      at++;
      return l;
    }
  }

  /** Ends a reader thread when the merge stops early. */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super(null, null, false, false);
    }
  }
}
