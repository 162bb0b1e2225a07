package io.ssmd.transport.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.ssmd.testkit.NatsServerProcess;
import io.ssmd.transport.nats.ApplyResult.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamAdminIT {
  private static NatsServerProcess nats;
  private static Connection connection;
  private static JetStreamManagement jsm;

  @BeforeAll
  static void start() throws Exception {
    nats = NatsServerProcess.start();
    connection = NatsTestSupport.connect(nats.url());
    jsm = connection.jetStreamManagement();
  }

  @AfterAll
  static void stop() throws Exception {
    connection.close();
    nats.close();
  }

  private static StreamSpec spec(String name, Duration maxAge) {
    return new StreamSpec(name, List.of(name.toLowerCase() + ".>"), maxAge, 1, Duration.ofMinutes(2), -1);
  }

  private static StreamConfiguration config(String name) throws Exception {
    return jsm.getStreamInfo(name).getConfiguration();
  }

  @Test
  void createsThenReportsUnchangedThenUpdatesDriftedFields() throws Exception {
    StreamAdmin admin = new StreamAdmin(connection);
    ApplyResult created = admin.apply(spec("A_CREATE", Duration.ofHours(24)), false);
    assertThat(created.outcome()).isEqualTo(Outcome.CREATED);
    StreamConfiguration c = config("A_CREATE");
    assertThat(c.getStorageType()).isEqualTo(StorageType.File);
    assertThat(c.getMaxAge()).isEqualTo(Duration.ofHours(24));
    assertThat(c.getSubjects()).containsExactly("a_create.>");

    ApplyResult again = admin.apply(spec("A_CREATE", Duration.ofHours(24)), false);
    assertThat(again.outcome()).isEqualTo(Outcome.UNCHANGED);
    assertThat(again.summary()).isEqualTo("stream A_CREATE: unchanged");

    StreamSpec drifted =
        new StreamSpec("A_CREATE", List.of("a_create.>", "extra.>"), Duration.ofHours(72), 1, Duration.ofMinutes(5), 1 << 30);
    ApplyResult updated = admin.apply(drifted, false);
    assertThat(updated.outcome()).isEqualTo(Outcome.UPDATED);
    assertThat(updated.changes())
        .containsExactly(
            "subjects [a_create.>] -> [a_create.>, extra.>]",
            "max_age 24h -> 72h",
            "duplicate_window 2m -> 5m",
            "max_bytes -1 -> 1073741824");
    c = config("A_CREATE");
    assertThat(c.getMaxAge()).isEqualTo(Duration.ofHours(72));
    assertThat(c.getDuplicateWindow()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.getMaxBytes()).isEqualTo(1L << 30);
    assertThat(admin.apply(drifted, false).outcome()).isEqualTo(Outcome.UNCHANGED);
  }

  @Test
  void dryRunReportsThePlanAndChangesNothing() throws Exception {
    try (StreamAdmin admin = StreamAdmin.connect(nats.url())) {
      ApplyResult plan = admin.apply(spec("A_DRY", Duration.ofHours(24)), true);
      assertThat(plan.outcome()).isEqualTo(Outcome.CREATED);
      assertThat(plan.dryRun()).isTrue();
      assertThat(plan.summary()).startsWith("stream A_DRY: would create");
      assertThat(streamExists("A_DRY")).isFalse();

      admin.apply(spec("A_DRY", Duration.ofHours(24)), false);
      ApplyResult update = admin.apply(spec("A_DRY", Duration.ofHours(72)), true);
      assertThat(update.outcome()).isEqualTo(Outcome.UPDATED);
      assertThat(update.summary()).isEqualTo("stream A_DRY: would update (max_age 24h -> 72h)");
      assertThat(config("A_DRY").getMaxAge()).isEqualTo(Duration.ofHours(24));
    }
  }

  @Test
  void reportsStorageTypeChangeAsAnErrorAndLeavesTheStreamAlone() throws Exception {
    jsm.addStream(StreamConfiguration.builder().name("A_MEM").subjects("a_mem.>").storageType(StorageType.Memory)
        .maxAge(Duration.ofHours(1)).build());
    ApplyResult result = new StreamAdmin(connection).apply(spec("A_MEM", Duration.ofHours(24)), false);
    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.ok()).isFalse();
    assertThat(result.errors()).singleElement().asString().startsWith("storage memory -> file cannot be changed");
    assertThat(config("A_MEM").getMaxAge()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void reportsWhatTheServerRefuses() {
    StreamSpec threeReplicas = new StreamSpec("A_R3", List.of("a_r3.>"), Duration.ofHours(1), 3, Duration.ofMinutes(2), -1);
    ApplyResult result = new StreamAdmin(connection).apply(threeReplicas, false);
    assertThat(result.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(result.errors()).singleElement().asString().contains("JetStream refused to create it");
  }

  @Test
  void formatsDurationsAsOperatorsWriteThem() {
    assertThat(StreamAdmin.format(Duration.ofHours(72))).isEqualTo("72h");
    assertThat(StreamAdmin.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(StreamAdmin.format(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(StreamAdmin.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }

  private static boolean streamExists(String name) throws Exception {
    try {
      jsm.getStreamInfo(name);
      return true;
    } catch (JetStreamApiException e) {
      return false;
    }
  }
}
