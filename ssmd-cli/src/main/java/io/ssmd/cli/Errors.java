package io.ssmd.cli;

import io.ssmd.config.ConfigException;
import io.ssmd.connector.AuthException;

/** Classifies and describes errors for the one-line stderr message and the exit code. */
final class Errors {
  private Errors() {}

  /** Configuration and usage problems exit with 2; everything else with 1. */
  static boolean isUsage(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConfigException || c instanceof UsageException) {
        return true;
      }
    }
    return false;
  }

  /** One line: the most specific message in the cause chain that says something. */
  static String describe(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConfigException || c instanceof UsageException || c instanceof AuthException) {
        return c.getMessage();
      }
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = t.getMessage();
    String rootMsg = root.getMessage();
    if (root != t && rootMsg != null && (msg == null || !msg.contains(rootMsg))) {
      return (msg == null ? t.getClass().getSimpleName() : msg) + ": " + rootMsg;
    }
    return msg == null ? t.getClass().getSimpleName() : msg;
  }
}
