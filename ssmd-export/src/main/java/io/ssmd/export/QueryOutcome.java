package io.ssmd.export;

import java.util.List;

/** What {@link ArchiveQuery#run} made of one SQL text. */
public sealed interface QueryOutcome permits QueryOutcome.Ok, QueryOutcome.Failed {

  /**
   * The statement ran; its result (if any) was written.
   *
   * @param rows rows written (0 for a statement without a result)
   * @param notes where the data came from and what could not be read, one line each, for stderr
   */
  record Ok(long rows, List<String> notes) implements QueryOutcome {
    public Ok {
      notes = List.copyOf(notes);
    }
  }

  /** The SQL failed; {@code message} is one line (DuckDB's error without its source excerpt). */
  record Failed(String message) implements QueryOutcome {}
}
