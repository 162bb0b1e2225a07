/**
 * ssmd gateway: authenticated WebSocket fan-out of the live stream with REST beside it.
 *
 * <p>Public: {@link io.ssmd.gateway.Gateway} (start, port, readiness, close), its {@link
 * io.ssmd.gateway.GatewayOptions}, {@link io.ssmd.gateway.FeedSource}, {@link
 * io.ssmd.gateway.ApiKeyStore} and {@link io.ssmd.gateway.MarketSource}; metric names in {@link
 * io.ssmd.gateway.GatewayMetrics}. Everything else (hub, client sessions, command protocol,
 * message shapes) is package-private.
 */
package io.ssmd.gateway;
