package io.ssmd.systemtest;

import static io.ssmd.systemtest.CaptureEndToEndIT.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssmd.archiver.Archiver;
import io.ssmd.archiver.ArchiverOptions;
import io.ssmd.connector.Connector;
import io.ssmd.connector.ConnectorMetrics;
import io.ssmd.connector.ConnectorOptions;
import io.ssmd.data.Feeds;
import io.ssmd.data.Replay;
import io.ssmd.export.ExportManifest;
import io.ssmd.export.ParquetExporter;
import io.ssmd.sim.Journal;
import io.ssmd.sim.SimServer;
import io.ssmd.sim.kraken.KrakenSim;
import io.ssmd.sim.kraken.KrakenSimOptions;
import io.ssmd.testkit.NatsServerProcess;
import io.ssmd.transport.nats.NatsTransport;
import io.ssmd.transport.nats.NatsTransportOptions;
import io.ssmd.transport.nats.StreamAdmin;
import io.ssmd.transport.nats.StreamSpec;
import io.ssmd.venue.kraken.KrakenVenue;
import io.ssmd.venue.kraken.KrakenVenueOptions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sim → connector → JetStream → archiver → {@code data replay} gives back the frames the venue
 * sent, in the order it sent them; {@code data export} accounts for every archived line and the
 * Parquet it writes reads back in DuckDB with the same row counts.
 */
@Timeout(120)
class ArchiveRoundTripIT {
  @TempDir Path dir;

  @Test
  void replayGivesTheSameFramesInOrderAndExportAccountsForEveryLine() throws Exception {
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    Path root = dir.resolve("archive");
    LocalDate day;
    List<Journal.Entry> sent;
    try (NatsServerProcess nats = NatsServerProcess.start()) {
      StreamSpec spec = StreamSpec.forFeed("rt", "kraken", Duration.ofHours(1), 1, Duration.ofMinutes(2), -1);
      try (StreamAdmin admin = StreamAdmin.connect(nats.url())) {
        assertThat(admin.apply(spec, false).ok()).isTrue();
      }
      KrakenSim sim = new KrakenSim(KrakenSimOptions.defaults().withMarkets(5).withMessagesPerSecond(400), new Journal(1_000_000), scheduler);
      Archiver archiver = new Archiver(ArchiverOptions.builder(nats.url(), spec.name(), "rt", "kraken", root)
          .rotation(Duration.ofSeconds(2)).build(), new PrometheusRegistry());
      archiver.start();
      try (SimServer server = new SimServer(sim, "127.0.0.1", 0, 1 << 20).start()) {
        ConnectorMetrics metrics = ConnectorMetrics.create(new PrometheusRegistry(), "kraken");
        try (NatsTransport transport = NatsTransport.connect(
                NatsTransportOptions.defaults(nats.url(), spec.name(), List.of("rt.kraken.json.>")), metrics.publishListener());
            Connector connector = new Connector(ConnectorOptions.builder("rt", server.wsUri()).build(),
                new KrakenVenue(new KrakenVenueOptions(KrakenVenueOptions.DEFAULT_CHANNELS, 10, 100, Duration.ofSeconds(5), 50,
                    Duration.ofSeconds(1), false)), transport, metrics)) {
          connector.start(sim.symbols());
          await("a few rotations of data", () -> metrics.publishedCount() > 1500);
          sim.pauseData(true);
          Thread.sleep(300);
          long total = sim.journal().count();
          await("all published", () -> metrics.publishedCount() >= total);
          long last;
          try (Connection nc = Nats.connect(nats.url())) {
            last = nc.jetStreamManagement().getStreamInfo(spec.name()).getStreamState().getLastSequence();
          }
          await("all archived", () -> archiver.status().lastWrittenSeq() >= last);
        }
      }
      archiver.close();
      sent = sim.journal().entries();
      day = LocalDate.now(ZoneOffset.UTC);
    } finally {
      scheduler.shutdownNow();
    }

    // replay: exactly the venue's frames, in the order it sent them (one connection: one order)
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Replay.Summary summary = Replay.run(Replay.Options.of(root, day, List.of("kraken")), out);
    assertThat(summary.problems()).isEmpty();
    List<String> replayed = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(replayed).containsExactlyElementsOf(sent.stream().map(Journal.Entry::text).toList());

    // export: every line accounted for; DuckDB reads back the rows written
    Path exportRoot = dir.resolve("normalized");
    ExportManifest m = new ParquetExporter(Map.of("kraken", Feeds.normalizer("kraken"))).export(root, "kraken", day, exportRoot);
    assertThat(m.accountsForEveryLine()).isTrue();
    assertThat(m.linesRead()).isEqualTo(sent.size());
    assertThat(m.linesRejected()).isZero();
    assertThat(m.archiveProblems()).isEmpty();
    try (java.sql.Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
      for (ExportManifest.OutputFile f : m.files()) {
        Path parquet = exportRoot.resolve("kraken").resolve(day.toString()).resolve(f.name());
        try (ResultSet rs = st.executeQuery("select count(*) from read_parquet('" + parquet + "')")) {
          rs.next();
          assertThat(rs.getLong(1)).as(f.name()).isEqualTo(f.rows()).isEqualTo(m.rowsByKind().get(f.kind()));
        }
      }
    }
    assertThat(m.rowsByKind().get("trade")).isPositive();
    assertThat(m.rowsByKind().get("book_delta")).isPositive();
  }
}
