package io.ssmd.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Hosts one {@link SimVenue} on its own port: the venue's WebSocket path, its REST API, and the
 * simulator control API ({@code POST /_sim/fault/{kind}?param=value}, {@code GET /_sim/status}).
 */
public final class SimServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SimVenue venue;
  private final Server server;
  private final ServerConnector connector;

  /** @param port 0 picks a free port */
  public SimServer(SimVenue venue, String host, int port, long maxFrameBytes) {
    this.venue = venue;
    QueuedThreadPool pool = new QueuedThreadPool(64, 4);
    pool.setName("sim-" + venue.name());
    this.server = new Server(pool);
    this.connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    ContextHandler context = new ContextHandler("/");
    WebSocketUpgradeHandler ws =
        WebSocketUpgradeHandler.from(
            server,
            context,
            container -> {
              container.setMaxTextMessageSize(maxFrameBytes);
              container.setIdleTimeout(Duration.ofMinutes(10));
              container.addMapping(
                  venue.wsPath(),
                  (req, resp, cb) -> {
                    SimConnection c = venue.accept(req, resp, cb);
                    return c == null ? null : c.endpoint();
                  });
            });
    ws.setHandler(new HttpHandler());
    context.setHandler(ws);
    server.setHandler(context);
  }

  public SimServer start() throws Exception {
    server.start();
    venue.start();
    return this;
  }

  public SimVenue venue() {
    return venue;
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** {@code ws://host:port<wsPath>} */
  public URI wsUri() {
    return URI.create("ws://" + host() + ":" + port() + venue.wsPath());
  }

  /** {@code http://host:port} */
  public URI httpUri() {
    return URI.create("http://" + host() + ":" + port());
  }

  private String host() {
    String h = connector.getHost();
    return h == null || h.equals("0.0.0.0") ? "127.0.0.1" : h;
  }

  @Override
  public void close() throws Exception {
    venue.close();
    server.stop();
  }

  private final class HttpHandler extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String path = Request.getPathInContext(request);
      if (path.startsWith("/_sim/fault/") && HttpMethod.POST.is(request.getMethod())) {
        Fields query = Request.extractQueryParameters(request);
        Map<String, String> params = new HashMap<>();
        query.forEach(f -> params.put(f.getName(), f.getValue()));
        try {
          Fault fault = new Fault(Fault.Kind.parse(path.substring("/_sim/fault/".length())), params);
          venue.inject(fault);
          return reply(response, callback, 200, Map.of("injected", fault.kind().name().toLowerCase(), "venue", venue.name()));
        } catch (IllegalArgumentException e) {
          return reply(response, callback, 400, Map.of("error", e.getMessage()));
        }
      }
      if (path.equals("/_sim/status")) {
        return reply(response, callback, 200, venue.status());
      }
      if (venue.handleHttp(request, response, callback)) {
        return true;
      }
      return reply(response, callback, 404, Map.of("error", "not found: " + path));
    }
  }

  static boolean reply(Response response, Callback callback, int status, Object body) throws Exception {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, java.nio.ByteBuffer.wrap(JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }
}
