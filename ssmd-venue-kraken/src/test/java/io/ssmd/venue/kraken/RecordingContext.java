package io.ssmd.venue.kraken;

import io.ssmd.connector.SessionContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A {@link SessionContext} that records what the session did, with a settable clock. */
final class RecordingContext implements SessionContext {
  final List<String> sent = new CopyOnWriteArrayList<>();
  final List<String> gaps = new CopyOnWriteArrayList<>();
  final List<String> resyncs = new CopyOnWriteArrayList<>();
  final List<String> venueErrors = new CopyOnWriteArrayList<>();
  volatile long nanos = 1_000_000_000L;
  private final Consumer<String> sink;

  RecordingContext() {
    this(s -> {});
  }

  RecordingContext(Consumer<String> sink) {
    this.sink = sink;
  }

  @Override
  public void send(String text) {
    sent.add(text);
    sink.accept(text);
  }

  @Override
  public void gap(String market, String detail) {
    gaps.add(market + ": " + detail);
  }

  @Override
  public void resync(String market, String reason) {
    resyncs.add(market + ": " + reason);
  }

  @Override
  public void venueError(String code, String detail) {
    venueErrors.add(code + ": " + detail);
  }

  @Override
  public int shard() {
    return 0;
  }

  @Override
  public boolean primary() {
    return true;
  }

  @Override
  public long nanoTime() {
    return nanos;
  }
}
