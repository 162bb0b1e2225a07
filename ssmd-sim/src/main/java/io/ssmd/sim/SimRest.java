package io.ssmd.sim;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** Small helpers for the simulated REST API: JSON replies, injected failures, the fault endpoint. */
public final class SimRest {
  /** {@code POST /_sim/rest-fault?status=429&count=3[&retry_after=1]} queues REST failures. */
  public static final String FAULT_PATH = "/_sim/rest-fault";

  private SimRest() {}

  public static boolean json(Response response, Callback callback, int status, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }

  /**
   * Handles the control endpoint when {@code path} is it; returns false otherwise. Bad parameters
   * get a 400 with the reason.
   */
  public static boolean faultEndpoint(String path, Request request, Response response, Callback callback, RestFaults faults) {
    if (!path.equals(FAULT_PATH)) {
      return false;
    }
    if (!HttpMethod.POST.is(request.getMethod())) {
      return json(response, callback, 405, "{\"error\":\"use POST\"}");
    }
    Fields q = Request.extractQueryParameters(request);
    try {
      int status = Integer.parseInt(q.getValue("status") == null ? "429" : q.getValue("status"));
      int count = Integer.parseInt(q.getValue("count") == null ? "1" : q.getValue("count"));
      int retryAfter = Integer.parseInt(q.getValue("retry_after") == null ? "1" : q.getValue("retry_after"));
      faults.add(count, status, retryAfter);
      return json(response, callback, 200, "{\"queued\":" + count + ",\"status\":" + status + ",\"pending\":" + faults.pending() + "}");
    } catch (IllegalArgumentException e) {
      return json(response, callback, 400, "{\"error\":\"" + e.getMessage().replace("\"", "'") + "\"}");
    }
  }

  /**
   * Serves the next queued failure, if any: a 429 carries {@code Retry-After}. Returns true when
   * the request was answered with a failure.
   */
  public static boolean failure(Response response, Callback callback, RestFaults faults, String body429, String body5xx) {
    RestFaults.Failure f = faults.next();
    if (f == null) {
      return false;
    }
    if (f.status() == 429) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(f.retryAfterSeconds()));
      return json(response, callback, 429, body429);
    }
    return json(response, callback, f.status(), body5xx);
  }
}
