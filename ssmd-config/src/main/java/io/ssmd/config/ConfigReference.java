package io.ssmd.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generates {@code docs/config.md} from {@link ConfigKeys}. A test fails when the checked-in file
 * differs; regenerate with {@code java -cp ... io.ssmd.config.ConfigReference docs/config.md}.
 */
public final class ConfigReference {
  private ConfigReference() {}

  /** Writes the reference to the file named by the single argument. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: ConfigReference <output file>");
    }
    Files.writeString(Path.of(args[0]), markdown(), StandardCharsets.UTF_8);
  }

  /** The reference document. */
  public static String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("# Configuration reference\n\n")
        .append("<!-- Generated from io.ssmd.config.ConfigKeys by io.ssmd.config.ConfigReference; do not edit. -->\n\n")
        .append("Feeds and environments are YAML files read strictly: an unknown key, a wrong type, a missing\n")
        .append("required key or an invalid value is an error naming the file, line, column and key path, e.g.\n")
        .append("`exchanges/environments/kalshi-prod.yaml:14:5: transport.jetstream.replicas: expected an integer, got \"three\"`.\n")
        .append("Value checks report every problem of a file at once. Quoted scalars keep their type: `\"3\"` is not an integer.\n\n")
        .append("Durations are a whole number and one unit: `500ms`, `10s`, `2m`, `72h`, `1d`.\n")
        .append("In key paths `[]` is an element of a list and `*` a name you choose.\n\n");
    section(sb, ConfigKey.Scope.FEED, "Feed file `exchanges/feeds/<feed>.yaml`",
        "One venue: its API versions and connection limits. The file name is the feed name.");
    section(sb, ConfigKey.Scope.ENVIRONMENT, "Environment file `exchanges/environments/<env>.yaml`",
        "One feed captured into one transport. The feed is read from `feeds/<feed>.yaml` beside the\n"
            + "`environments` directory.");
    sb.append("## Secrets\n\n")
        .append("Secrets are referenced, never written in YAML, and never appear in logs, errors or `ssmd env show`.\n")
        .append("With `fields: [api_key, private_key]` and `source`, field `f` is read from:\n\n")
        .append("| source | field `f` read from |\n|---|---|\n")
        .append("| `env:PREFIX` | environment variable `PREFIX_<F>` (upper case), e.g. `KALSHI_API_KEY` |\n")
        .append("| `file:<dir>` | file `<dir>/<f>` (relative to the working directory) |\n")
        .append("| `sealed-secret/<name>` | file `$SSMD_SECRETS_DIR/<name>/<f>`, default directory `/var/run/secrets/ssmd` |\n\n")
        .append("Alternatively map each field to its own reference:\n")
        .append("`fields: {api_key: env:KALSHI_API_KEY, private_key: file:/etc/ssmd/kalshi.pem}`\n")
        .append("(`sealed-secret/<name>/<entry>` names an entry; without it the entry is the field name).\n")
        .append("File contents are read with surrounding whitespace removed. A required key with an unavailable\n")
        .append("field fails start-up naming the key, the field and the reference; an optional key is skipped.\n");
    return sb.toString();
  }

  private static void section(StringBuilder sb, ConfigKey.Scope scope, String title, String intro) {
    sb.append("## ").append(title).append("\n\n").append(intro).append("\n\n")
        .append("| key | type | required | default | description |\n")
        .append("|---|---|---|---|---|\n");
    for (ConfigKey<?> k : ConfigKeys.of(scope)) {
      sb.append("| `").append(k.path()).append("` | ").append(cell(k.type())).append(" | ")
          .append(k.required() ? "yes" : "").append(" | ")
          .append(k.defaultText().isEmpty() ? "" : cell(k.defaultValue() != null ? "`" + k.defaultText() + "`" : k.defaultText()))
          .append(" | ").append(cell(k.doc())).append(" |\n");
    }
    sb.append('\n');
  }

  private static String cell(String text) {
    return text.replace("|", "\\|");
  }
}
