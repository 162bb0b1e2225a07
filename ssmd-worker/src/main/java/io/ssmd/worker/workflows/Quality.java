package io.ssmd.worker.workflows;

/** Data-quality grade of a feed or a day; the worst feed grades the day. */
public enum Quality {
  GREEN,
  YELLOW,
  RED;

  /** The worse of two grades. */
  public Quality worst(Quality other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
