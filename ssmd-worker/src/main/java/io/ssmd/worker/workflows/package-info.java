/**
 * The worker's workflow contract: one {@code @WorkflowInterface} per workflow type, their input
 * records (validated in the compact constructor, each message naming the field) and result
 * records, and {@link io.ssmd.worker.workflows.WorkflowCatalog} mapping type names to them. Schedules
 * and the {@code ssmd day} client depend on this package only; implementations live in
 * {@code io.ssmd.worker.internal}.
 */
package io.ssmd.worker.workflows;
