package io.ssmd.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;

/** Shared YAML mapper and repository paths for the deploy/ checks. */
final class Yaml {
  static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());
  /** The repository root (surefire runs in ssmd-deploy/). */
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  static final Path DEPLOY = REPO.resolve("deploy");

  private Yaml() {}
}
