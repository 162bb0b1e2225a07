package io.ssmd.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerSettingsTest {
  @TempDir Path tmp;

  private Map<String, String> env() throws Exception {
    Map<String, String> m = new HashMap<>();
    m.put("SSMD_CONFIG_DIR", WorkerTests.configDir(tmp).toString());
    return m;
  }

  @Test
  void defaultsFollowTheDeploymentGuide() throws Exception {
    WorkerSettings s = WorkerSettings.fromMap(env(), Optional.empty(), Path.of("data"));
    assertThat(s.temporalAddress()).isEmpty();
    assertThat(s.embeddedPort()).isEqualTo(7233);
    assertThat(s.namespace()).isEqualTo("default");
    assertThat(s.taskQueue()).isEqualTo("ssmd");
    assertThat(s.healthPort()).isEqualTo(8080);
    assertThat(s.maxConcurrentActivities()).isEqualTo(20);
    assertThat(s.databaseUrl()).isEmpty();
    assertThat(s.notifications()).isEqualTo(NotifySettings.NONE);
  }

  @Test
  void readsEveryVariableAndTheFlagOverridesTheHealthPort() throws Exception {
    Map<String, String> e = env();
    e.put("TEMPORAL_ADDRESS", "temporal-frontend.temporal:7233");
    e.put("TEMPORAL_NAMESPACE", "ssmd");
    e.put("TEMPORAL_TASK_QUEUE", "ops");
    e.put("HEALTH_CHECK_PORT", "9000");
    e.put("MAX_CONCURRENT_ACTIVITY_EXECUTIONS", "4");
    e.put("MAX_CONCURRENT_WORKFLOW_TASK_EXECUTIONS", "8");
    e.put("DATABASE_URL", "postgres://u:p@db:5432/ssmd");
    e.put("SSMD_READY_URLS", "connector=http://c:8080/ready, kalshi-prod/archiver=http://a:8080/ready");
    e.put("SSMD_READY_TIMEOUT", "2m");
    e.put("NOTIFY_WEBHOOK_URL", "https://hooks.example.com/x");
    e.put("SMTP_HOST", "mail");
    e.put("SMTP_FROM", "ssmd@example.com");
    e.put("SMTP_TO", "a@example.com, b@example.com");
    WorkerSettings s = WorkerSettings.fromMap(e, Optional.of(9100), Path.of("data"));
    assertThat(s.temporalAddress()).contains("temporal-frontend.temporal:7233");
    assertThat(s.namespace()).isEqualTo("ssmd");
    assertThat(s.taskQueue()).isEqualTo("ops");
    assertThat(s.healthPort()).isEqualTo(9100);
    assertThat(s.maxConcurrentActivities()).isEqualTo(4);
    assertThat(s.maxConcurrentWorkflowTasks()).isEqualTo(8);
    assertThat(s.readyUrls()).containsExactly(new WorkerSettings.ReadyUrl(null, "connector", URI.create("http://c:8080/ready")),
        new WorkerSettings.ReadyUrl("kalshi-prod", "archiver", URI.create("http://a:8080/ready")));
    assertThat(s.readyUrls().get(1).appliesTo("kalshi-sim")).isFalse();
    assertThat(s.readyTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.notifications().to()).containsExactly("a@example.com", "b@example.com");
    assertThat(s.notifications().smtpPort()).isEqualTo(25);
  }

  @Test
  void everyBadValueIsReportedOnItsOwnLine() {
    Map<String, String> e = new HashMap<>();
    e.put("SSMD_CONFIG_DIR", tmp.resolve("nowhere").toString());
    e.put("TEMPORAL_ADDRESS", "temporal");
    e.put("HEALTH_CHECK_PORT", "http");
    e.put("MAX_CONCURRENT_ACTIVITY_EXECUTIONS", "0");
    e.put("DATABASE_URL", "mysql://db/x");
    e.put("SMTP_HOST", "mail");
    e.put("SSMD_READY_URLS", "connector");
    assertThatThrownBy(() -> WorkerSettings.fromMap(e, Optional.empty(), Path.of("data")))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(x -> assertThat(x.getMessage().lines()).hasSize(8)
            .anyMatch(l -> l.startsWith("TEMPORAL_ADDRESS=temporal: expected host:port"))
            .anyMatch(l -> l.startsWith("HEALTH_CHECK_PORT=http: expected a port"))
            .anyMatch(l -> l.startsWith("MAX_CONCURRENT_ACTIVITY_EXECUTIONS=0: expected a positive integer"))
            .anyMatch(l -> l.startsWith("DATABASE_URL: expected jdbc:postgresql://"))
            .anyMatch(l -> l.startsWith("SSMD_CONFIG_DIR=") && l.contains("no environments/ directory"))
            .anyMatch(l -> l.startsWith("SMTP_FROM: required with SMTP_HOST"))
            .anyMatch(l -> l.startsWith("SMTP_TO: required with SMTP_HOST"))
            .anyMatch(l -> l.startsWith("SSMD_READY_URLS: 'connector' is not")));
  }
}
