package io.ssmd.systemtest;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

/** Reads counter values out of a registry, as a scrape would see them. */
final class Metrics {
  private Metrics() {}

  /** Sum of the counter's data points whose labels include every given name=value pair. */
  static double counter(PrometheusRegistry registry, String name, String... labelPairs) {
    String base = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
    double sum = 0;
    for (MetricSnapshot m : registry.scrape()) {
      if (!(m instanceof CounterSnapshot c) || !c.getMetadata().getName().equals(base)) {
        continue;
      }
      for (CounterSnapshot.CounterDataPointSnapshot p : c.getDataPoints()) {
        if (matches(p.getLabels(), labelPairs)) {
          sum += p.getValue();
        }
      }
    }
    return sum;
  }

  private static boolean matches(Labels labels, String... pairs) {
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (!pairs[i + 1].equals(labels.get(pairs[i]))) {
        return false;
      }
    }
    return true;
  }
}
