package io.ssmd.worker.workflows;

import java.util.Locale;
import java.util.Set;

/**
 * Input of {@link NotifyWorkflow}: one message to every configured channel.
 *
 * @param severity {@code info}, {@code warning} or {@code error} (default {@code info})
 * @param title one line, used as the mail subject
 * @param text body
 */
public record NotifyInput(String severity, String title, String text) {
  /** Accepted values of {@link #severity()}. */
  public static final Set<String> SEVERITIES = Set.of("info", "warning", "error");

  public NotifyInput {
    severity = severity == null || severity.isBlank() ? "info" : severity.strip().toLowerCase(Locale.ROOT);
    if (!SEVERITIES.contains(severity)) {
      throw new IllegalArgumentException("NotifyInput.severity must be one of info, warning, error; got '" + severity + "'");
    }
    title = Inputs.requireText("NotifyInput", "title", title, "give a one-line title");
    text = text == null ? "" : text;
  }
}
