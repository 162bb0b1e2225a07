package io.ssmd.observability;

import java.util.ArrayList;
import java.util.List;

/**
 * Readiness of a component: connected and data fresh. An empty list of reasons means ready; each
 * reason is a short human-readable sentence (never containing secrets) shown in the {@code /ready}
 * response body.
 */
@FunctionalInterface
public interface ReadinessCheck {

  /** Always ready, for components without external dependencies. */
  ReadinessCheck ALWAYS_READY = List::of;

  /** Why the component is not ready; empty when it is. */
  List<String> notReadyReasons();

  /** Ready when every check is ready; the reasons of all checks are concatenated. */
  static ReadinessCheck all(List<ReadinessCheck> checks) {
    List<ReadinessCheck> copy = List.copyOf(checks);
    return () -> {
      List<String> reasons = new ArrayList<>();
      for (ReadinessCheck check : copy) {
        reasons.addAll(check.notReadyReasons());
      }
      return reasons;
    };
  }
}
