package io.ssmd.gateway;

/**
 * A connected client as the gateway sees it ({@link Gateway#clients()}).
 *
 * @param id connection number
 * @param key the API key's name, null until authenticated
 * @param remote remote address
 * @param queued messages waiting to be written now
 * @param queueHighWater most messages ever waiting at once (never above {@code queueSize})
 * @param queueSize the bound
 * @param dropped messages dropped because the client was slow
 * @param sent market messages written (snapshots included)
 */
public record ClientStats(long id, String key, String remote, int queued, int queueHighWater, int queueSize, long dropped, long sent) {}
