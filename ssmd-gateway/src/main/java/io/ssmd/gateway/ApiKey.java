package io.ssmd.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One API key as stored in the keys file: never the key itself, only its salted SHA-256.
 *
 * @param name who or what the key is for (unique in a file)
 * @param hash hex SHA-256 of salt bytes followed by the key's UTF-8 bytes
 * @param salt hex, 16 random bytes per key
 * @param created when it was created
 * @param revoked when it was revoked, null while valid
 * @param feeds the feeds it may read; empty for every feed
 */
public record ApiKey(String name, String hash, String salt, Instant created, Instant revoked, List<String> feeds) {
  public ApiKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(salt, "salt");
    Objects.requireNonNull(created, "created");
    feeds = feeds == null ? List.of() : List.copyOf(feeds);
  }

  /** True when the key may read the feed. */
  public boolean allows(String feed) {
    return feeds.isEmpty() || feeds.contains(feed);
  }

  ApiKey revokedAt(Instant when) {
    return new ApiKey(name, hash, salt, created, when, feeds);
  }
}
