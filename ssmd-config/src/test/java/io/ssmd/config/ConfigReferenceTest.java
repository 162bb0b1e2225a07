package io.ssmd.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Key declarations, records and {@code docs/config.md} stay in step. */
class ConfigReferenceTest {
  static final Path DOC = Path.of("..", "docs", "config.md");

  @Test
  void docsConfigMdIsGeneratedFromTheDeclarations() throws IOException {
    String expected = ConfigReference.markdown();
    if (Boolean.getBoolean("ssmd.regenerate-docs")) {
      Files.writeString(DOC, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
        .as("docs/config.md is stale; regenerate: mvn -pl ssmd-config test -Dtest=ConfigReferenceTest -Dssmd.regenerate-docs=true")
        .isEqualTo(expected);
  }

  @Test
  void everyRecordComponentIsDeclaredExactlyOnceInFileOrder() {
    assertThat(ConfigKeys.of(ConfigKey.Scope.FEED).stream().map(ConfigKey::path).toList())
        .containsExactlyElementsOf(paths(FeedConfig.class, ""));
    assertThat(ConfigKeys.of(ConfigKey.Scope.ENVIRONMENT).stream().map(ConfigKey::path).toList())
        .containsExactlyElementsOf(paths(EnvironmentConfig.class, ""));
  }

  @Test
  void recordsApplyTheDeclaredDefaults() {
    assertThat(FeedLimits.DEFAULTS.marketsPerConnection()).isEqualTo(ConfigKeys.MARKETS_PER_CONNECTION.defaultValue());
    assertThat(FeedLimits.DEFAULTS.noDataTimeout()).isEqualTo(java.time.Duration.ofSeconds(120));
    assertThat(JetStreamConfig.DEFAULTS.maxAge()).isEqualTo(java.time.Duration.ofHours(72));
    assertThat(PublishConfig.DEFAULTS.bufferMessages()).isEqualTo(200_000);
    assertThat(StorageConfig.DEFAULTS.path()).isEqualTo(Path.of("./data"));
    assertThat(ScheduleConfig.DEFAULTS.dayStart()).hasToString("00:10");
  }

  /** Key paths the records accept, depth first in component order, as ConfigKeys writes them. */
  private static List<String> paths(Class<?> record, String prefix) {
    List<String> out = new ArrayList<>();
    for (RecordComponent rc : record.getRecordComponents()) {
      String path = prefix + Yaml.NAMING.translate(rc.getName());
      out.add(path);
      Type t = rc.getGenericType();
      if (t instanceof Class<?> c && c.isRecord()) {
        out.addAll(paths(c, path + "."));
      } else if (t instanceof ParameterizedType pt && pt.getRawType() == List.class
          && pt.getActualTypeArguments()[0] instanceof Class<?> e && e.isRecord()) {
        out.set(out.size() - 1, path);
        out.addAll(paths(e, path + "[]."));
      } else if (t instanceof ParameterizedType pt && pt.getRawType() == Map.class
          && pt.getActualTypeArguments()[1] instanceof Class<?> v && v.isRecord()) {
        out.add(path + ".*");
        out.addAll(paths(v, path + ".*."));
      }
    }
    return out;
  }
}
