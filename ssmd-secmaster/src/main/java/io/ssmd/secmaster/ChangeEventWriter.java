package io.ssmd.secmaster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Writes change events into the {@code change_events} outbox in the caller's transaction, so an
 * event is recorded exactly when its row change commits ({@link ChangeOutbox} publishes them).
 * Used by the Kraken and Polymarket syncs; not thread-safe (one per sync run).
 */
public final class ChangeEventWriter {
  private int written;

  /**
   * @param kind one of {@link ChangeEvent.Kind}
   * @param payload the changed entity's identifying fields
   */
  public void record(Connection c, String feed, String entity, String ticker, String kind, ObjectNode payload) throws SQLException {
    ChangeEvent.Kind.valueOf(kind); // only the kinds consumers know
    try (PreparedStatement ps = c.prepareStatement(
        "insert into change_events (feed, entity, ticker, kind, payload) values (?, ?, ?, ?, ?::jsonb)")) {
      ps.setString(1, feed);
      ps.setString(2, entity);
      ps.setString(3, ticker);
      ps.setString(4, kind);
      ps.setString(5, payload == null ? "{}" : payload.toString());
      ps.executeUpdate();
    }
    written++;
  }

  /** Events recorded by this writer. */
  public int written() {
    return written;
  }
}
