package io.ssmd.venue.kalshi;

import com.fasterxml.jackson.databind.JsonNode;
import io.ssmd.connector.SessionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A {@link SessionContext} that records what a session sends and reports. */
final class RecordingContext implements SessionContext {
  record Event(String market, String detail) {}

  final List<String> sent = new ArrayList<>();
  final List<Event> gaps = new ArrayList<>();
  final List<Event> resyncs = new ArrayList<>();
  final List<Event> venueErrors = new ArrayList<>();
  private final boolean primary;
  private final Consumer<String> sink;

  RecordingContext(boolean primary) {
    this(primary, s -> {});
  }

  RecordingContext(boolean primary, Consumer<String> sink) {
    this.primary = primary;
    this.sink = sink;
  }

  @Override
  public synchronized void send(String text) {
    sent.add(text);
    sink.accept(text);
  }

  @Override
  public synchronized void gap(String market, String detail) {
    gaps.add(new Event(market, detail));
  }

  @Override
  public synchronized void resync(String market, String reason) {
    resyncs.add(new Event(market, reason));
  }

  @Override
  public synchronized void venueError(String code, String detail) {
    venueErrors.add(new Event(code, detail));
  }

  @Override
  public int shard() {
    return primary ? 0 : 1;
  }

  @Override
  public boolean primary() {
    return primary;
  }

  synchronized List<JsonNode> commands() {
    List<JsonNode> out = new ArrayList<>();
    for (String s : sent) {
      try {
        out.add(KalshiSession.JSON.readTree(s));
      } catch (Exception e) {
        throw new AssertionError("session sent invalid JSON: " + s, e);
      }
    }
    return out;
  }

  synchronized void clear() {
    sent.clear();
    gaps.clear();
    resyncs.clear();
    venueErrors.clear();
  }
}
