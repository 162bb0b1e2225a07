package io.ssmd.data;

import static io.ssmd.data.BookRebuilder.time;

import io.ssmd.archiver.ArchiveLine;
import io.ssmd.data.BookRebuilder.Result;
import io.ssmd.data.BookRebuilder.Unverifiable;
import io.ssmd.data.BookRebuilder.Verdict;
import io.ssmd.market.MarketEvent.Level;
import io.ssmd.market.MarketEvent.Side;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The book of one instrument being rebuilt from archive lines in capture order, with its
 * verification state. Venue subclasses decide what a line does and what counts as a check.
 */
abstract class BookTracker {
  final String symbol;
  final NavigableMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
  final NavigableMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
  private final List<Unverifiable> intervals = new ArrayList<>();
  String instrument;
  boolean hasBook;
  private long brokenSince = -1;
  private String brokenCause;
  /** Result of the check at the last applied message: true passed, false failed, null none possible. */
  private Boolean lastCheck;
  private String lastCheckDetail = "no book message applied";
  private long lastApplied;
  private long lastAppliedSeq;
  private long applied;

  BookTracker(String symbol) {
    this.symbol = symbol;
    this.instrument = symbol;
  }

  abstract void accept(ArchiveLine line);

  /** The book is replaced by a venue snapshot. */
  void replace(List<Level> newBids, List<Level> newAsks) {
    bids.clear();
    asks.clear();
    newBids.forEach(l -> set(Side.BID, l.price(), l.size()));
    newAsks.forEach(l -> set(Side.ASK, l.price(), l.size()));
    hasBook = true;
  }

  /** Sets a level's aggregate size; zero or less removes it. */
  void set(Side side, BigDecimal price, BigDecimal size) {
    NavigableMap<BigDecimal, BigDecimal> s = side == Side.BID ? bids : asks;
    if (size.signum() <= 0) {
      s.remove(price);
    } else {
      s.put(price, size);
    }
  }

  /** Adds a signed change to a level. */
  void add(Side side, BigDecimal price, BigDecimal delta) {
    NavigableMap<BigDecimal, BigDecimal> s = side == Side.BID ? bids : asks;
    set(side, price, s.getOrDefault(price, BigDecimal.ZERO).add(delta));
  }

  void applied(ArchiveLine line) {
    applied++;
    lastApplied = line.receivedAtMicros();
    lastAppliedSeq = line.natsSeq();
  }

  void checked(Boolean ok, String detail) {
    lastCheck = ok;
    lastCheckDetail = detail;
  }

  boolean broken() {
    return brokenSince >= 0;
  }

  /** The book stops being verifiable (no-op while it already is not). */
  void breaks(long atMicros, String cause) {
    if (brokenSince < 0) {
      brokenSince = atMicros;
      brokenCause = cause;
    }
  }

  /** The book is trustworthy again. */
  void heals(long atMicros, String how) {
    if (brokenSince >= 0) {
      intervals.add(new Unverifiable(brokenSince, brokenCause, atMicros, how));
      brokenSince = -1;
      brokenCause = null;
    }
  }

  static List<Level> levels(Map<BigDecimal, BigDecimal> side) {
    List<Level> out = new ArrayList<>(side.size());
    side.forEach((p, s) -> out.add(new Level(p, s)));
    return out;
  }

  Result result(String feed, Instant at, List<String> problems) {
    List<Unverifiable> all = new ArrayList<>(intervals);
    Verdict verdict;
    String detail;
    if (brokenSince >= 0) {
      all.add(new Unverifiable(brokenSince, brokenCause, -1, null));
      verdict = Verdict.BROKEN;
      detail = brokenCause + " at " + time(brokenSince) + ", not resynced by " + at;
    } else if (!hasBook) {
      verdict = Verdict.UNVERIFIED;
      detail = applied == 0 && all.isEmpty() ? "no book snapshot for " + symbol + " before " + at : lastCheckDetail;
    } else if (Boolean.TRUE.equals(lastCheck)) {
      verdict = Verdict.VERIFIED;
      detail = lastCheckDetail;
    } else {
      verdict = Verdict.UNVERIFIED;
      detail = lastCheckDetail;
    }
    return new Result(feed, instrument, at, hasBook ? levels(bids) : List.of(), hasBook ? levels(asks) : List.of(), lastApplied,
        lastAppliedSeq, applied, verdict, detail, all, problems);
  }

  /** True when the frame's bytes contain {@code needle} (a cheap prefilter before parsing). */
  static boolean contains(byte[] frame, byte[] needle) {
    outer:
    for (int i = 0; i <= frame.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (frame[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
