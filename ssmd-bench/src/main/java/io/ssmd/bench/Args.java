package io.ssmd.bench;

/** Value readers shared by the benchmark option parsers. */
final class Args {
  private Args() {}

  /** The value after an option, or an error naming the option. */
  static String arg(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[i];
  }

  /** A whole number after an option ({@code 100_000} and {@code 100,000} accepted). */
  static int intArg(String[] args, int i, String name) {
    String v = arg(args, i, name);
    try {
      return Integer.parseInt(v.replace("_", "").replace(",", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a whole number, got " + v, e);
    }
  }
}
