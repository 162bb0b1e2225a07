package io.ssmd.data;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import io.ssmd.archiver.ArchiveReader;
import io.ssmd.market.MarketEvent.Level;
import io.ssmd.venue.kraken.KrakenChecksum;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code ssmd data book}: the order book of one instrument at a moment, rebuilt from a day's
 * archive, with a verdict on whether it can be trusted.
 *
 * <ul>
 *   <li>Kalshi: {@code orderbook_snapshot} + {@code orderbook_delta} of the market. {@code seq}
 *       counts per subscription ({@code sid}) across every market on it, so every orderbook frame
 *       of the day is followed: a missing seq on the market's sid makes the book unverifiable
 *       until the market's next snapshot. Verified = seq contiguous since the snapshot.
 *   <li>Kraken: snapshot + updates, truncated to the subscribed depth, CRC32 checksum checked after
 *       every message (the connector's own checksum code). The depth and the pair's precisions
 *       are not archived (subscribe request and instrument channel are control traffic): the
 *       depth is inferred from the snapshot's size and the precisions from its checksum, unless
 *       given in the options.
 *   <li>Polymarket: {@code book} replaces, {@code price_change} sets a level's aggregate size; the
 *       venue's {@code best_bid}/{@code best_ask} (on price changes and {@code best_bid_ask}) are
 *       compared with the rebuilt book. Instrument = asset id.
 * </ul>
 *
 * The verdict describes the book at {@link Options#at()}: {@link Verdict#VERIFIED} when the check
 * at the last applied message passed, {@link Verdict#UNVERIFIED} when no check was possible, and
 * {@link Verdict#BROKEN} when the book is known to be wrong or unknowable at that moment. Every
 * stretch of the day (up to {@code at}) where it was not verifiable is listed in {@link
 * Result#unverifiable()}, healed or not.
 */
public final class BookRebuilder {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  /** The book's state at the requested moment. */
  public enum Verdict {
    VERIFIED,
    UNVERIFIED,
    BROKEN
  }

  /**
   * What to rebuild.
   *
   * @param symbol Kalshi market ticker, Kraken pair ({@code BTC/USD} or {@code BTC-USD}), Polymarket asset id
   * @param at the moment: messages received at or before it are applied
   * @param krakenDepth Kraken subscribed depth, or null to infer it from the snapshot
   * @param krakenPrecision Kraken pair precisions, or null to infer them from the snapshot checksum
   */
  public record Options(Path root, String feed, String symbol, LocalDate date, Instant at, Integer krakenDepth,
      KrakenChecksum.Precision krakenPrecision) {
    public Options {
      List<String> problems = new ArrayList<>();
      if (root == null) {
        problems.add("root (archive directory) is required");
      }
      if (feed == null || !Feeds.NAMES.contains(feed)) {
        problems.add("feed must be one of " + String.join(", ", Feeds.NAMES) + ", got " + (feed == null ? "nothing" : "'" + feed + "'"));
      }
      if (symbol == null || symbol.isBlank()) {
        problems.add("symbol is required (--symbol)");
      }
      if (date == null) {
        problems.add("date is required (--date YYYY-MM-DD)");
      }
      if (at == null) {
        problems.add("at is required (--at)");
      }
      if (krakenDepth != null && krakenDepth < 1) {
        problems.add("kraken depth must be >= 1, got " + krakenDepth);
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException("invalid book options: " + String.join("; ", problems));
      }
    }

    public static Options of(Path root, String feed, String symbol, LocalDate date, Instant at) {
      return new Options(root, feed, symbol, date, at, null, null);
    }
  }

  /**
   * A stretch where the book could not be verified.
   *
   * @param fromMicros when it started (receive time, epoch µs)
   * @param cause what happened ("seq gap on sid 4 after seq 812")
   * @param toMicros when it ended, or -1 when still open at the requested moment
   * @param resolution how it ended ("resynced by snapshot"), or null while open
   */
  public record Unverifiable(long fromMicros, String cause, long toMicros, String resolution) {
    @Override
    public String toString() {
      return cause + " at " + time(fromMicros) + (toMicros < 0 ? "; not resynced" : "; " + resolution + " at " + time(toMicros));
    }
  }

  /**
   * The rebuilt book.
   *
   * @param bids best (highest) first
   * @param asks best (lowest) first
   * @param lastAppliedMicros receive time of the last message applied to the book, 0 when none
   * @param lastAppliedNatsSeq stream sequence of that message, 0 when none
   * @param messagesApplied book messages applied (snapshots and updates)
   * @param verdictDetail why the verdict is what it is
   * @param problems archive damage met while reading
   */
  public record Result(String feed, String instrument, Instant at, List<Level> bids, List<Level> asks, long lastAppliedMicros,
      long lastAppliedNatsSeq, long messagesApplied, Verdict verdict, String verdictDetail, List<Unverifiable> unverifiable,
      List<String> problems) {
    public Result {
      bids = List.copyOf(bids);
      asks = List.copyOf(asks);
      unverifiable = List.copyOf(unverifiable);
      problems = List.copyOf(problems);
    }
  }

  private BookRebuilder() {}

  /** Rebuilds the book. Archive damage is reported in the result, never thrown. */
  public static Result rebuild(Options o) throws IOException {
    Objects.requireNonNull(o, "options");
    long atMicros = Replay.micros(o.at());
    BookTracker tracker = switch (o.feed()) {
      case "kalshi" -> new KalshiTracker(o.symbol());
      case "kraken" -> new KrakenTracker(o.symbol(), o.krakenDepth(), o.krakenPrecision());
      case "polymarket" -> new PolymarketTracker(o.symbol());
      default -> throw Feeds.unknown(o.feed());
    };
    ArchiveReader reader = ArchiveReader.open(o.root(), o.feed(), o.date());
    reader.forEach(line -> {
      if (line.receivedAtMicros() <= atMicros) {
        tracker.accept(line);
      }
    });
    List<String> problems = reader.problems().stream().map(p -> o.feed() + "/" + o.date() + "/" + p).toList();
    return tracker.result(o.feed(), o.at(), problems);
  }

  /** Rebuilds the book and writes it as one pretty-printed JSON document on {@code out} (not closed). */
  public static Result run(Options o, OutputStream out) throws IOException {
    Result r = rebuild(o);
    write(r, out);
    return r;
  }

  /**
   * {@code {"feed","instrument","at","verdict","verdict_detail","last_applied","last_applied_nats_seq",
   * "messages_applied","bids":[["price","size"],…],"asks":…,"unverifiable":["…"],"problems":["…"]}}.
   */
  public static void write(Result r, OutputStream out) throws IOException {
    try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.setPrettyPrinter(new DefaultPrettyPrinter());
      g.writeStartObject();
      g.writeStringField("feed", r.feed());
      g.writeStringField("instrument", r.instrument());
      g.writeStringField("at", r.at().toString());
      g.writeStringField("verdict", r.verdict().name());
      g.writeStringField("verdict_detail", r.verdictDetail());
      g.writeStringField("last_applied", r.lastAppliedMicros() == 0 ? null : instant(r.lastAppliedMicros()).toString());
      g.writeNumberField("last_applied_nats_seq", r.lastAppliedNatsSeq());
      g.writeNumberField("messages_applied", r.messagesApplied());
      levels(g, "bids", r.bids());
      levels(g, "asks", r.asks());
      g.writeArrayFieldStart("unverifiable");
      for (Unverifiable u : r.unverifiable()) {
        g.writeString(u.toString());
      }
      g.writeEndArray();
      g.writeArrayFieldStart("problems");
      for (String p : r.problems()) {
        g.writeString(p);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    out.write("\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
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

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
  }

  /** {@code 14:03:12.123} (UTC): the day is known from the command. */
  static String time(long micros) {
    return TIME.format(instant(micros));
  }
}
