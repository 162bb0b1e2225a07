package io.ssmd.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Environment files for CLI tests: {@code <dir>/environments/<name>.yaml} beside a copy of the shipped feed. */
final class TestEnvironments {
  private TestEnvironments() {}

  /**
   * A Kraken environment with the given {@code transport:} block body (indented two spaces), its
   * archive under {@code <dir>/data}; returns the file.
   */
  static Path kraken(Path dir, String name, String transportBlock) throws IOException {
    Files.createDirectories(dir.resolve("feeds"));
    Files.createDirectories(dir.resolve("environments"));
    Files.copy(Path.of("..", "exchanges", "feeds", "kraken.yaml"), dir.resolve("feeds").resolve("kraken.yaml"),
        StandardCopyOption.REPLACE_EXISTING);
    Path f = dir.resolve("environments").resolve(name + ".yaml");
    Files.writeString(f, "name: " + name + "\nfeed: kraken\nschema: v2\nendpoint: ws://127.0.0.1:9/v2\n"
        + "schedule: {timezone: UTC, day_start: \"00:10\", day_end: \"23:55\", auto_roll: true}\n"
        + "transport:\n" + transportBlock + "storage: {type: local, path: " + dir.resolve("data") + "}\ncache: {type: none}\n");
    return f;
  }
}
