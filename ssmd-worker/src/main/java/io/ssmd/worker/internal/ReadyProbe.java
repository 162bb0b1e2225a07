package io.ssmd.worker.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** One GET of a component's /ready: 200 is ready; anything else says why not, in one line. */
public final class ReadyProbe {
  private ReadyProbe() {}

  /** Why the component is not ready, or empty when it is. */
  public static Optional<String> notReady(HttpClient http, URI url) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) {
        return Optional.empty();
      }
      String body = r.body() == null ? "" : r.body().replaceAll("\\s+", " ").strip();
      return Optional.of("HTTP " + r.statusCode() + (body.isEmpty() ? "" : ": " + (body.length() > 160 ? body.substring(0, 160) + "…" : body)));
    } catch (IOException e) {
      return Optional.of("unreachable: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }
}
