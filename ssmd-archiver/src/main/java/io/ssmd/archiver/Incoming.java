package io.ssmd.archiver;

/**
 * One message to archive.
 *
 * @param seq stream sequence
 * @param subject NATS subject, {@code {env}.{feed}.json.{type}.{ticker}}
 * @param payload the raw frame
 * @param receivedAtMicros capture time, epoch microseconds
 */
record Incoming(long seq, String subject, byte[] payload, long receivedAtMicros) {

  /** The message type: the fourth subject token, or {@code unknown} for another subject shape. */
  String type() {
    String[] t = subject.split("\\.", 6);
    return t.length == 5 && t[2].equals("json") ? t[3] : Manifest.UNKNOWN_TYPE;
  }

  /** The ticker: the fifth subject token, or null for another subject shape. */
  String ticker() {
    String[] t = subject.split("\\.", 6);
    return t.length == 5 && t[2].equals("json") ? t[4] : null;
  }
}
