package io.ssmd.connector;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reads series from a registry the way Prometheus would see them (text exposition). */
final class Metrics {
  private Metrics() {}

  static String scrape(PrometheusRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Value of the series {@code name} with exactly these labels ({@code "feed", "x", "type", "trade"}); null when absent. */
  static Double value(PrometheusRegistry registry, String name, String... labels) {
    Map<String, String> wanted = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    for (String line : scrape(registry).split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name)) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.lastIndexOf(' ');
      String series = brace < 0 ? line.substring(0, space) : line.substring(0, brace);
      if (!series.equals(name)) {
        continue;
      }
      Map<String, String> found = new HashMap<>();
      if (brace >= 0) {
        String body = line.substring(brace + 1, line.lastIndexOf('}'));
        for (String pair : body.split("\",")) {
          int eq = pair.indexOf('=');
          found.put(pair.substring(0, eq), pair.substring(eq + 2).replace("\"", ""));
        }
      }
      if (found.equals(wanted)) {
        return Double.parseDouble(line.substring(space + 1));
      }
    }
    return null;
  }
}
