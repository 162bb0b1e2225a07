package io.ssmd.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where one secret field is read from. Only the reference is ever configured, logged or shown;
 * the value is read by {@link SecretResolver}.
 */
public sealed interface SecretRef permits SecretRef.EnvVar, SecretRef.FileRef, SecretRef.SealedSecret {

  /** The forms a per-field reference may take, for error messages. */
  String EXPECTED_REFERENCE = "env:VAR, file:/path or sealed-secret/<name>[/<entry>]";
  /** The forms a {@code source} may take, for error messages. */
  String EXPECTED_SOURCE = "env:PREFIX, file:/dir or sealed-secret/<name>";

  /** The reference as written in configuration, e.g. {@code env:KALSHI_API_KEY}. */
  String reference();

  /** An environment variable. */
  record EnvVar(String variable) implements SecretRef {
    private static final Pattern VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public EnvVar {
      if (variable == null || !VAR.matcher(variable).matches()) {
        throw new IllegalArgumentException("expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got \"" + variable + "\"");
      }
    }

    @Override
    public String reference() {
      return "env:" + variable;
    }
  }

  /** A file holding exactly the secret (trailing whitespace ignored); relative paths resolve against the working directory. */
  record FileRef(Path path) implements SecretRef {
    public FileRef {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String reference() {
      return "file:" + path;
    }
  }

  /** Entry {@code entry} of a mounted Kubernetes secret {@code secret} ({@code $SSMD_SECRETS_DIR/<secret>/<entry>}). */
  record SealedSecret(String secret, String entry) implements SecretRef {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    public SealedSecret {
      if (secret == null || !NAME.matcher(secret).matches() || secret.startsWith(".")) {
        throw new IllegalArgumentException("expected a secret name of [A-Za-z0-9._-], got \"" + secret + "\"");
      }
      if (entry == null || !NAME.matcher(entry).matches() || entry.startsWith(".")) {
        throw new IllegalArgumentException("expected a secret entry of [A-Za-z0-9._-], got \"" + entry + "\"");
      }
    }

    @Override
    public String reference() {
      return "sealed-secret/" + secret + "/" + entry;
    }
  }

  /**
   * A reference given for one field ({@code fields: {api_key: env:KALSHI_API_KEY}}): the variable
   * or file named exactly; {@code sealed-secret/<name>} reads entry {@code field}.
   *
   * @throws IllegalArgumentException saying which forms are accepted
   */
  static SecretRef forField(String reference, String field) {
    if (reference != null && reference.startsWith("env:")) {
      return new EnvVar(reference.substring(4));
    }
    if (reference != null && reference.startsWith("file:") && reference.length() > 5) {
      return new FileRef(Path.of(reference.substring(5)));
    }
    if (reference != null && reference.startsWith("sealed-secret/")) {
      String rest = reference.substring("sealed-secret/".length());
      int slash = rest.indexOf('/');
      return slash < 0 ? new SealedSecret(rest, field) : new SealedSecret(rest.substring(0, slash), rest.substring(slash + 1));
    }
    throw new IllegalArgumentException("expected " + EXPECTED_REFERENCE + ", got \"" + reference + "\"");
  }

  /**
   * The reference of {@code field} read through a key's {@code source}: {@code env:PREFIX} gives
   * variable {@code PREFIX_<FIELD>}, {@code file:/dir} file {@code /dir/<field>}, {@code
   * sealed-secret/<name>} entry {@code <field>} of that secret.
   *
   * @throws IllegalArgumentException saying which forms are accepted
   */
  static SecretRef fromSource(String source, String field) {
    if (source != null && source.startsWith("env:")) {
      return new EnvVar(source.substring(4) + "_" + field.toUpperCase(Locale.ROOT));
    }
    if (source != null && source.startsWith("file:") && source.length() > 5) {
      return new FileRef(Path.of(source.substring(5)).resolve(field));
    }
    if (source != null && source.startsWith("sealed-secret/") && source.indexOf('/', "sealed-secret/".length()) < 0) {
      return new SealedSecret(source.substring("sealed-secret/".length()), field);
    }
    throw new IllegalArgumentException("expected " + EXPECTED_SOURCE + ", got \"" + source + "\"");
  }
}
