package io.ssmd.worker.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReconcilePlannerTest {
  private static ScheduleDefinition def(String id, String spec, String env, boolean paused) {
    ObjectNode input = Json.MAPPER.createObjectNode();
    input.put("env", env);
    return new ScheduleDefinition(id, "SecmasterSync", ScheduleSpec.parseEvery(spec), input, paused);
  }

  private static ExistingSchedule existing(ScheduleDefinition d) {
    return new ExistingSchedule(d.id(), d.workflow(), d.spec().encode(), d.inputJson(), d.paused(), true);
  }

  private static List<String> lines(SchedulePlan plan) {
    return plan.render().lines().toList();
  }

  @Test
  void aScheduleMissingOnTheServerIsCreated() {
    SchedulePlan plan = ReconcilePlanner.plan(List.of(def("a", "6h/15m", "kalshi-prod", false)), List.of(), false);
    assertThat(plan.actions()).singleElement().isInstanceOf(SchedulePlan.Create.class);
    assertThat(lines(plan)).containsExactly("CREATE    a  SecmasterSync every 6h/15m");
  }

  @Test
  void anEqualScheduleIsUnchanged() {
    ScheduleDefinition a = def("a", "6h/15m", "kalshi-prod", false);
    SchedulePlan plan = ReconcilePlanner.plan(List.of(a), List.of(existing(a)), true);
    assertThat(plan.actions()).singleElement().isInstanceOf(SchedulePlan.Unchanged.class);
    assertThat(plan.isNoop()).isTrue();
  }

  @Test
  void specDriftIsAnUpdateNamingTheSpec() {
    ScheduleDefinition a = def("a", "6h/15m", "kalshi-prod", false);
    SchedulePlan plan = ReconcilePlanner.plan(List.of(a), List.of(existing(def("a", "1h", "kalshi-prod", false))), false);
    assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(SchedulePlan.Update.class,
        u -> assertThat(u.fields()).containsExactly("spec"));
    assertThat(lines(plan)).containsExactly("UPDATE    a  spec: every 1h -> every 6h/15m");
  }

  @Test
  void inputDriftIsAnUpdateNamingTheInput() {
    ScheduleDefinition a = def("a", "6h/15m", "kalshi-prod", false);
    SchedulePlan plan = ReconcilePlanner.plan(List.of(a), List.of(existing(def("a", "6h/15m", "kalshi-sim", false))), false);
    assertThat(lines(plan)).containsExactly("UPDATE    a  input: {\"env\":\"kalshi-sim\"} -> {\"env\":\"kalshi-prod\"}");
  }

  @Test
  void pausedDriftIsAnUpdateNamingPaused() {
    ScheduleDefinition a = def("a", "6h/15m", "kalshi-prod", true);
    SchedulePlan plan = ReconcilePlanner.plan(List.of(a), List.of(existing(def("a", "6h/15m", "kalshi-prod", false))), false);
    assertThat(lines(plan)).containsExactly("UPDATE    a  paused: false -> true");
  }

  @Test
  void workflowDriftAndSeveralFieldsAreNamedTogether() {
    ScheduleDefinition a = def("a", "6h/15m", "kalshi-prod", true);
    ExistingSchedule e = new ExistingSchedule("a", "FeesSync", "every 1h", "{\"env\":\"kalshi-prod\"}", false, true);
    SchedulePlan plan = ReconcilePlanner.plan(List.of(a), List.of(e), false);
    assertThat(plan.actions()).singleElement().isInstanceOfSatisfying(SchedulePlan.Update.class,
        u -> assertThat(u.fields()).containsExactly("workflow", "spec", "paused"));
  }

  @Test
  void anUnmanagedScheduleWithAFileIdIsTakenOver() {
    ScheduleDefinition a = def("a", "6h/15m", "kalshi-prod", false);
    ExistingSchedule e = new ExistingSchedule("a", a.workflow(), a.spec().encode(), a.inputJson(), false, false);
    assertThat(lines(ReconcilePlanner.plan(List.of(a), List.of(e), false)))
        .containsExactly("UPDATE    a  managed-by: unmanaged -> ssmd");
  }

  @Test
  void aManagedScheduleNoLongerInTheFileIsKeptWithoutPruneAndDeletedWithIt() {
    ExistingSchedule old = existing(def("old", "1h", "kalshi-prod", false));
    SchedulePlan kept = ReconcilePlanner.plan(List.of(), List.of(old), false);
    assertThat(lines(kept)).containsExactly("KEPT      old  (not in the file, kept; --prune deletes it)");
    assertThat(kept.isNoop()).isTrue();
    SchedulePlan pruned = ReconcilePlanner.plan(List.of(), List.of(old), true);
    assertThat(pruned.actions()).singleElement().isInstanceOf(SchedulePlan.Delete.class);
    assertThat(lines(pruned)).containsExactly("DELETE    old  (not in the file; --prune)");
  }

  @Test
  void anUnmanagedScheduleIsNeverDeletedEvenWithPrune() {
    ExistingSchedule theirs = new ExistingSchedule("theirs", "Other", "(set outside ssmd)", "{}", false, false);
    assertThat(lines(ReconcilePlanner.plan(List.of(), List.of(theirs), true)))
        .containsExactly("KEPT      theirs  (unmanaged, kept: not created by ssmd schedule seed)");
  }

  @Test
  void aSecondRunAfterApplyingThePlanChangesNothing() {
    List<ScheduleDefinition> desired = List.of(def("a", "6h/15m", "kalshi-prod", false), def("b", "1h", "kraken-prod", true),
        def("c", "15m", "polymarket-prod", false));
    List<ExistingSchedule> server = new ArrayList<>(List.of(existing(def("b", "2h", "kraken-prod", false)),
        existing(def("gone", "1h", "x", false))));
    SchedulePlan first = ReconcilePlanner.plan(desired, server, true);
    assertThat(first.actions()).extracting(a -> a.getClass().getSimpleName() + " " + a.id())
        .containsExactly("Create a", "Update b", "Create c", "Delete gone");
    // apply it the way a store would
    for (SchedulePlan.Action a : first.actions()) {
      server.removeIf(e -> e.id().equals(a.id()));
      switch (a) {
        case SchedulePlan.Create c -> server.add(existing(c.desired()));
        case SchedulePlan.Update u -> server.add(existing(u.desired()));
        default -> { }
      }
    }
    SchedulePlan second = ReconcilePlanner.plan(desired, server, true);
    assertThat(second.isNoop()).isTrue();
    assertThat(second.actions()).allMatch(a -> a instanceof SchedulePlan.Unchanged);
  }
}
