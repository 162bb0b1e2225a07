package io.ssmd.config;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A feed file, {@code exchanges/feeds/<feed>.yaml}: one venue, its API versions and connection
 * limits. Valid once constructed: the compact constructor checks every field and reports all
 * problems at once in a {@link ConfigException}.
 *
 * @param name feed name, {@code [a-z0-9-]+}
 * @param displayName human-readable name; defaults to {@code name}
 * @param feedType how the venue delivers data
 * @param versions API versions, at least one, unique by {@link FeedVersion#version()}
 * @param limits connection limits; defaults when absent
 */
public record FeedConfig(
    String name, String displayName, FeedType feedType, List<FeedVersion> versions, FeedLimits limits) {

  public FeedConfig {
    displayName = displayName != null ? displayName : name;
    versions = Checks.list(versions);
    limits = limits != null ? limits : FeedLimits.DEFAULTS;
    Problems p = new Problems();
    validate(p, name, feedType, versions, limits);
    p.throwIfAny();
  }

  /** The version named {@code version}. */
  public Optional<FeedVersion> version(String version) {
    return versions.stream().filter(v -> v.version().equals(version)).findFirst();
  }

  /**
   * The newest version: the latest {@code effective_from}; undated versions count as older than
   * dated ones, and among equals the one listed last wins.
   */
  public FeedVersion latestVersion() {
    FeedVersion best = null;
    for (FeedVersion v : versions) {
      if (best == null || best.effectiveFrom() == null
          || (v.effectiveFrom() != null && !v.effectiveFrom().isBefore(best.effectiveFrom()))) {
        best = v;
      }
    }
    return best;
  }

  /** The version names, in file order. */
  public List<String> versionNames() {
    return versions.stream().map(FeedVersion::version).toList();
  }

  private static void validate(Problems p, String name, FeedType feedType, List<FeedVersion> versions, FeedLimits limits) {
    if (p.require("name", name)) {
      Checks.name(p, "name", name);
    }
    p.require("feed_type", feedType);
    if (versions.isEmpty()) {
      p.missing("versions", "a feed needs at least one version");
    }
    Set<String> seen = new HashSet<>();
    Problems list = p.at("versions");
    for (int i = 0; i < versions.size(); i++) {
      FeedVersion v = versions.get(i);
      if (v == null) {
        list.index(i).invalid("", "expected a mapping with version and endpoint");
        continue;
      }
      v.validate(list.index(i));
      if (v.version() != null && !seen.add(v.version())) {
        list.index(i).invalid("version", "duplicate version \"" + v.version() + "\"");
      }
    }
    limits.validate(p.at("limits"));
  }
}
