package io.ssmd.cli;

import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.config.TransportType;
import io.ssmd.secmaster.ChangeOutbox;
import io.ssmd.secmaster.Database;
import io.ssmd.transport.Subjects;
import io.ssmd.transport.Transport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * {@code ssmd secmaster sync --publish}: sends the feed's pending change events from the outbox to
 * {@code {prefix}.secmaster.changes.{feed}} in the stream {@code {PREFIX}_SECMASTER} of the
 * environment's NATS server, where connectors following the security master read them.
 */
final class SecmasterPublish {
  /** How long the broker may take to acknowledge what was queued. */
  static final Duration ACK_WAIT = Duration.ofSeconds(30);

  /** What was published, and what is still pending. */
  record Result(String subject, int published, long pending) {}

  private SecmasterPublish() {}

  /** Refuses an environment without NATS before the sync runs, so a usage error costs no sync. */
  static void check(ResolvedEnvironment r) {
    if (r.environment().transport().type() != TransportType.NATS) {
      throw new UsageException(r.environmentFile() + ": --publish sends change events to the " + Subjects.secmasterStream(r.subjectPrefix())
          + " stream of a NATS server, but transport.type is " + r.environment().transport().type().configName()
          + " (in-process; ssmd up follows the outbox itself); drop --publish or use a nats environment");
    }
  }

  /**
   * Publishes every pending change event of the environment's feed, in outbox order, waiting for
   * the broker's acknowledgements. A full publish buffer is drained and the rest published in
   * further rounds; a broker that stops acknowledging is a failure (the message ids are the outbox
   * ids, so publishing again is deduplicated by the stream).
   */
  static Result publish(ResolvedEnvironment r, Database db) throws SQLException {
    String feed = r.feedName();
    String subject = ChangeOutbox.subject(r.subjectPrefix(), feed);
    ChangeOutbox outbox = new ChangeOutbox(db);
    int published = 0;
    try (Transport transport = Transports.openSecmaster(r)) {
      while (true) {
        int round = outbox.publish(transport, r.subjectPrefix(), feed);
        published += round;
        if (!transport.flush(ACK_WAIT)) {
          throw new IllegalStateException("NATS did not acknowledge " + transport.pending() + " change events on " + subject + " within "
              + ACK_WAIT.toSeconds() + " s; check the server and run ssmd secmaster sync --publish again");
        }
        long pending = pending(db, feed);
        if (pending == 0 || round == 0) {
          return new Result(subject, published, pending);
        }
      }
    }
  }

  private static long pending(Database db, String feed) throws SQLException {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select count(*) from change_events where feed = ? and published_at is null")) {
      ps.setString(1, feed);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
