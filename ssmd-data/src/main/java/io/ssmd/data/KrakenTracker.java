package io.ssmd.data;

import static io.ssmd.data.BookRebuilder.time;

import io.ssmd.archiver.ArchiveLine;
import io.ssmd.market.MarketEvent;
import io.ssmd.market.MarketEvent.BookDelta;
import io.ssmd.market.MarketEvent.BookSnapshot;
import io.ssmd.market.Normalized;
import io.ssmd.venue.kraken.KrakenChecksum;
import io.ssmd.venue.kraken.KrakenNormalizer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.NavigableMap;

/**
 * Kraken: snapshot + aggregate updates, truncated to the depth after each message (Kraken sends
 * no removal for levels that fall out of the subscribed depth), CRC32 over the top 10 checked
 * after every message. A failed checksum breaks the book until a snapshot or a later checksum
 * that matches again (the rebuilt top 10 then equals the venue's).
 */
final class KrakenTracker extends BookTracker {
  private static final List<Integer> DEPTHS = List.of(10, 25, 100, 500, 1000);
  /** Inference is cheap but not free: stop trying on a day whose checksums never match. */
  private static final int MAX_INFERENCE_ATTEMPTS = 100;
  private static final byte[] BOOK = "\"book\"".getBytes(StandardCharsets.US_ASCII);
  private final KrakenNormalizer normalizer = new KrakenNormalizer();
  private final byte[] symbolBytes;
  private Integer depth;
  private KrakenChecksum.Precision precision;
  private int inferenceAttempts;

  KrakenTracker(String symbol, Integer depth, KrakenChecksum.Precision precision) {
    super(symbol);
    this.depth = depth;
    this.precision = precision;
    // the symbol as it appears in the frame: BTC-USD given on the command line is BTC/USD on the wire
    this.symbolBytes = symbol.replace('-', '/').getBytes(StandardCharsets.UTF_8);
  }

  @Override
  void accept(ArchiveLine line) {
    byte[] f = line.frame();
    if (!contains(f, BOOK) || (!contains(f, symbolBytes) && !contains(f, symbol.getBytes(StandardCharsets.UTF_8)))) {
      return;
    }
    if (!(normalizer.normalize(f, line.receivedAtMicros(), line.natsSeq()) instanceof Normalized.Events events)) {
      return;
    }
    Long checksum = null;
    boolean touched = false;
    for (MarketEvent e : events.events()) {
      if (!Replay.sameSymbol(e.header().instrument(), symbol)) {
        continue;
      }
      instrument = e.header().instrument();
      if (e instanceof BookSnapshot s) {
        if (depth == null) {
          depth = inferDepth(Math.max(s.bids().size(), s.asks().size()));
        }
        replace(s.bids(), s.asks());
        checksum = s.checksum();
        touched = true;
        if (broken()) {
          heals(line.receivedAtMicros(), "resynced by snapshot");
        }
      } else if (e instanceof BookDelta d && hasBook) {
        set(d.side(), d.price(), d.size());
        touched = true;
        if (d.checksum() != null) {
          checksum = d.checksum();
        }
      }
    }
    if (!touched) {
      return;
    }
    truncate(bids);
    truncate(asks);
    applied(line);
    verify(line, checksum);
  }

  private void verify(ArchiveLine line, Long expected) {
    String at = time(line.receivedAtMicros());
    if (expected == null) {
      checked(null, "message at " + at + " carries no checksum");
      return;
    }
    List<MarketEvent.Level> b = levels(bids);
    List<MarketEvent.Level> a = levels(asks);
    if (precision == null && inferenceAttempts < MAX_INFERENCE_ATTEMPTS) {
      inferenceAttempts++;
      precision = KrakenChecksum.infer(b, a, expected);
    }
    if (precision == null) {
      checked(null, "pair precisions unknown (no checksum matched any precision), checksum at " + at + " not checked");
      return;
    }
    long actual = KrakenChecksum.of(b, a, precision.price(), precision.qty());
    if (actual == expected) {
      heals(line.receivedAtMicros(), "checksum matches again");
      checked(Boolean.TRUE, "checksum " + expected + " verified at " + at + " (nats seq " + line.natsSeq() + ")");
    } else {
      breaks(line.receivedAtMicros(), "checksum mismatch (venue " + expected + ", rebuilt " + actual + ", nats seq " + line.natsSeq() + ")");
      checked(Boolean.FALSE, "checksum mismatch at " + at);
    }
  }

  private void truncate(NavigableMap<BigDecimal, BigDecimal> side) {
    if (depth == null) {
      return;
    }
    while (side.size() > depth) {
      side.pollLastEntry();
    }
  }

  /** The smallest subscribable depth holding the snapshot (a thin book may undershoot; pass the depth then). */
  private static int inferDepth(int levels) {
    for (int d : DEPTHS) {
      if (levels <= d) {
        return d;
      }
    }
    return levels;
  }
}
