package io.ssmd.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/base/exchanges holds copies of the production feed and environment files because
 * kustomize reads generator files only below the kustomization; they must equal exchanges/.
 */
class ExchangesCopyTest {
  @Test
  void deployCopiesEqualTheRepositorysFeedAndProductionEnvironmentFiles() throws Exception {
    Path src = Yaml.REPO.resolve("exchanges");
    Path copy = Yaml.DEPLOY.resolve("base/exchanges");
    int n = 0;
    try (Stream<Path> files = Stream.concat(Files.list(src.resolve("feeds")),
        Files.list(src.resolve("environments")).filter(f -> f.getFileName().toString().endsWith("-prod.yaml")))) {
      for (Path f : files.toList()) {
        Path c = copy.resolve(src.relativize(f));
        assertThat(c).as(c + " is missing: run deploy/sync-exchanges.sh").exists();
        assertThat(Files.readString(c)).as(c + " differs from " + f + ": run deploy/sync-exchanges.sh").isEqualTo(Files.readString(f));
        n++;
      }
    }
    try (Stream<Path> copies = Stream.concat(Files.list(copy.resolve("feeds")), Files.list(copy.resolve("environments")))) {
      assertThat(copies.count()).as("no stale copies in " + copy).isEqualTo(n);
    }
    assertThat(n).isGreaterThanOrEqualTo(6);
  }
}
