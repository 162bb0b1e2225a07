package io.ssmd.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link Gateway}.
 *
 * @param host interface to bind ({@code 0.0.0.0} for all, {@code 127.0.0.1} for loopback only)
 * @param port WebSocket and REST port; 0 picks a free one ({@link Gateway#port()})
 * @param queueSize per-client queue of messages waiting to be written; memory per client is bounded by it
 * @param slowClient what happens when a client's queue is full
 * @param authTimeout how long a connection without a key in its upgrade headers may take to send {@code {"op":"auth"}}
 * @param pingInterval server WebSocket pings to every client (keeps NATs and proxies open, detects dead peers)
 * @param idleTimeout a connection with no traffic either way for this long is closed
 * @param maxCommandBytes largest client text frame accepted; a larger one closes the connection (1009)
 * @param maxSubscriptionsPerClient patterns one client may hold
 * @param maxSymbols instruments whose latest ticker and book are kept (memory bound of the snapshot state)
 */
public record GatewayOptions(String host, int port, int queueSize, SlowClientPolicy slowClient, Duration authTimeout,
    Duration pingInterval, Duration idleTimeout, int maxCommandBytes, int maxSubscriptionsPerClient, int maxSymbols) {

  public static final int DEFAULT_PORT = 9000;
  public static final int DEFAULT_QUEUE_SIZE = 10_000;

  public GatewayOptions {
    List<String> problems = new ArrayList<>();
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      problems.add("port must be 0..65535, got " + port);
    }
    if (queueSize < 1 || queueSize > 10_000_000) {
      problems.add("queue size must be 1..10000000, got " + queueSize);
    }
    if (slowClient == null) {
      problems.add("slow-client policy is required (drop_oldest or disconnect)");
    }
    if (authTimeout == null || authTimeout.isNegative() || authTimeout.isZero()) {
      problems.add("auth timeout must be positive, got " + authTimeout);
    }
    if (pingInterval == null || pingInterval.isNegative() || pingInterval.isZero()) {
      problems.add("ping interval must be positive, got " + pingInterval);
    }
    if (idleTimeout == null || idleTimeout.compareTo(pingInterval == null ? Duration.ZERO : pingInterval) <= 0) {
      problems.add("idle timeout must be longer than the ping interval, got " + idleTimeout);
    }
    if (maxCommandBytes < 256) {
      problems.add("max command bytes must be >= 256, got " + maxCommandBytes);
    }
    if (maxSubscriptionsPerClient < 1) {
      problems.add("max subscriptions per client must be >= 1, got " + maxSubscriptionsPerClient);
    }
    if (maxSymbols < 1) {
      problems.add("max symbols must be >= 1, got " + maxSymbols);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid gateway options: " + String.join("; ", problems));
    }
  }

  /** Port 9000 on all interfaces, queue 10000 drop_oldest, auth within 10 s, pings every 20 s, idle 2 min, 64 KiB commands. */
  public static GatewayOptions defaults() {
    return new GatewayOptions("0.0.0.0", DEFAULT_PORT, DEFAULT_QUEUE_SIZE, SlowClientPolicy.DROP_OLDEST, Duration.ofSeconds(10),
        Duration.ofSeconds(20), Duration.ofMinutes(2), 65_536, 1_000, 200_000);
  }

  public GatewayOptions withHost(String h) {
    return new GatewayOptions(h, port, queueSize, slowClient, authTimeout, pingInterval, idleTimeout, maxCommandBytes,
        maxSubscriptionsPerClient, maxSymbols);
  }

  public GatewayOptions withPort(int p) {
    return new GatewayOptions(host, p, queueSize, slowClient, authTimeout, pingInterval, idleTimeout, maxCommandBytes,
        maxSubscriptionsPerClient, maxSymbols);
  }

  public GatewayOptions withQueue(int size, SlowClientPolicy policy) {
    return new GatewayOptions(host, port, size, policy, authTimeout, pingInterval, idleTimeout, maxCommandBytes,
        maxSubscriptionsPerClient, maxSymbols);
  }

  public GatewayOptions withAuthTimeout(Duration d) {
    return new GatewayOptions(host, port, queueSize, slowClient, d, pingInterval, idleTimeout, maxCommandBytes,
        maxSubscriptionsPerClient, maxSymbols);
  }

  public GatewayOptions withPingInterval(Duration d) {
    return new GatewayOptions(host, port, queueSize, slowClient, authTimeout, d, idleTimeout, maxCommandBytes,
        maxSubscriptionsPerClient, maxSymbols);
  }
}
