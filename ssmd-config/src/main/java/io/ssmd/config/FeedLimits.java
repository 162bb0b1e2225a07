package io.ssmd.config;

import java.time.Duration;

/**
 * Per-venue connection limits ({@code limits} in a feed file). Every field is optional; absent
 * fields take the defaults declared in {@link ConfigKeys}.
 *
 * @param marketsPerConnection markets subscribed on one connection
 * @param clientPingInterval interval between client pings
 * @param pongTimeout close a connection without a pong for this long
 * @param noDataTimeout close a connection without data for this long
 * @param maxFrameBytes largest frame accepted
 * @param subscribeBatch markets per subscribe command
 * @param subscribePace pause between subscribe commands
 */
public record FeedLimits(
    Integer marketsPerConnection,
    Duration clientPingInterval,
    Duration pongTimeout,
    Duration noDataTimeout,
    Integer maxFrameBytes,
    Integer subscribeBatch,
    Duration subscribePace) {

  /** All defaults. */
  public static final FeedLimits DEFAULTS = new FeedLimits(null, null, null, null, null, null, null);

  public FeedLimits {
    marketsPerConnection = ConfigKeys.MARKETS_PER_CONNECTION.orDefault(marketsPerConnection);
    clientPingInterval = ConfigKeys.CLIENT_PING_INTERVAL.orDefault(clientPingInterval);
    pongTimeout = ConfigKeys.PONG_TIMEOUT.orDefault(pongTimeout);
    noDataTimeout = ConfigKeys.NO_DATA_TIMEOUT.orDefault(noDataTimeout);
    maxFrameBytes = ConfigKeys.MAX_FRAME_BYTES.orDefault(maxFrameBytes);
    subscribeBatch = ConfigKeys.SUBSCRIBE_BATCH.orDefault(subscribeBatch);
    subscribePace = ConfigKeys.SUBSCRIBE_PACE.orDefault(subscribePace);
  }

  void validate(Problems p) {
    Checks.positive(p, "markets_per_connection", marketsPerConnection);
    Checks.positive(p, "client_ping_interval", clientPingInterval);
    Checks.positive(p, "pong_timeout", pongTimeout);
    Checks.positive(p, "no_data_timeout", noDataTimeout);
    Checks.positive(p, "max_frame_bytes", maxFrameBytes);
    Checks.positive(p, "subscribe_batch", subscribeBatch);
  }
}
