package io.ssmd.venue.polymarket;

import io.ssmd.connector.SessionContext;
import java.util.ArrayList;
import java.util.List;

/** Records what a session sends and reports; its clock is set by the test. */
final class RecordingContext implements SessionContext {
  final List<String> sent = new ArrayList<>();
  final List<String> gaps = new ArrayList<>();
  final List<String> resyncs = new ArrayList<>();
  final List<String> venueErrors = new ArrayList<>();
  long nanos = 1_000_000_000L;

  @Override
  public void send(String text) {
    sent.add(text);
  }

  @Override
  public void gap(String market, String detail) {
    gaps.add(market + ": " + detail);
  }

  @Override
  public void resync(String market, String reason) {
    resyncs.add(market + ":" + reason);
  }

  @Override
  public void venueError(String code, String detail) {
    venueErrors.add(code);
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
