package io.ssmd.archiver;

/**
 * A snapshot of an {@link Archiver}.
 *
 * @param state lifecycle state
 * @param consumerBound true while the pull subscription is bound and NATS is connected
 * @param lastWrittenSeq last stream sequence in the archive, -1 when none
 * @param messages messages written since start
 * @param duplicates redelivered messages skipped since start
 * @param gaps sequence gaps detected since start
 * @param lag stream last sequence minus {@code lastWrittenSeq} at the last poll
 * @param currentFile file being written ({@code feed/date/name}), or null
 * @param filesWritten files finished since start (including those completed by repair)
 * @param lastError the last write or consume error, or null once a later batch succeeded
 */
public record ArchiverStatus(
    State state,
    boolean consumerBound,
    long lastWrittenSeq,
    long messages,
    long duplicates,
    long gaps,
    long lag,
    String currentFile,
    long filesWritten,
    String lastError) {

  /** Lifecycle of an archiver. */
  public enum State {
    NEW,
    RUNNING,
    CLOSED
  }
}
