package io.ssmd.worker.workflows;

/**
 * One step of a day workflow.
 *
 * @param name e.g. {@code streams}, {@code schema}, {@code secmaster}, {@code ready}, {@code upload}
 * @param status outcome
 * @param detail one line: what was done, or what went wrong
 */
public record DayStep(String name, StepStatus status, String detail) {}
