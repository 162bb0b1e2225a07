package io.ssmd.worker.workflows;

/** Outcome of one step of a day workflow. */
public enum StepStatus {
  OK,
  /** Not applicable to this environment (e.g. no streams on the memory transport). */
  SKIPPED,
  FAILED
}
