package io.ssmd.sim.kalshi;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated Kalshi reference universe served over REST: series, events of ten markets, and
 * markets {@code SIM-MKT-000 ..}. Nothing is stored per market: every field derives from the
 * market index, the seed and the start time, so 10^5..10^6 markets cost no memory. Only markets a
 * test changed (opened, closed, renamed, added) carry an {@link Change} in a map.
 *
 * <p>Markets of one event share their schedule and status class; the first events (those of the
 * WebSocket universe) are always open so a connector can subscribe to them. Timestamps are epoch
 * seconds.
 */
final class KalshiReference {
  /** A series of the universe. */
  record Series(String ticker, String title, String category, List<String> tags, String frequency, String feeType, String feeMultiplier) {}

  static final List<Series> SERIES =
      List.of(
          new Series("SIM", "Simulated economics", "Economics", List.of("Inflation", "Rates"), "daily", "quadratic", "1"),
          new Series("SIMWX", "Simulated weather", "Climate and Weather", List.of("Temperature"), "daily", "quadratic_with_maker_fees", "1"),
          new Series("SIMPOL", "Simulated politics", "Politics", List.of("Elections", "Congress"), "weekly", "quadratic", "0.5"),
          new Series("SIMSPT", "Simulated sports", "Sports", List.of("Football"), "custom", "flat", "0.7"));

  /** Market status as Kalshi's REST returns it (not the filter vocabulary). */
  static final String INITIALIZED = "initialized";
  static final String ACTIVE = "active";
  static final String INACTIVE = "inactive";
  static final String CLOSED = "closed";
  static final String DETERMINED = "determined";
  static final String FINALIZED = "finalized";

  private static final long DAY = 86_400;

  /**
   * What a test changed on one market; null fields keep the generated value.
   *
   * @param updatedTs epoch seconds of the last change, always set
   */
  record Change(String status, String title, Long openTs, Long closeTs, long createdTs, long updatedTs) {}

  /** The state of one market at the time of a request. */
  record State(
      int index,
      String status,
      String title,
      long createdTs,
      long updatedTs,
      long openTs,
      long closeTs,
      long settledTs,
      int seriesIndex,
      long hash) {
    String ticker() {
      return KalshiSim.marketTicker(index);
    }

    String eventTicker() {
      return KalshiSim.eventTicker(index / KalshiSim.MARKETS_PER_EVENT);
    }

    Series series() {
      return SERIES.get(seriesIndex);
    }
  }

  private final long seed;
  private final int wsEvents;
  /** Start of the universe: generated schedules are relative to it, and nothing generated is updated after it. */
  final long t0;
  private final AtomicInteger size;
  private final Map<Integer, Change> changes = new ConcurrentHashMap<>();

  KalshiReference(KalshiSimOptions options, Instant start) {
    this.seed = options.seed();
    this.wsEvents = (options.markets() + KalshiSim.MARKETS_PER_EVENT - 1) / KalshiSim.MARKETS_PER_EVENT;
    this.t0 = start.truncatedTo(ChronoUnit.SECONDS).getEpochSecond();
    this.size = new AtomicInteger(options.referenceUniverse());
  }

  int size() {
    return size.get();
  }

  int events() {
    return (size() + KalshiSim.MARKETS_PER_EVENT - 1) / KalshiSim.MARKETS_PER_EVENT;
  }

  /** Index of a market ticker of this universe, or -1. */
  int indexOf(String ticker) {
    int i = parse(ticker, "SIM-MKT-");
    return i >= 0 && i < size() && KalshiSim.marketTicker(i).equals(ticker) ? i : -1;
  }

  /** Index of an event ticker of this universe, or -1. */
  int eventIndexOf(String ticker) {
    int e = parse(ticker, "SIM-EVT-");
    return e >= 0 && e < events() && KalshiSim.eventTicker(e).equals(ticker) ? e : -1;
  }

  /** Index of a series ticker, or -1. */
  static int seriesIndexOf(String ticker) {
    for (int s = 0; s < SERIES.size(); s++) {
      if (SERIES.get(s).ticker().equals(ticker)) {
        return s;
      }
    }
    return -1;
  }

