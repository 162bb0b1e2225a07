package io.ssmd.secmaster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GETs JSON from a venue REST API: paces itself to a minimum interval between requests, retries
 * 429 (honouring Retry-After), 5xx and I/O errors with exponential backoff, and gives up after
 * {@code maxConsecutiveErrors} failures in a row. Other 4xx are fatal at once: retrying a bad
 * request or a refused permission never helps. Shared by the venue syncs; each gives the
 * exception type its callers expect.
 *
 * @param <E> the venue sync's exception type
 */
public final class VenueHttp<E extends Exception> {

  /** Pacing, retry and timeout settings. */
  public record Settings(
      Duration minRequestInterval, int maxConsecutiveErrors, Duration initialBackoff, Duration maxBackoff, Duration requestTimeout) {}

  private static final Logger log = LoggerFactory.getLogger(VenueHttp.class);

  /** Floats as BigDecimal: precisions and increments must survive exactly. */
  public static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final HttpClient client;
  private final Settings options;
  private final java.util.function.Function<String, E> error;
  private long nextRequestNanos = System.nanoTime();
  private int retries;
  private int requests;

  public VenueHttp(Settings options, java.util.function.Function<String, E> error) {
    this.options = options;
    this.error = error;
    this.client = HttpClient.newBuilder().connectTimeout(options.requestTimeout()).build();
  }

  public int retries() {
    return retries;
  }

  public int requests() {
    return requests;
  }

  public JsonNode getJson(URI uri) throws E, InterruptedException {
    return getJson(uri, body -> null);
  }

  /**
   * GETs {@code uri}; {@code transientError} names a venue error carried in a 200 body that is
   * worth retrying (null when the body is good), for venues that report rate limits that way.
   */
  public JsonNode getJson(URI uri, java.util.function.Function<JsonNode, String> transientError)
      throws E, InterruptedException {
    int consecutive = 0;
    Duration backoff = options.initialBackoff();
    while (true) {
      pace();
      requests++;
      String failure;
      Optional<Duration> retryAfter = Optional.empty();
      try {
        HttpResponse<byte[]> resp = client.send(
            HttpRequest.newBuilder(uri).timeout(options.requestTimeout()).header("Accept", "application/json").GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
        int status = resp.statusCode();
        if (status == 200) {
          JsonNode body = null;
          failure = null;
          try {
            body = JSON.readTree(resp.body());
          } catch (IOException e) {
            // a truncated or garbled body is a transport problem worth another try
            failure = "unparseable body: " + e.getMessage();
          }
          if (body != null) {
            failure = transientError.apply(body);
            if (failure == null) {
              return body;
            }
          }
        } else if (status == 429 || status >= 500) {
          failure = "HTTP " + status;
          retryAfter = resp.headers().firstValue("Retry-After").flatMap(VenueHttp::parseRetryAfter);
        } else {
          throw error.apply("GET " + uri + " failed with HTTP " + status + " (not retried): "
              + new String(resp.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        failure = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      consecutive++;
      if (consecutive >= options.maxConsecutiveErrors()) {
        throw error.apply("GET " + uri + " failed " + consecutive + " times in a row, last: " + failure);
      }
      Duration wait = retryAfter.filter(d -> d.compareTo(options.maxBackoff()) <= 0).orElse(backoff);
      retries++;
      log.warn("GET {} failed ({}), retry {} in {} ms", uri, failure, consecutive, wait.toMillis());
      Thread.sleep(wait.toMillis());
      backoff = backoff.multipliedBy(2).compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : backoff.multipliedBy(2);
    }
  }

  private void pace() throws InterruptedException {
    long now = System.nanoTime();
    long waitNanos = nextRequestNanos - now;
    if (waitNanos > 0) {
      Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
    }
    nextRequestNanos = Math.max(now, nextRequestNanos) + options.minRequestInterval().toNanos();
  }

  /** Retry-After in delta-seconds; the HTTP-date form is rare on APIs and falls back to backoff. */
  static Optional<Duration> parseRetryAfter(String value) {
    try {
      return Optional.of(Duration.ofMillis(new java.math.BigDecimal(value.trim()).movePointRight(3).longValue()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
