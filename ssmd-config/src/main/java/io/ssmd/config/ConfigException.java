package io.ssmd.config;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A configuration file is invalid, or a secret it references cannot be resolved. Carries every
 * problem found; each renders as one line {@code file:line:col: key.path: what is expected}.
 *
 * <p>The message never contains a secret value: problems are built from key paths, references and
 * the offending YAML text of non-secret keys only. There is no stack trace worth showing to an
 * operator, so the CLI prints {@link #getMessage()} and exits with code 2.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  /** One problem, no location (e.g. a secret that is not set). */
  public ConfigException(String message) {
    this(List.of(new Problem(null, 0, 0, "", message)));
  }

  /** All problems found at once; must not be empty. */
  public ConfigException(List<Problem> problems) {
    super(render(problems), null, false, false);
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** The problems, in file order where known. */
  public List<Problem> problems() {
    return problems;
  }

  private static String render(List<Problem> problems) {
    return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }

  /**
   * One problem. {@code keyPath} is the dotted path of the key it concerns ({@code
   * versions[0].endpoint}, {@code keys.kalshi.source}); {@code text} is the complete description
   * that follows the location, usually {@code keyPath: expected ...}.
   *
   * @param file the file as the caller named it, or null when not known
   * @param line 1-based line, 0 when not known
   * @param column 1-based column, 0 when not known
   * @param keyPath key path the problem is about ("" for the whole document)
   * @param text what is wrong and what is expected
   */
  public record Problem(String file, int line, int column, String keyPath, String text) {
    public Problem {
      Objects.requireNonNull(keyPath, "keyPath");
      Objects.requireNonNull(text, "text");
    }

    /** {@code keyPath: message}, located later by the loader. */
    public static Problem invalid(String keyPath, String message) {
      return new Problem(null, 0, 0, keyPath, keyPath.isEmpty() ? message : keyPath + ": " + message);
    }

    /** {@code missing required key 'a.b' (why)}; {@code why} may be null. */
    public static Problem missing(String keyPath, String why) {
      return new Problem(null, 0, 0, keyPath,
          "missing required key '" + keyPath + "'" + (why == null ? "" : " (" + why + ")"));
    }

    /** The same problem placed in a file. */
    public Problem at(String file, int line, int column) {
      return new Problem(file, line, column, keyPath, text);
    }

    @Override
    public String toString() {
      if (file == null) {
        return text;
      }
      return line > 0 ? file + ":" + line + ":" + column + ": " + text : file + ": " + text;
    }
  }
}
