package io.ssmd.connector;

import io.ssmd.transport.Subjects;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of one {@link Connector}. Validated on construction: every problem is collected and
 * reported at once, each naming the field and what is expected. Start from {@link #builder}.
 *
 * @param env environment, the first subject token ({@code prod}); must already be a valid token
 * @param endpoint venue WebSocket URI ({@code ws://} or {@code wss://}); overridable to point at {@code ssmd sim}
 * @param maxMarketsPerConnection markets per connection; {@code 0} uses the venue's limit
 * @param clientPingInterval how often to ping; {@code null} uses the venue's {@link KeepAlive#interval()}
 * @param pongTimeout a ping unanswered for this long (or a ping send blocked this long) means the socket is dead
 * @param noDataTimeout a connection with subscribed markets and no published frame for this long is reconnected
 * @param backoffMin first reconnect delay (jittered, doubled per consecutive failure)
 * @param backoffMax cap of the reconnect delay; reconnecting never gives up
 * @param backoffResetAfter a connection that stayed up this long resets the backoff
 * @param authBackoff delay after the venue rejected the credentials (HTTP 401/403, {@link AuthException})
 * @param maxFrameBytes a text message larger than this is discarded and counted as {@code oversize}
 * @param subscribeBatch markets per subscribe call
 * @param subscribePace pause between two subscribe calls on one connection (venue rate limits)
 * @param connectTimeout WebSocket connect and upgrade timeout
 * @param closeTimeout how long {@link Connector#close()} waits for close handshakes and the transport flush
 * @param podShardIndex this pod's index among {@code podShardCount} pods
 * @param podShardCount pods sharing the market list; a pod takes markets whose stable hash modulo count is its index
 * @param connectionIdPrefix first part of connection ids ({@code <prefix>-<pod>-<shard>-<epochMillis>}); {@code null} uses the feed name
 */
public record ConnectorOptions(
    String env,
    URI endpoint,
    int maxMarketsPerConnection,
    Duration clientPingInterval,
    Duration pongTimeout,
    Duration noDataTimeout,
    Duration backoffMin,
    Duration backoffMax,
    Duration backoffResetAfter,
    Duration authBackoff,
    int maxFrameBytes,
    int subscribeBatch,
    Duration subscribePace,
    Duration connectTimeout,
    Duration closeTimeout,
    int podShardIndex,
    int podShardCount,
    String connectionIdPrefix) {

  public static final Duration DEFAULT_PONG_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_NO_DATA_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_BACKOFF_MIN = Duration.ofSeconds(1);
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(60);
  public static final Duration DEFAULT_BACKOFF_RESET_AFTER = Duration.ofSeconds(60);
  public static final Duration DEFAULT_AUTH_BACKOFF = Duration.ofSeconds(60);
  /** Large enough for full order-book snapshots of the venues; a larger message is a venue or routing bug. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
  public static final int DEFAULT_SUBSCRIBE_BATCH = 100;
  public static final Duration DEFAULT_SUBSCRIBE_PACE = Duration.ofMillis(250);
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  public ConnectorOptions {
    List<String> problems = new ArrayList<>();
    if (env == null || env.isBlank()) {
      problems.add("env: required, e.g. 'prod'");
    } else if (!Subjects.sanitize(env).equals(env)) {
      problems.add("env: '" + env + "' is not a valid subject token; use only letters, digits, '_' and '-'");
    }
    if (endpoint == null) {
      problems.add("endpoint: required, a ws:// or wss:// URI");
    } else if (!"ws".equalsIgnoreCase(endpoint.getScheme()) && !"wss".equalsIgnoreCase(endpoint.getScheme())) {
      problems.add("endpoint: '" + endpoint + "' must use the ws:// or wss:// scheme");
    }
    if (maxMarketsPerConnection < 0) {
      problems.add("maxMarketsPerConnection: must be >= 0 (0 uses the venue's limit), got " + maxMarketsPerConnection);
    }
    if (clientPingInterval != null) {
      positive(problems, "clientPingInterval", clientPingInterval);
    }
    positive(problems, "pongTimeout", pongTimeout);
    positive(problems, "noDataTimeout", noDataTimeout);
    positive(problems, "backoffMin", backoffMin);
    positive(problems, "backoffMax", backoffMax);
    if (backoffMin != null && backoffMax != null && backoffMax.compareTo(backoffMin) < 0) {
      problems.add("backoffMax: must be >= backoffMin (" + backoffMin + "), got " + backoffMax);
    }
    positive(problems, "backoffResetAfter", backoffResetAfter);
    positive(problems, "authBackoff", authBackoff);
    if (maxFrameBytes < 1) {
      problems.add("maxFrameBytes: must be >= 1, got " + maxFrameBytes);
    }
    if (subscribeBatch < 1) {
      problems.add("subscribeBatch: must be >= 1, got " + subscribeBatch);
    }
    if (subscribePace == null || subscribePace.isNegative()) {
      problems.add("subscribePace: required and must not be negative (0 = no pause), got " + subscribePace);
    }
    positive(problems, "connectTimeout", connectTimeout);
    positive(problems, "closeTimeout", closeTimeout);
    if (podShardCount < 1) {
      problems.add("podShardCount: must be >= 1, got " + podShardCount);
    } else if (podShardIndex < 0 || podShardIndex >= podShardCount) {
      problems.add("podShardIndex: must be between 0 and podShardCount - 1 (" + (podShardCount - 1) + "), got " + podShardIndex);
    }
    if (connectionIdPrefix != null && !Subjects.sanitize(connectionIdPrefix).equals(connectionIdPrefix)) {
      problems.add("connectionIdPrefix: '" + connectionIdPrefix + "' may contain only letters, digits, '_' and '-'");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid connector options: " + String.join("; ", problems));
    }
  }

  private static void positive(List<String> problems, String field, Duration value) {
    if (value == null) {
      problems.add(field + ": required, a positive duration");
    } else if (value.isNegative() || value.isZero()) {
      problems.add(field + ": must be a positive duration, got " + value);
    }
  }

  /** Defaults for everything but the environment and the endpoint. */
  public static Builder builder(String env, URI endpoint) {
    return new Builder(env, endpoint);
  }

  /** True when this pod takes {@code market}: {@code stableHash(market) mod podShardCount == podShardIndex}. */
  public boolean ownsMarket(String market) {
    return podShardCount == 1 || Math.floorMod(stableHash(market), podShardCount) == podShardIndex;
  }

  /**
   * FNV-1a over the UTF-8 bytes: identical on every JVM and release, so all pods agree on the split
   * without coordination (String.hashCode is stable too, but this one is documented for other tools).
   */
  public static int stableHash(String market) {
    int hash = 0x811c9dc5;
    for (byte b : market.getBytes(StandardCharsets.UTF_8)) {
      hash ^= (b & 0xff);
      hash *= 0x01000193;
    }
    return hash;
  }

  /** Fluent construction of {@link ConnectorOptions}; {@link #build()} validates. */
  public static final class Builder {
    private final String env;
    private final URI endpoint;
    private int maxMarketsPerConnection;
    private Duration clientPingInterval;
    private Duration pongTimeout = DEFAULT_PONG_TIMEOUT;
    private Duration noDataTimeout = DEFAULT_NO_DATA_TIMEOUT;
    private Duration backoffMin = DEFAULT_BACKOFF_MIN;
    private Duration backoffMax = DEFAULT_BACKOFF_MAX;
    private Duration backoffResetAfter = DEFAULT_BACKOFF_RESET_AFTER;
    private Duration authBackoff = DEFAULT_AUTH_BACKOFF;
    private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
    private int subscribeBatch = DEFAULT_SUBSCRIBE_BATCH;
    private Duration subscribePace = DEFAULT_SUBSCRIBE_PACE;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private int podShardIndex;
    private int podShardCount = 1;
    private String connectionIdPrefix;

    private Builder(String env, URI endpoint) {
      this.env = env;
      this.endpoint = endpoint;
    }

    public Builder maxMarketsPerConnection(int value) {
      this.maxMarketsPerConnection = value;
      return this;
    }

    public Builder clientPingInterval(Duration value) {
      this.clientPingInterval = value;
      return this;
    }

    public Builder pongTimeout(Duration value) {
      this.pongTimeout = value;
      return this;
    }

    public Builder noDataTimeout(Duration value) {
      this.noDataTimeout = value;
      return this;
    }

    public Builder backoff(Duration min, Duration max) {
      this.backoffMin = min;
      this.backoffMax = max;
      return this;
    }

    public Builder backoffResetAfter(Duration value) {
      this.backoffResetAfter = value;
      return this;
    }

    public Builder authBackoff(Duration value) {
      this.authBackoff = value;
      return this;
    }

    public Builder maxFrameBytes(int value) {
      this.maxFrameBytes = value;
      return this;
    }

    public Builder subscribe(int batch, Duration pace) {
      this.subscribeBatch = batch;
      this.subscribePace = pace;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = value;
      return this;
    }

    public Builder closeTimeout(Duration value) {
      this.closeTimeout = value;
      return this;
    }

    public Builder podShard(int index, int count) {
      this.podShardIndex = index;
      this.podShardCount = count;
      return this;
    }

    public Builder connectionIdPrefix(String value) {
      this.connectionIdPrefix = value;
      return this;
    }

    public ConnectorOptions build() {
      return new ConnectorOptions(
          env, endpoint, maxMarketsPerConnection, clientPingInterval, pongTimeout, noDataTimeout,
          backoffMin, backoffMax, backoffResetAfter, authBackoff, maxFrameBytes, subscribeBatch,
          subscribePace, connectTimeout, closeTimeout, podShardIndex, podShardCount, connectionIdPrefix);
    }
  }
}
