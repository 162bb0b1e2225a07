package io.ssmd.worker.workflows;

import java.util.List;

/**
 * What {@link NotifyWorkflow} delivered.
 *
 * @param delivered channels that accepted the message ({@code webhook}, {@code email})
 * @param notConfigured channels without configuration (skipped)
 */
public record NotifyResult(List<String> delivered, List<String> notConfigured) {
  public NotifyResult {
    delivered = delivered == null ? List.of() : List.copyOf(delivered);
    notConfigured = notConfigured == null ? List.of() : List.copyOf(notConfigured);
  }
}
