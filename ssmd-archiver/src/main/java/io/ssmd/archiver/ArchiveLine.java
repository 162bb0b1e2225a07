package io.ssmd.archiver;

/**
 * One archived message, decoded.
 *
 * @param file the archive file it was read from (name only, e.g. {@code 1415.jsonl.gz})
 * @param natsSeq stream sequence ({@code _nats_seq})
 * @param receivedAtMicros capture time, epoch microseconds ({@code _received_at})
 * @param frame the venue frame exactly as captured (the appended fields removed, a {@code _raw}
 *     wrapper undone)
 */
public record ArchiveLine(String file, long natsSeq, long receivedAtMicros, byte[] frame) {}
