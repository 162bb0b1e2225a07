package io.ssmd.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.worker.internal.NotifyActivitiesImpl;
import io.ssmd.worker.workflows.NotifyInput;
import io.ssmd.worker.workflows.NotifyResult;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The webhook channel against a local HTTP receiver: Slack-style body, 4xx not retried, 5xx retried. */
class NotifyActivitiesTest {
  private static NotifyActivitiesImpl notifier(WorkerTests.Receiver r) {
    return new NotifyActivitiesImpl(new NotifySettings(Optional.of(r.url("/hook")), Optional.empty(), 25, "", List.of(),
        Optional.empty(), Optional.empty(), false), WorkerMetrics.detached());
  }

  @Test
  void postsSlackCompatibleTextWithTheTitleInBold() throws Exception {
    try (WorkerTests.Receiver r = new WorkerTests.Receiver()) {
      NotifyResult res = notifier(r).send(new NotifyInput("warning", "quality YELLOW", "kalshi: 1 gap"));
      assertThat(res.delivered()).containsExactly("webhook");
      assertThat(res.notConfigured()).containsExactly("email");
      assertThat(new ObjectMapper().readTree(r.bodies.getFirst()).path("text").asText())
          .isEqualTo(":warning: *quality YELLOW*\nkalshi: 1 gap");
    }
  }

  @Test
  void aRejectingWebhookIsNotRetriedAndAFailingOneIs() throws Exception {
    try (WorkerTests.Receiver r = new WorkerTests.Receiver()) {
      r.status = 404;
      assertThatThrownBy(() -> notifier(r).send(new NotifyInput("info", "t", "")))
          .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
            assertThat(f.isNonRetryable()).isTrue();
            assertThat(f.getOriginalMessage()).contains("answered HTTP 404").contains("check NOTIFY_WEBHOOK_URL");
          });
      r.status = 503;
      assertThatThrownBy(() -> notifier(r).send(new NotifyInput("info", "t", "")))
          .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.isNonRetryable()).isFalse());
    }
  }
}
