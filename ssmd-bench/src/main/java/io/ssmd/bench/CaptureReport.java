package io.ssmd.bench;

import java.util.List;
import java.util.Locale;

/**
 * The figures of one {@link CaptureBenchmark} run; {@link #format()} is the printed report.
 *
 * @param cores available processors
 * @param date when the run started (ISO-8601)
 * @param java {@code java.runtime.version}
 * @param venue simulated venue that generated the frames
 * @param markets markets subscribed
 * @param frames frames journaled and replayed by the raw baseline
 * @param avgFrameBytes their average size
 * @param rawRate raw jnats publishAsync acknowledged msg/s (the limit)
 * @param natsRate sim -> connector -> NatsTransport acknowledged msg/s
 * @param natsSimRate what the simulator sent meanwhile, msg/s
 * @param memoryRate sim -> connector -> memory transport acknowledged msg/s
 * @param memorySimRate what the simulator sent meanwhile, msg/s
 * @param latencyP50Nanos receive -> JetStream ack, median, at {@code latencyRate}
 * @param latencyP99Nanos receive -> JetStream ack, 99th percentile
 * @param latencyMaxNanos receive -> JetStream ack, largest
 * @param latencyRate acknowledged msg/s during the latency window
 * @param rssBytes largest VmRSS of the separate connector process, -1 when not measured
 * @param childHeap its {@code -Xmx}
 * @param childRate msg/s it published meanwhile
 * @param inFlight unacknowledged publishes allowed (raw and NatsTransport alike)
 * @param notes anything that qualifies the figures (drops, sequence gaps)
 */
public record CaptureReport(
    int cores,
    String date,
    String java,
    String venue,
    int markets,
    int frames,
    double avgFrameBytes,
    double rawRate,
    double natsRate,
    double natsSimRate,
    double memoryRate,
    double memorySimRate,
    long latencyP50Nanos,
    long latencyP99Nanos,
    long latencyMaxNanos,
    double latencyRate,
    long rssBytes,
    String childHeap,
    double childRate,
    int inFlight,
    List<String> notes) {

  /** Aim for the connector path relative to the raw limit. */
  public static final double AIM_RATIO = 0.8;
  /** Aim for the connector's resident set size at 10k msg/s. */
  public static final long AIM_RSS_BYTES = 300L << 20;

  public CaptureReport {
    notes = List.copyOf(notes);
  }

  /** Connector path over the raw limit. */
  public double ratio() {
    return rawRate > 0 ? natsRate / rawRate : 0;
  }

  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "capture benchmark (%d cores, %s, Java %s, %,d frames of %.0f B from the %s simulator, %d markets)%n",
        cores, date, java, frames, avgFrameBytes, venue, markets));
    sb.append(String.format(Locale.ROOT, "raw jnats publishAsync -> JetStream acked      : %,9.0f msg/s   (limit, %d in flight)%n",
        rawRate, inFlight));
    sb.append(String.format(Locale.ROOT, "sim -> connector -> NatsTransport -> JetStream : %,9.0f msg/s   ratio %.2f (aim >= %.1f), raw limit %,.0f msg/s; sim sent %,.0f msg/s%n",
        natsRate, ratio(), AIM_RATIO, rawRate, natsSimRate));
    sb.append(String.format(Locale.ROOT, "sim -> connector -> memory transport           : %,9.0f msg/s   sim sent %,.0f msg/s%n",
        memoryRate, memorySimRate));
    sb.append(String.format(Locale.ROOT, "receive -> ack latency (JetStream)             : p50 %s  p99 %s  max %s  (at %,.0f msg/s)%n",
        millis(latencyP50Nanos), millis(latencyP99Nanos), millis(latencyMaxNanos), latencyRate));
    if (rssBytes >= 0) {
      sb.append(String.format(Locale.ROOT, "connector RSS (separate process)               : %9d MiB     (aim < %d MiB) at %,.0f msg/s, heap max %s%n",
          rssBytes >> 20, AIM_RSS_BYTES >> 20, childRate, childHeap));
    } else {
      sb.append("connector RSS (separate process)               : not measured (--no-rss)\n");
    }
    for (String n : notes) {
      sb.append("note: ").append(n).append('\n');
    }
    return sb.toString();
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }
}
