package io.ssmd.secmaster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of {@link KalshiRestClient}.
 *
 * @param baseUrl REST root including the version, e.g. {@code https://api.elections.kalshi.com/trade-api/v2}
 *     or the simulator's {@code http://127.0.0.1:PORT/trade-api/v2}
 * @param requestsPerSecond token-bucket refill rate; Kalshi rate-limits with token buckets too
 * @param burst token-bucket capacity
 * @param maxConsecutiveErrors failed attempts in a row (429, 5xx, I/O) after which the sync fails
 * @param initialBackoff first retry delay for 5xx and I/O errors (doubles per attempt)
 * @param maxBackoff largest retry delay, also the cap on a venue's Retry-After
 * @param requestTimeout per-request timeout
 */
public record KalshiRestOptions(
    URI baseUrl,
    double requestsPerSecond,
    int burst,
    int maxConsecutiveErrors,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration requestTimeout) {

  public KalshiRestOptions {
    List<String> problems = new ArrayList<>();
    if (baseUrl == null || baseUrl.getScheme() == null || !baseUrl.getScheme().startsWith("http")) {
      problems.add("baseUrl must be an http(s) URL such as http://127.0.0.1:8081/trade-api/v2, got " + baseUrl);
    }
    if (!(requestsPerSecond > 0)) {
      problems.add("requestsPerSecond must be > 0, got " + requestsPerSecond);
    }
    if (burst < 1) {
      problems.add("burst must be >= 1, got " + burst);
    }
    if (maxConsecutiveErrors < 1) {
      problems.add("maxConsecutiveErrors must be >= 1, got " + maxConsecutiveErrors);
    }
    if (initialBackoff == null || initialBackoff.isNegative()) {
      problems.add("initialBackoff must be a non-negative duration, got " + initialBackoff);
    }
    if (maxBackoff == null || maxBackoff.isNegative()) {
      problems.add("maxBackoff must be a non-negative duration, got " + maxBackoff);
    }
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      problems.add("requestTimeout must be a positive duration, got " + requestTimeout);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid Kalshi REST options: " + String.join("; ", problems));
    }
  }

  /** Defaults: 20 requests/s (burst 20), fail after 8 consecutive errors, backoff 200 ms..10 s, 30 s timeout. */
  public static KalshiRestOptions defaults(URI baseUrl) {
    return new KalshiRestOptions(baseUrl, 20, 20, 8, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(30));
  }
}
