package io.ssmd.worker.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.worker.NotifySettings;
import io.ssmd.worker.WorkerMetrics;
import io.ssmd.worker.workflows.NotifyInput;
import io.ssmd.worker.workflows.NotifyResult;
import io.temporal.failure.ApplicationFailure;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a notification to the webhook (JSON POST {@code {"text": ...}}, which Slack incoming
 * webhooks and most chat bridges accept) and by email over SMTP (jakarta.mail). A channel that
 * fails fails the attempt, so the short profile retries it; a webhook that answers 4xx is a
 * configuration error and is not retried.
 */
public final class NotifyActivitiesImpl implements NotifyActivities {
  private static final Logger LOG = LoggerFactory.getLogger(NotifyActivitiesImpl.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final NotifySettings settings;
  private final WorkerMetrics metrics;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  public NotifyActivitiesImpl(NotifySettings settings, WorkerMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
  }

  @Override
  public NotifyResult send(NotifyInput in) {
    List<String> delivered = new ArrayList<>();
    List<String> notConfigured = new ArrayList<>();
    LOG.info("notification [{}] {}", in.severity(), in.title());
    if (settings.webhook().isPresent()) {
      webhook(in);
      delivered.add("webhook");
    } else {
      notConfigured.add("webhook");
    }
    if (settings.smtpHost().isPresent()) {
      email(in);
      delivered.add("email");
    } else {
      notConfigured.add("email");
    }
    return new NotifyResult(delivered, notConfigured);
  }

  /** The webhook body: Slack's {@code text}, with the title in bold on the first line. */
  static String webhookBody(NotifyInput in) {
    String icon = switch (in.severity()) {
      case "error" -> ":red_circle:";
      case "warning" -> ":warning:";
      default -> ":white_check_mark:";
    };
    try {
      return JSON.writeValueAsString(Map.of("text", icon + " *" + in.title() + "*" + (in.text().isEmpty() ? "" : "\n" + in.text())));
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise a notification", e);
    }
  }

  private void webhook(NotifyInput in) {
    HttpRequest req = HttpRequest.newBuilder(settings.webhook().get()).timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(webhookBody(in), StandardCharsets.UTF_8)).build();
    HttpResponse<String> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      metrics.notification("webhook", false);
      throw ApplicationFailure.newFailure("webhook " + host() + " unreachable: " + e.getMessage(), "WebhookUnavailable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted while posting to the webhook", "Interrupted");
    }
    int s = resp.statusCode();
    if (s / 100 == 2) {
      metrics.notification("webhook", true);
      return;
    }
    metrics.notification("webhook", false);
    String msg = "webhook " + host() + " answered HTTP " + s + ": " + abbreviate(resp.body());
    if (s / 100 == 4 && s != 429 && s != 408) {
      throw ApplicationFailure.newNonRetryableFailure(msg + " (check NOTIFY_WEBHOOK_URL)", "WebhookRejected");
    }
    throw ApplicationFailure.newFailure(msg, "WebhookUnavailable");
  }

  private void email(NotifyInput in) {
    Properties p = new Properties();
    p.put("mail.smtp.host", settings.smtpHost().get());
    p.put("mail.smtp.port", Integer.toString(settings.smtpPort()));
    p.put("mail.smtp.connectiontimeout", Long.toString(TIMEOUT.toMillis()));
    p.put("mail.smtp.timeout", Long.toString(TIMEOUT.toMillis()));
    p.put("mail.smtp.writetimeout", Long.toString(TIMEOUT.toMillis()));
    if (settings.startTls()) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    }
    Session session;
    if (settings.user().isPresent()) {
      p.put("mail.smtp.auth", "true");
      String user = settings.user().get();
      String password = settings.password().orElse("");
      session = Session.getInstance(p, new jakarta.mail.Authenticator() {
        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
          return new PasswordAuthentication(user, password);
        }
      });
    } else {
      session = Session.getInstance(p);
    }
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(new InternetAddress(settings.from()));
      for (String to : settings.to()) {
        m.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
      }
      m.setSubject("[ssmd " + in.severity() + "] " + in.title(), "UTF-8");
      m.setText(in.text().isEmpty() ? in.title() : in.text(), "UTF-8");
      Transport.send(m);
      metrics.notification("email", true);
    } catch (MessagingException e) {
      metrics.notification("email", false);
      throw ApplicationFailure.newFailure("email via " + settings.smtpHost().get() + ":" + settings.smtpPort() + " failed: "
          + e.getMessage(), "SmtpUnavailable");
    }
  }

  private String host() {
    return settings.webhook().map(u -> u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "")).orElse("");
  }

  private static String abbreviate(String s) {
    String one = s == null ? "" : s.replaceAll("\\s+", " ").strip();
    return one.length() > 200 ? one.substring(0, 200) + "…" : one;
  }
}
