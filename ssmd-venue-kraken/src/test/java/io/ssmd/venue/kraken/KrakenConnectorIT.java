package io.ssmd.venue.kraken;

import io.ssmd.connector.CollectingTransport;
import static io.ssmd.venue.kraken.KrakenSessionIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.connector.Connector;
import io.ssmd.connector.ConnectorMetrics;
import io.ssmd.connector.ConnectorOptions;
import io.ssmd.sim.Fault;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kraken.KrakenSim;
import io.ssmd.sim.kraken.KrakenSimOptions;
import io.ssmd.transport.Envelope;
import io.ssmd.transport.Subjects;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real connector base with {@link KrakenVenue} against the Kraken simulator. */
@Timeout(value = 45, unit = TimeUnit.SECONDS)
class KrakenConnectorIT {
  private static final String ENV = "test";

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final Journal journal = new Journal(2_000_000);
  private final ConnectorMetrics metrics = ConnectorMetrics.create(new PrometheusRegistry(), "kraken");
  private final CollectingTransport transport = new CollectingTransport(metrics.publishListener());
  private SimServer server;
  private Connector connector;

  @AfterEach
  void stop() throws Exception {
    if (connector != null) {
      connector.close();
    }
    if (server != null) {
      server.close();
    }
    scheduler.shutdownNow();
  }

  @Test
  void everyMessageArrivesExactlyOnceOnItsSubjectAcrossADisconnectAndAChecksumResync() throws Exception {
    KrakenSim sim = new KrakenSim(KrakenSimOptions.defaults().withMarkets(14).withMessagesPerSecond(800), journal, scheduler);
    server = new SimServer(sim, "127.0.0.1", 0, 16 * 1024 * 1024).start();
    List<String> markets = sim.symbols();
    // 14 markets at 5 per connection: three shards
    KrakenVenue venue = new KrakenVenue(KrakenVenueOptions.defaults().withMaxMarketsPerConnection(5).withPingInterval(Duration.ofMillis(200)));
    ConnectorOptions options = ConnectorOptions.builder(ENV, server.wsUri())
        .pongTimeout(Duration.ofSeconds(2))
        .noDataTimeout(Duration.ofSeconds(10))
        .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .subscribe(5, Duration.ofMillis(5))
        .connectTimeout(Duration.ofSeconds(3))
        .closeTimeout(Duration.ofSeconds(3))
        .build();
    connector = new Connector(options, venue, transport, metrics);
    connector.start(markets);

    await("three connections publishing", () -> connector.status().connectedCount() == 3 && transport.published.size() > 1000);

    sim.inject(Fault.of(Fault.Kind.BAD_CHECKSUM, "market", "LTC/USD"));
    await("checksum resync", () -> connector.status().resyncs() >= 1);

    long before = transport.published.size();
    long journalAtDrop = journal.count();
    sim.inject(Fault.of(Fault.Kind.DROP));
    await("reconnected and publishing again",
        () -> connector.status().reconnects() >= 3 && connector.status().connectedCount() == 3 && transport.published.size() > before + 1000);

    connector.removeMarkets(markets);
    KrakenSessionIT.settled(journal);
    try {
      await("every journaled message published", () -> transport.published.size() >= journal.entries().size());
    } catch (AssertionError e) {
      // say which frames never arrived, on which simulator connection, relative to the drop
      java.util.Set<String> got = new HashSet<>();
      transport.published.forEach(x -> got.add(new String(x.payload(), StandardCharsets.UTF_8)));
      List<String> missing = journal.entries().stream().filter(x -> !got.contains(x.text()))
          .map(x -> "#" + x.id() + " conn " + x.connection() + " " + x.text().substring(0, Math.min(120, x.text().length()))).toList();
      throw new AssertionError(e.getMessage() + ": journal " + journal.entries().size() + ", published " + transport.published.size()
          + ", drop after journal id " + journalAtDrop + ", connector " + connector.status()
          + ", missing " + missing.size() + ": " + missing.subList(0, Math.min(10, missing.size())), e);
    }

    Map<String, Integer> sent = new HashMap<>();
    journal.entries().forEach(e -> sent.merge(Subjects.subject(ENV, "kraken", e.type(), e.ticker()) + " " + e.text(), 1, Integer::sum));
    Map<String, Integer> got = new HashMap<>();
    for (Envelope e : transport.published) {
      got.merge(e.subject() + " " + new String(e.payload(), StandardCharsets.UTF_8), 1, Integer::sum);
    }
    assertThat(got).isEqualTo(sent);
    assertThat(transport.published).extracting(Envelope::msgId).doesNotHaveDuplicates();
    assertThat(new HashSet<>(transport.published.stream().map(Envelope::subject).toList()))
        .contains("test.kraken.json.orderbook.BTC-USD", "test.kraken.json.trade.ETH-USD", "test.kraken.json.ticker.SIM4-USD");
    // the one wrong checksum cost one resync of one book; pongs kept every connection alive but for the drop
    assertThat(connector.status().resyncs()).isEqualTo(1);
    assertThat(connector.status().gaps()).isZero();
    assertThat(connector.status().reconnects()).isEqualTo(3);
  }
}
