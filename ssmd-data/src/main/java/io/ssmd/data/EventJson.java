package io.ssmd.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ssmd.market.MarketEvent;
import io.ssmd.market.MarketEvent.BookDelta;
import io.ssmd.market.MarketEvent.BookSnapshot;
import io.ssmd.market.MarketEvent.Level;
import io.ssmd.market.MarketEvent.Lifecycle;
import io.ssmd.market.MarketEvent.Quote;
import io.ssmd.market.MarketEvent.Trade;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;

/**
 * The one JSON line shape of a normalized event across venues, as {@code data replay --normalized}
 * writes it:
 *
 * <pre>
 * {"kind":"trade","feed":"kraken","instrument":"BTC/USD","exchange_ts":…,"received_ts":…,"nats_seq":…,
 *  "trade_id":"…","price":"45285.2","size":"0.001","aggressor":"bid"}
 * {"kind":"quote",…,"bid_price":…,"bid_size":…,"ask_price":…,"ask_size":…,"last_price":…}
 * {"kind":"book_snapshot",…,"bids":[["price","size"],…],"asks":[…],"checksum":…}
 * {"kind":"book_delta",…,"side":"bid","price":…,"size":…,"is_increment":false,"sequence":…,"checksum":…}
 * {"kind":"lifecycle",…,"event":"determined","detail":"{…}"}
 * </pre>
 *
 * Times are epoch microseconds ({@code exchange_ts} 0 when the venue sends none); prices and sizes
 * are decimal strings (never floating point); every field of a kind is always present, null when
 * the venue does not carry it, so the shape is stable for any reader.
 */
public final class EventJson {
  private static final JsonFactory FACTORY = new JsonFactory();

  private EventJson() {}

  /** One event as a JSON object (no newline). */
  public static String toJson(MarketEvent e) {
    StringWriter w = new StringWriter(256);
    try (JsonGenerator g = FACTORY.createGenerator(w)) {
      write(g, e);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex); // a StringWriter does not fail
    }
    return w.toString();
  }

  /** Writes one event as a JSON object on {@code g}. */
  public static void write(JsonGenerator g, MarketEvent e) throws IOException {
    g.writeStartObject();
    g.writeStringField("kind", e.kind());
    g.writeStringField("feed", e.header().feed());
    g.writeStringField("instrument", e.header().instrument());
    g.writeNumberField("exchange_ts", e.header().exchangeTimeMicros());
    g.writeNumberField("received_ts", e.header().receivedAtMicros());
    g.writeNumberField("nats_seq", e.header().natsSeq());
    switch (e) {
      case Trade t -> {
        g.writeStringField("trade_id", t.tradeId());
        decimal(g, "price", t.price());
        decimal(g, "size", t.size());
        g.writeStringField("aggressor", side(t.aggressor()));
      }
      case Quote q -> {
        decimal(g, "bid_price", q.bidPrice());
        decimal(g, "bid_size", q.bidSize());
        decimal(g, "ask_price", q.askPrice());
        decimal(g, "ask_size", q.askSize());
        decimal(g, "last_price", q.lastPrice());
      }
      case BookSnapshot s -> {
        levels(g, "bids", s.bids());
        levels(g, "asks", s.asks());
        number(g, "checksum", s.checksum());
      }
      case BookDelta d -> {
        g.writeStringField("side", side(d.side()));
        decimal(g, "price", d.price());
        decimal(g, "size", d.size());
        g.writeBooleanField("is_increment", d.isIncrement());
        number(g, "sequence", d.sequence());
        number(g, "checksum", d.checksum());
      }
      case Lifecycle l -> {
        g.writeStringField("event", l.event());
        g.writeStringField("detail", l.detail());
      }
    }
    g.writeEndObject();
  }

  private static String side(MarketEvent.Side s) {
    return switch (s) {
      case BID -> "bid";
      case ASK -> "ask";
      case UNKNOWN -> "unknown";
    };
  }

  private static void decimal(JsonGenerator g, String field, BigDecimal v) throws IOException {
    g.writeStringField(field, v == null ? null : v.toPlainString());
  }

  private static void number(JsonGenerator g, String field, Long v) throws IOException {
    if (v == null) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, v);
    }
  }

  private static void levels(JsonGenerator g, String field, List<Level> levels) throws IOException {
    g.writeArrayFieldStart(field);
    for (Level l : levels) {
      g.writeStartArray();
      g.writeString(l.price().toPlainString());
      g.writeString(l.size().toPlainString());
      g.writeEndArray();
    }
    g.writeEndArray();
  }
}
