/**
 * Schedules as code. A schedule file ({@link io.ssmd.worker.schedule.ScheduleFile}) lists {@code
 * {id, workflow, every | cron | at, timezone, input, paused}}; inputs are bound to the workflow's
 * input record when the file is loaded. {@link io.ssmd.worker.schedule.ScheduleSpec} computes fire
 * times purely (DST rules in its Javadoc). {@link io.ssmd.worker.schedule.ReconcilePlanner} compares
 * the file with a server and {@link io.ssmd.worker.schedule.ScheduleSeeder} applies the plan to a
 * {@link io.ssmd.worker.schedule.ScheduleStore}: Temporal's Schedules API on a real cluster, or one
 * {@link io.ssmd.worker.schedule.ScheduleRunnerWorkflow} per schedule on the embedded test server,
 * which has no Schedules API. See {@code docs/schedules.md}.
 */
package io.ssmd.worker.schedule;
