package io.ssmd.data;

import static io.ssmd.data.BookRebuilder.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.archiver.ArchiveLine;
import io.ssmd.market.MarketEvent;
import io.ssmd.market.MarketEvent.BookDelta;
import io.ssmd.market.MarketEvent.BookSnapshot;
import io.ssmd.market.Normalized;
import io.ssmd.venue.kalshi.KalshiNormalizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Kalshi: snapshot + signed deltas, integrity by {@code seq} per {@code sid}. Every orderbook
 * frame is followed (not only the market's), because the seq of a sid counts all of its markets.
 *
 * <p>The archive does not say which connection a frame came from; sids are per connection, so a
 * snapshot whose seq does not continue its sid (a reconnect or a resubscribe numbering afresh)
 * restarts that sid's count rather than being read as a gap.
 */
final class KalshiTracker extends BookTracker {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] ORDERBOOK = "\"orderbook_".getBytes(StandardCharsets.US_ASCII);
  private final KalshiNormalizer normalizer = new KalshiNormalizer();
  private final Map<Long, Long> lastSeq = new HashMap<>();
  private long bookSid = -1;
  private long snapshotAt;

  KalshiTracker(String symbol) {
    super(symbol);
  }

  @Override
  void accept(ArchiveLine line) {
    if (!contains(line.frame(), ORDERBOOK)) {
      return;
    }
    JsonNode root;
    try {
      root = JSON.readTree(line.frame());
    } catch (IOException e) {
      return; // not a book frame we can read; the connector published it as captured
    }
    String type = root.path("type").asText("");
    boolean snapshot = type.equals("orderbook_snapshot");
    if (!snapshot && !type.equals("orderbook_delta")) {
      return;
    }
    boolean ours = Replay.sameSymbol(root.path("msg").path("market_ticker").asText(""), symbol);
    JsonNode sidNode = root.get("sid");
    JsonNode seqNode = root.get("seq");
    boolean sequenced = sidNode != null && sidNode.canConvertToLong() && seqNode != null && seqNode.canConvertToLong();
    long sid = sequenced ? sidNode.asLong() : -1;
    long seq = sequenced ? seqNode.asLong() : -1;
    if (sequenced) {
      Long last = lastSeq.get(sid);
      if (last != null && seq <= last) {
        if (!snapshot) {
          return; // duplicate or older: the connector did not apply it either
        }
        lastSeq.put(sid, seq); // a new numbering on this sid (another connection, or a resubscribe)
      } else {
        if (last != null && seq > last + 1 && sid == bookSid && hasBook) {
          breaks(line.receivedAtMicros(), "seq gap on sid " + sid + " after seq " + last);
        }
        lastSeq.put(sid, seq);
      }
    }
    if (!ours) {
      return;
    }
    Normalized n = normalizer.normalize(line.frame(), line.receivedAtMicros(), line.natsSeq());
    if (!(n instanceof Normalized.Events events)) {
      return;
    }
    for (MarketEvent e : events.events()) {
      instrument = e.header().instrument();
      if (e instanceof BookSnapshot s) {
        replace(s.bids(), s.asks());
        heals(line.receivedAtMicros(), "resynced by snapshot");
        bookSid = sid;
        snapshotAt = line.receivedAtMicros();
        applied(line);
        checked(sequenced ? Boolean.TRUE : null, sequenced
            ? "snapshot on sid " + sid + " (seq " + seq + ") at " + time(snapshotAt)
            : "snapshot without sid/seq at " + time(snapshotAt) + ": continuity cannot be checked");
      } else if (e instanceof BookDelta d && hasBook && !broken()) {
        add(d.side(), d.price(), d.size());
        applied(line);
        checked(sequenced ? Boolean.TRUE : null, sequenced
            ? "seq contiguous on sid " + bookSid + " from the snapshot at " + time(snapshotAt) + " to seq " + seq
            : "delta without sid/seq at " + time(line.receivedAtMicros()) + ": continuity cannot be checked");
      }
    }
  }
}
