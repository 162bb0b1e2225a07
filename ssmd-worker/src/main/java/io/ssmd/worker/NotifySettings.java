package io.ssmd.worker;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where notifications go, from environment variables. Either channel may be unset (skipped).
 *
 * @param webhook {@code NOTIFY_WEBHOOK_URL}: receives {@code {"text": ...}} (Slack incoming-webhook compatible)
 * @param smtpHost {@code SMTP_HOST}: mail server; empty disables email
 * @param smtpPort {@code SMTP_PORT} (25)
 * @param from {@code SMTP_FROM}
 * @param to {@code SMTP_TO}: comma-separated recipients
 * @param user {@code SMTP_USER} (empty: no authentication)
 * @param password {@code SMTP_PASSWORD}; never logged
 * @param startTls {@code SMTP_STARTTLS} ({@code true} requires STARTTLS)
 */
public record NotifySettings(
    Optional<URI> webhook, Optional<String> smtpHost, int smtpPort, String from, List<String> to, Optional<String> user,
    Optional<String> password, boolean startTls) {

  public static final String NOTIFY_WEBHOOK_URL = "NOTIFY_WEBHOOK_URL";
  public static final String SMTP_HOST = "SMTP_HOST";
  public static final String SMTP_PORT = "SMTP_PORT";
  public static final String SMTP_FROM = "SMTP_FROM";
  public static final String SMTP_TO = "SMTP_TO";
  public static final String SMTP_USER = "SMTP_USER";
  public static final String SMTP_PASSWORD = "SMTP_PASSWORD";
  public static final String SMTP_STARTTLS = "SMTP_STARTTLS";

  /** No channel: notifications are logged only. */
  public static final NotifySettings NONE =
      new NotifySettings(Optional.empty(), Optional.empty(), 25, "", List.of(), Optional.empty(), Optional.empty(), false);

  public NotifySettings {
    to = List.copyOf(to);
  }

  /** Redacts the password. */
  @Override
  public String toString() {
    return "NotifySettings[webhook=" + webhook.map(u -> u.getScheme() + "://" + u.getHost() + ":" + u.getPort()).orElse("none")
        + ", smtp=" + smtpHost.map(h -> h + ":" + smtpPort + " to " + to).orElse("none") + "]";
  }

  /** Reads the variables, adding one line per bad value to {@code problems}. */
  public static NotifySettings fromEnv(Function<String, String> env, List<String> problems) {
    Optional<URI> webhook = Optional.empty();
    String w = blankToNull(env.apply(NOTIFY_WEBHOOK_URL));
    if (w != null) {
      try {
        URI u = URI.create(w);
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
          throw new IllegalArgumentException("scheme");
        }
        webhook = Optional.of(u);
      } catch (IllegalArgumentException e) {
        problems.add(NOTIFY_WEBHOOK_URL + ": expected an http(s) URL such as https://hooks.slack.com/services/...");
      }
    }
    Optional<String> host = Optional.ofNullable(blankToNull(env.apply(SMTP_HOST)));
    int port = 25;
    String p = blankToNull(env.apply(SMTP_PORT));
    if (p != null) {
      try {
        port = Integer.parseInt(p);
        if (port < 1 || port > 65535) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        problems.add(SMTP_PORT + "=" + p + ": expected a port 1..65535");
      }
    }
    String from = blankToNull(env.apply(SMTP_FROM));
    List<String> to = new ArrayList<>();
    String t = blankToNull(env.apply(SMTP_TO));
    if (t != null) {
      for (String a : t.split(",")) {
        if (!a.isBlank()) {
          to.add(a.strip());
        }
      }
    }
    if (host.isPresent()) {
      if (from == null || !from.contains("@")) {
        problems.add(SMTP_FROM + ": required with " + SMTP_HOST + ", an address such as ssmd@example.com");
      }
      if (to.isEmpty() || to.stream().anyMatch(a -> !a.contains("@"))) {
        problems.add(SMTP_TO + ": required with " + SMTP_HOST + ", comma-separated addresses");
      }
    }
    String starttls = blankToNull(env.apply(SMTP_STARTTLS));
    if (starttls != null && !starttls.equals("true") && !starttls.equals("false")) {
      problems.add(SMTP_STARTTLS + "=" + starttls + ": expected true or false");
    }
    return new NotifySettings(webhook, host, port, from == null ? "" : from, to, Optional.ofNullable(blankToNull(env.apply(SMTP_USER))),
        Optional.ofNullable(blankToNull(env.apply(SMTP_PASSWORD))), "true".equals(starttls));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
