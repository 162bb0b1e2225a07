package io.ssmd.worker.schedule;

/**
 * A schedule as the server holds it, in the terms the planner compares.
 *
 * @param id schedule id
 * @param workflow workflow type its action starts
 * @param spec {@link ScheduleSpec#encode()} text of when it fires
 * @param inputJson the action's input as canonical JSON ({@link ScheduleDefinition#inputJson()})
 * @param paused whether it is paused
 * @param managed whether the seeder created it (its managed-by memo is {@link ScheduleStore#MANAGED_BY})
 */
public record ExistingSchedule(String id, String workflow, String spec, String inputJson, boolean paused, boolean managed) {}
