package io.ssmd.worker.internal;

import io.ssmd.config.ResolvedEnvironment;
import io.ssmd.config.TransportType;
import io.ssmd.secmaster.ChangeOutbox;
import io.ssmd.secmaster.Database;
import io.ssmd.transport.PublishListener;
import io.ssmd.transport.Transport;
import io.ssmd.transport.nats.NatsTransport;
import io.ssmd.transport.nats.NatsTransportOptions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * Where a sync publishes its change events: the environment's {@code {PREFIX}_SECMASTER} stream on
 * the nats transport, which connectors with {@code follow_secmaster} read to add and drop markets
 * (this is how a day's sync refreshes their subscriptions). On the memory transport the events stay
 * in the outbox ({@code ssmd up} follows in-process).
 */
final class ChangePublisher implements AutoCloseable {
  private final Optional<Transport> transport;

  private ChangePublisher(Optional<Transport> transport) {
    this.transport = transport;
  }

  static ChangePublisher open(ResolvedEnvironment r) {
    var t = r.environment().transport();
    if (t.type() != TransportType.NATS) {
      return new ChangePublisher(Optional.empty());
    }
    return new ChangePublisher(Optional.of(NatsTransport.connect(
        NatsTransportOptions.secmaster(t.url().toString(), r.subjectPrefix()).withConnectionName("ssmd-worker-secmaster-" + r.feedName()),
        PublishListener.NONE)));
  }

  Optional<Transport> transport() {
    return transport;
  }

  /** Publishes the feed's pending outbox rows (no-op without a transport); returns how many. */
  int publish(Database db, ResolvedEnvironment r, String feed) throws SQLException {
    return transport.isPresent() ? new ChangeOutbox(db).publish(transport.get(), r.subjectPrefix(), feed) : 0;
  }

  @Override
  public void close() {
    transport.ifPresent(t -> {
      t.flush(Duration.ofSeconds(10));
      t.close();
    });
  }
}
