package io.ssmd.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every data message a simulated venue wrote to a socket, with a unique id, the routing a
 * connector should give it (type and ticker as in DESIGN §3) and its exact bytes, so tests can
 * check that each message arrives exactly once on the right subject. For a JSON-array frame, one
 * entry per element, holding the element's exact bytes.
 *
 * <p>Disabled journals (capacity 0, the default for {@code ssmd up}) only count.
 */
public final class Journal {

  /** One data message as sent. {@code connection} is the simulator's connection number. */
  public record Entry(long id, String type, String ticker, byte[] bytes, long connection) {
    public String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  private final int capacity;
  private final AtomicLong ids = new AtomicLong();
  private final List<Entry> entries = new ArrayList<>();
  private long dropped;

  /** @param capacity how many entries to keep (0 keeps none); past it entries are counted, not kept */
  public Journal(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("journal capacity must be >= 0, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** Records one sent data message and returns its id. */
  public long record(String type, String ticker, byte[] bytes, long connection) {
    long id = ids.incrementAndGet();
    synchronized (entries) {
      if (entries.size() < capacity) {
        entries.add(new Entry(id, type, ticker, bytes, connection));
      } else {
        dropped++;
      }
    }
    return id;
  }

  /** Messages recorded so far (kept or not). */
  public long count() {
    return ids.get();
  }

  /** A copy of the kept entries, in send order. */
  public List<Entry> entries() {
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }

  /** Entries not kept because the journal was full. */
  public long overflow() {
    synchronized (entries) {
      return dropped;
    }
  }

  public void clear() {
    synchronized (entries) {
      entries.clear();
      dropped = 0;
    }
  }
}
