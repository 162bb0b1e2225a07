package io.ssmd.transport.memory;

import io.ssmd.transport.Delivered;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.Headers;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.Transport;
import io.ssmd.transport.TransportStats;
import io.ssmd.transport.internal.DropLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process {@link Transport} with JetStream's semantics, for {@code ssmd up} and tests.
 *
 * <ul>
 *   <li>{@link #publish} puts the frame into a bounded buffer and returns; a full buffer drops it
 *       ({@code buffer_full}, counted, logged, reported).
 *   <li>One store thread takes frames in order, drops repeated message ids seen within the
 *       duplicate window (acked as duplicate with the original sequence), gives every new frame the
 *       next sequence number and appends it to a bounded log (a ring of {@code retainMessages}).
 *   <li>Each subscription reads the log on its own thread at its own pace, in sequence order. A
 *       subscriber that falls more than {@code retainMessages} behind loses the oldest messages, as
 *       with a stream's limits, and sees the gap in {@link Delivered#seq()}; it never blocks
 *       publishing.
 * </ul>
 *
 * Memory is bounded by the buffer, the log and {@code maxTrackedIds}.
 */
public final class MemoryTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryTransport.class);
  private static final int BATCH = 1024;
  private static final Duration CLOSE_FLUSH = Duration.ofSeconds(5);

  private final MemoryTransportOptions options;
  private final PublishListener listener;
  private final ArrayBlockingQueue<Envelope> buffer;
  private final AtomicReferenceArray<Delivered> log;
  private final int mask;
  private final DropLog drops = new DropLog(LOG, "memory transport", 5_000);
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong pending = new AtomicLong();
  private final Set<MemorySubscription> subscriptions = new CopyOnWriteArraySet<>();
  private final ReentrantLock signalLock = new ReentrantLock();
  private final Condition stored = signalLock.newCondition();
  private final Thread storeThread;

  // Written only by the store thread; read by subscribers (volatile publishes the ring slots).
  private volatile long lastSeq;
  private volatile long storedCount;
  private volatile long duplicateCount;
  private volatile boolean closed;
  private volatile boolean storeStopped;

  /** Ids remembered for de-duplication, oldest first; touched only by the store thread. */
  private final LinkedHashMap<String, SeenId> seenIds = new LinkedHashMap<>();

  private record SeenId(long seq, long atNanos) {}

  private MemoryTransport(MemoryTransportOptions options, PublishListener listener) {
    this.options = options;
    this.listener = listener;
    this.buffer = new ArrayBlockingQueue<>(options.bufferMessages());
    int capacity = Integer.highestOneBit(options.retainMessages());
    if (capacity < options.retainMessages()) {
      capacity <<= 1;
    }
    this.log = new AtomicReferenceArray<>(capacity);
    this.mask = capacity - 1;
    this.storeThread = Thread.ofPlatform().name("ssmd-memory-store").daemon().unstarted(this::storeLoop);
  }

  /** Creates the transport and starts its store thread. */
  public static MemoryTransport start(MemoryTransportOptions options, PublishListener listener) {
    MemoryTransport t = new MemoryTransport(Objects.requireNonNull(options), Objects.requireNonNull(listener));
    t.storeThread.start();
    LOG.info("memory transport started (buffer {}, retain {}, duplicate window {})",
        options.bufferMessages(), t.log.length(), options.duplicateWindow());
    return t;
  }

  /** {@link #start(MemoryTransportOptions, PublishListener)} with {@link MemoryTransportOptions#defaults()}. */
  public static MemoryTransport start(PublishListener listener) {
    return start(MemoryTransportOptions.defaults(), listener);
  }

  @Override
  public boolean publish(Envelope envelope) {
    if (closed) {
      drop(envelope, "closed");
      return false;
    }
    // Count before offering: the store thread may ack (and decrement) before offer() returns.
    pending.incrementAndGet();
    if (!buffer.offer(envelope)) {
      pending.decrementAndGet();
      drop(envelope, "buffer_full");
      return false;
    }
    accepted.incrementAndGet();
    return true;
  }

  @Override
  public AutoCloseable subscribe(String subjectPattern, long startSeq, Consumer<Delivered> handler) {
    Objects.requireNonNull(subjectPattern, "subjectPattern");
    Objects.requireNonNull(handler, "handler");
    if (closed) {
      throw new IllegalStateException("memory transport is closed");
    }
    long first = startSeq == NEW ? lastSeq + 1 : Math.max(1, startSeq);
    MemorySubscription sub = new MemorySubscription(subjectPattern, first, handler);
    subscriptions.add(sub);
    sub.thread.start();
    return sub;
  }

  @Override
  public boolean flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending.get() > 0) {
      if (System.nanoTime() - deadline >= 0 || storeStopped) {
        return pending.get() == 0;
      }
      LockSupport.parkNanos(200_000);
    }
    return true;
  }

  @Override
  public long pending() {
    return pending.get();
  }

  @Override
  public boolean connected() {
    return !closed;
  }

  /** Sequence of the last stored message (0 before the first). */
  public long lastSeq() {
    return lastSeq;
  }

  /** Counters since start. */
  public TransportStats stats() {
    return new TransportStats(accepted.get(), storedCount, duplicateCount, 0, drops.byReason(), pending.get());
  }

  /** Stops accepting, stores what is buffered (up to 5 s), drops the rest as {@code closed}, ends subscriptions. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    flush(CLOSE_FLUSH);
    storeStopped = true;
    storeThread.interrupt();
    try {
      storeThread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Envelope> leftover = new ArrayList<>();
    buffer.drainTo(leftover);
    for (Envelope e : leftover) {
      pending.decrementAndGet();
      drop(e, "closed");
    }
    for (MemorySubscription sub : subscriptions) {
      sub.close();
    }
    LOG.info("memory transport closed: {}", stats());
  }

  private void drop(Envelope e, String reason) {
    drops.dropped(e.subject(), reason);
    try {
      listener.dropped(e, reason);
    } catch (RuntimeException ex) {
      LOG.error("publish listener failed on dropped({}): {}", reason, ex.toString(), ex);
    }
  }

  private void storeLoop() {
    List<Envelope> batch = new ArrayList<>(BATCH);
    while (!storeStopped) {
      try {
        Envelope first = buffer.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        buffer.drainTo(batch, BATCH - 1);
      } catch (InterruptedException e) {
        if (storeStopped) {
          break;
        }
        continue;
      }
      long now = System.nanoTime();
      forgetExpiredIds(now);
      for (Envelope e : batch) {
        try {
          store(e, now);
        } catch (RuntimeException ex) {
          // Nothing may kill the store thread: that would silently stop all publishing.
          LOG.error("memory transport failed to store {}: {}", e.subject(), ex.toString(), ex);
          drop(e, "store_failed");
        } finally {
          pending.decrementAndGet();
        }
      }
      batch.clear();
      signalSubscribers();
    }
  }

  private void store(Envelope e, long now) {
    SeenId seen = seenIds.get(e.msgId());
    if (seen != null) {
      duplicateCount++;
      ack(e, seen.seq(), true);
      return;
    }
    long seq = lastSeq + 1;
    Map<String, String> headers =
        Map.of(
            Headers.MSG_ID, e.msgId(),
            Headers.RECEIVED_AT, Long.toString(e.receivedAtNanos()),
            Headers.CONN, e.connId(),
            Headers.SHARD, Integer.toString(e.shard()));
    log.set((int) (seq & mask), new Delivered(e.subject(), e.payload(), headers, seq));
    lastSeq = seq;
    storedCount++;
    if (options.maxTrackedIds() > 0 && !options.duplicateWindow().isZero()) {
      seenIds.put(e.msgId(), new SeenId(seq, now));
      if (seenIds.size() > options.maxTrackedIds()) {
        Iterator<SeenId> it = seenIds.values().iterator();
        it.next();
        it.remove();
      }
    }
    ack(e, seq, false);
  }

  private void ack(Envelope e, long seq, boolean duplicate) {
    try {
      listener.acked(e, seq, duplicate);
    } catch (RuntimeException ex) {
      LOG.error("publish listener failed on acked(seq {}): {}", seq, ex.toString(), ex);
    }
  }

  private void forgetExpiredIds(long now) {
    long window = options.duplicateWindow().toNanos();
    Iterator<SeenId> it = seenIds.values().iterator();
    while (it.hasNext()) {
      if (now - it.next().atNanos() <= window) {
        break;
      }
      it.remove();
    }
  }

  private void signalSubscribers() {
    if (subscriptions.isEmpty()) {
      return;
    }
    signalLock.lock();
    try {
      stored.signalAll();
    } finally {
      signalLock.unlock();
    }
  }

  /** Reads the log from its own cursor on its own thread. */
  private final class MemorySubscription implements AutoCloseable {
    final String pattern;
    final boolean literal;
    final Consumer<Delivered> handler;
    final Thread thread;
    volatile boolean stopped;
    long next;

    MemorySubscription(String pattern, long first, Consumer<Delivered> handler) {
      this.pattern = pattern;
      this.literal = pattern.indexOf('*') < 0 && pattern.indexOf('>') < 0;
      this.handler = handler;
      this.next = first;
      this.thread = Thread.ofPlatform().name("ssmd-memory-sub-" + pattern).daemon().unstarted(this::run);
    }

    private void run() {
      long gaps = 0;
      while (!stopped) {
        long head = lastSeq;
        if (next > head) {
          awaitStored(head);
          continue;
        }
        long oldest = Math.max(1, head - log.length() + 1);
        if (next < oldest) {
          gaps += oldest - next;
          LOG.warn("memory subscription {} fell behind: {} message(s) no longer retained ({} in total); resuming at seq {}",
              pattern, oldest - next, gaps, oldest);
          next = oldest;
        }
        Delivered d = log.get((int) (next & mask));
        if (d == null || d.seq() != next) {
          // Overwritten between reading lastSeq and the slot: recompute the oldest retained.
          continue;
        }
        next++;
        if (literal ? pattern.equals(d.subject()) : Subjects.matches(pattern, d.subject())) {
          try {
            handler.accept(d);
          } catch (RuntimeException ex) {
            LOG.error("subscription {} handler failed on seq {}: {}", pattern, d.seq(), ex.toString(), ex);
          }
        }
      }
    }

    private void awaitStored(long head) {
      signalLock.lock();
      try {
        // Re-check under the lock: the store thread signals under it, so no wake-up is lost.
        if (lastSeq == head && !stopped) {
          stored.await(100, TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        stopped = true;
      } finally {
        signalLock.unlock();
      }
    }

    @Override
    public void close() {
      stopped = true;
      subscriptions.remove(this);
      if (Thread.currentThread() != thread) {
        thread.interrupt();
        try {
          thread.join(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
