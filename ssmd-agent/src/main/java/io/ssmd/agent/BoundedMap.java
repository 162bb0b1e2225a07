package io.ssmd.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * A least-recently-used map with a fixed capacity; each eviction is reported to a counter so a
 * signal that tracks more symbols than it may keep shows in metrics instead of growing memory.
 * Not thread-safe (signals are called one at a time).
 */
public final class BoundedMap<K, V> extends LinkedHashMap<K, V> {
  private static final long serialVersionUID = 1L;

  private final int capacity;
  private final transient LongConsumer onEvict;
  private long evicted;

  /**
   * @param capacity entries kept at most (>= 1)
   * @param onEvict told 1 for each eviction
   */
  public BoundedMap(int capacity, LongConsumer onEvict) {
    super(16, 0.75f, true);
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
    this.onEvict = onEvict;
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    if (size() > capacity) {
      evicted++;
      onEvict.accept(1);
      return true;
    }
    return false;
  }

  /** Entries evicted so far. */
  public long evicted() {
    return evicted;
  }

  public int capacity() {
    return capacity;
  }
}
