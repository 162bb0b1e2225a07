package io.ssmd.secmaster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kalshi public REST (VENUES §A2) over the JDK HTTP client: cursor paging delivered page by page
 * (the page being handled and the next one, fetched meanwhile, are all of a listing in memory), a token-bucket rate limit, retries of 429
 * (honouring {@code Retry-After}) and of 5xx and I/O errors with exponential backoff, and a fast
 * failure after {@link KalshiRestOptions#maxConsecutiveErrors()} failed attempts in a row. Other 4xx
 * are fatal at once: retrying a bad request never helps.
 */
public final class KalshiRestClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KalshiRestClient.class);

  /** Receives one page of records; may throw (e.g. SQLException), which aborts the listing. */
  @FunctionalInterface
  public interface PageHandler {
    void page(List<JsonNode> records) throws Exception;
  }

  private final KalshiRestOptions options;
  private final HttpClient http;
  private final TokenBucket bucket;
  private final ObjectMapper json =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  /** Fetches the page after the one being handled (one virtual thread per request). */
  private final ExecutorService prefetcher = Executors.newVirtualThreadPerTaskExecutor();

  public KalshiRestClient(KalshiRestOptions options) {
    this.options = options;
    this.http = HttpClient.newBuilder().connectTimeout(options.requestTimeout()).build();
    this.bucket = new TokenBucket(options.requestsPerSecond(), options.burst());
  }

  /** HTTP requests sent, retries included. */
  public long requests() {
    return requests.get();
  }

  /** Attempts that were retried (429, 5xx, I/O). */
  public long retries() {
    return retries.get();
  }

  /** Told after each page was handled, with the cursor of the next page (null: the listing is done). */
  @FunctionalInterface
  public interface PageDone {
    void done(String nextCursor) throws Exception;
  }

  /**
   * Walks a cursor-paged listing: {@code GET path?query&cursor=..} until the response cursor is
   * empty, handing each page's {@code itemsField} array to the handler before fetching the next.
   *
   * @param firstPageOnly stop after the first page (the "catch what is not yet open" pass)
   * @return pages fetched
   */
  public int pages(String path, Map<String, String> query, String itemsField, boolean firstPageOnly, PageHandler handler)
      throws Exception {
    return pages(path, query, itemsField, firstPageOnly, null, handler, next -> {});
  }

  /**
   * As {@link #pages(String, Map, String, boolean, PageHandler)}, starting at {@code startCursor}
   * (null: the first page) and telling {@code done} after each handled page where the next one
   * starts, which is what a resumable sync checkpoints.
   */
  public int pages(String path, Map<String, String> query, String itemsField, boolean firstPageOnly, String startCursor,
      PageHandler handler, PageDone done) throws Exception {
    int pages = 0;
    Future<JsonNode> next = fetch(path, query, startCursor);
    while (true) {
      JsonNode body = await(next);
      pages++;
      JsonNode items = body.path(itemsField);
      List<JsonNode> records = new ArrayList<>(items.size());
      if (items.isArray()) {
        items.forEach(records::add);
      } else if (!items.isMissingNode() && !items.isNull()) {
        throw new KalshiRestException("GET " + path + ": field '" + itemsField + "' is not an array", 200, null);
      }
      JsonNode c = body.path("cursor");
      String cursor = c.isTextual() && !c.asText().isEmpty() && !firstPageOnly ? c.asText() : null;
      // the next page is fetched and parsed while this one is stored: the sync then costs about
      // max(fetch, store) per page instead of their sum, with at most two pages in memory
      next = cursor == null ? null : fetch(path, query, cursor);
      try {
        handler.page(records);
        done.done(cursor);
      } catch (Exception | Error e) {
        if (next != null) {
          next.cancel(true);
        }
        throw e;
      }
      if (cursor == null) {
        return pages;
      }
    }
  }

  private Future<JsonNode> fetch(String path, Map<String, String> query, String cursor) {
    Map<String, String> q = new LinkedHashMap<>(query);
    if (cursor != null) {
      q.put("cursor", cursor);
    }
    return prefetcher.submit(() -> get(path, q));
  }

  /** The page's body, or the fetch's own exception (KalshiRestException, IOException, ..) as thrown. */
  private static JsonNode await(Future<JsonNode> page) throws Exception {
    try {
      return page.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    } catch (InterruptedException e) {
      page.cancel(true);
      throw e;
    }
  }

  /** One GET returning the parsed JSON body, with rate limiting and retries. */
  public JsonNode get(String path, Map<String, String> query) throws IOException, InterruptedException {
    URI uri = uri(path, query);
    int consecutive = 0;
    Duration backoff = options.initialBackoff();
    while (true) {
      bucket.acquire();
      requests.incrementAndGet();
      String failure;
      int status = 0;
      Duration delay;
      IOException cause = null;
      try {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(options.requestTimeout()).header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        status = resp.statusCode();
        if (status == 200) {
          try (InputStream in = resp.body()) {
            return json.readTree(in);
          }
        }
        String body;
        try (InputStream in = resp.body()) {
          body = new String(in.readNBytes(300), StandardCharsets.UTF_8);
        }
        failure = "HTTP " + status + " " + body.strip();
        if (status == 429) {
          delay = resp.headers().firstValue("Retry-After").map(KalshiRestClient::retryAfter).orElse(backoff);
        } else if (status >= 500) {
          delay = backoff;
        } else {
          throw new KalshiRestException("GET " + uri + " failed: " + failure + " (not retried)", status, null);
        }
      } catch (IOException e) {
        failure = e.getClass().getSimpleName() + ": " + e.getMessage();
        delay = backoff;
        cause = e;
      }
      consecutive++;
      if (consecutive >= options.maxConsecutiveErrors()) {
        throw new KalshiRestException(
            "GET " + uri + " failed " + consecutive + " consecutive times, giving up; last: " + failure, status, cause);
      }
      if (delay.compareTo(options.maxBackoff()) > 0) {
        delay = options.maxBackoff();
      }
      retries.incrementAndGet();
      LOG.warn("GET {} failed ({}), retry {} in {} ms", uri, failure, consecutive, delay.toMillis());
      Thread.sleep(delay.toMillis());
      backoff = backoff.multipliedBy(2);
      if (backoff.compareTo(options.maxBackoff()) > 0) {
        backoff = options.maxBackoff();
      }
    }
  }

  /** Retry-After is delta-seconds here (Kalshi's form); an HTTP date or garbage means one second. */
  private static Duration retryAfter(String value) {
    try {
      return Duration.ofMillis((long) (Double.parseDouble(value.strip()) * 1000));
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(1);
    }
  }

  private URI uri(String path, Map<String, String> query) {
    String base = options.baseUrl().toString();
    StringBuilder sb = new StringBuilder(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    sb.append(path.startsWith("/") ? path : "/" + path);
    char sep = '?';
    for (Map.Entry<String, String> e : query.entrySet()) {
      sb.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    return URI.create(sb.toString());
  }

  @Override
  public void close() {
    prefetcher.shutdownNow();
    http.close();
  }
}