  private static int parse(String ticker, String prefix) {
    if (ticker == null || !ticker.startsWith(prefix) || ticker.length() > prefix.length() + 9) {
      return -1;
    }
    try {
      return Integer.parseInt(ticker.substring(prefix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Series of event {@code e}: the WebSocket events are all in {@code SIM}. */
  int seriesOf(int e) {
    return e < wsEvents ? 0 : (int) Long.remainderUnsigned(mix(seed ^ 0x5e41e5L, e), SERIES.size());
  }

  /** The state of market {@code i} (which must exist), with any change applied. */
  State state(int i) {
    int e = i / KalshiSim.MARKETS_PER_EVENT;
    long h = mix(seed, e);
    long created = t0 - 120 * DAY + Long.remainderUnsigned(h >>> 8, 30 * DAY);
    long open;
    long close;
    long settled = 0;
    String status;
    // status class of the event: mostly open, some not yet open, some closed or settled
    int cls = e < wsEvents ? 0 : (int) Long.remainderUnsigned(h, 20);
    if (cls < 14) {
      status = ACTIVE;
      open = t0 - DAY - Long.remainderUnsigned(h >>> 16, 30 * DAY);
      close = t0 + 3600 + Long.remainderUnsigned(h >>> 24, 60 * DAY);
    } else if (cls < 16) {
      status = INITIALIZED;
      open = t0 + DAY + Long.remainderUnsigned(h >>> 16, 10 * DAY);
      close = open + 30 * DAY;
    } else if (cls < 18) {
      status = CLOSED;
      open = t0 - 60 * DAY;
      close = t0 - DAY - Long.remainderUnsigned(h >>> 16, 5 * DAY);
    } else if (cls < 19) {
      status = DETERMINED;
      open = t0 - 60 * DAY;
      close = t0 - 10 * DAY;
    } else {
      status = FINALIZED;
      open = t0 - 90 * DAY;
      close = t0 - 30 * DAY;
      settled = close + DAY;
    }
    created = Math.min(created, open - 3600);
    long updated = t0 - DAY;
    String title = "Simulated market " + i;
    Change c = changes.get(i);
    if (c != null) {
      status = c.status() != null ? c.status() : status;
      title = c.title() != null ? c.title() : title;
      open = c.openTs() != null ? c.openTs() : open;
      close = c.closeTs() != null ? c.closeTs() : close;
      created = c.createdTs() != 0 ? c.createdTs() : created;
      updated = c.updatedTs();
      if (c.status() != null && !c.status().equals(FINALIZED)) {
        settled = 0;
      }
    }
    return new State(i, status, title, created, updated, open, close, settled, seriesOf(e), mix(seed ^ 0x3a7L, i));
  }

  /** Whether market {@code i} was changed at or after {@code ts}: cheap, for min_updated_ts scans. */
  long updatedTs(int i) {
    Change c = changes.get(i);
    return c == null ? t0 - DAY : c.updatedTs();
  }

  /** Indexes of every changed market (few), for min_updated_ts queries. */
  int[] changedIndexes() {
    return changes.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  // ---------------------------------------------------------------- mutations

  /** Applies a change to an existing market; returns its new state. */
  synchronized State change(int i, String status, String title, Long openTs, Long closeTs, long now) {
    Change old = changes.get(i);
    // a change in the same second as the last one still moves updated_time, so incremental syncs see it
    long updated = old == null ? Math.max(now, t0) : Math.max(now, old.updatedTs());
    Change c =
        new Change(
            status != null ? status : old == null ? null : old.status(),
            title != null ? title : old == null ? null : old.title(),
            openTs != null ? openTs : old == null ? null : old.openTs(),
            closeTs != null ? closeTs : old == null ? null : old.closeTs(),
            old == null ? 0 : old.createdTs(),
            updated);
    changes.put(i, c);
    return state(i);
  }

  /** Appends a market at the next index (its event is the last partial one or a new one). */
  synchronized State add(String title, long openTs, long closeTs, long now) {
    int i = size.get();
    String status = openTs > now ? INITIALIZED : ACTIVE;
    changes.put(i, new Change(status, title, openTs, closeTs, now, Math.max(now, t0)));
    size.incrementAndGet();
    return state(i);
  }

  /** splitmix64 of a seed and an index: cheap, well mixed, deterministic. */
  static long mix(long seed, long i) {
    long z = seed + 0x9E3779B97F4A7C15L * (i + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
