package io.ssmd.gateway;

import io.ssmd.market.Normalized;
import io.ssmd.market.Normalizer;

/**
 * One transport message on its way to clients. Its client texts are built at most once per
 * format, however many clients receive it. Used only on the hub's dispatch path (under its lock).
 */
final class Live {
  final String feed;
  final String symbol;
  final String type;
  final long seq;
  final long receivedAtNanos;
  final String payload;
  private final byte[] frame;
  private final Normalizer normalizer;
  private Normalized normalized;
  private String raw;
  private String norm;
  private String both;

  Live(String feed, String symbol, String type, long seq, long receivedAtNanos, byte[] frame, String payload, Normalizer normalizer) {
    this.feed = feed;
    this.symbol = symbol;
    this.type = type;
    this.seq = seq;
    this.receivedAtNanos = receivedAtNanos;
    this.frame = frame;
    this.payload = payload;
    this.normalizer = normalizer;
  }

  long receivedAtMicros() {
    return receivedAtNanos / 1000;
  }

  Normalized normalized() {
    if (normalized == null) {
      normalized = normalizer == null ? new Normalized.Skipped("no normalizer for feed " + feed)
          : normalizer.normalize(frame, receivedAtMicros(), seq);
    }
    return normalized;
  }

  Out out(Format f) {
    String text = switch (f) {
      case RAW -> raw == null ? raw = text(f, false) : raw;
      case NORMALIZED -> norm == null ? norm = text(f, false) : norm;
      case BOTH -> both == null ? both = text(f, false) : both;
    };
    return new Out(type, text, seq, receivedAtNanos);
  }

  /** The message as a snapshot (latest ticker sent on subscribe): same shape plus {@code "snapshot":true}. */
  Out snapshot(Format f) {
    return new Out(type, text(f, true), seq, receivedAtNanos);
  }

  private String text(Format f, boolean snapshot) {
    return Messages.json(g -> {
      g.writeStringField("type", type);
      g.writeStringField("feed", feed);
      g.writeStringField("symbol", symbol);
      g.writeNumberField("seq", seq);
      g.writeNumberField("received_at", receivedAtMicros());
      if (snapshot) {
        g.writeBooleanField("snapshot", true);
      }
      if (f != Format.NORMALIZED) {
        g.writeFieldName("data");
        g.writeRawValue(payload);
      }
      if (f != Format.RAW) {
        Messages.events(g, normalized());
      }
    });
  }
}
