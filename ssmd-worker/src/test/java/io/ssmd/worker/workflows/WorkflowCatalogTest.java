package io.ssmd.worker.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.workflow.WorkflowMethod;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowCatalogTest {

  @Test
  void everyEntryNamesItsWorkflowMethodType() throws Exception {
    assertThat(WorkflowCatalog.all()).extracting(WorkflowCatalog.Entry::type)
        .containsExactly("SecmasterSync", "ExchangeSync", "FeesSync", "DayStart", "DayEnd", "DataQuality", "Notify");
    for (WorkflowCatalog.Entry e : WorkflowCatalog.all()) {
      var m = e.workflowInterface().getMethod("run", e.inputType());
      assertThat(m.getAnnotation(WorkflowMethod.class).name()).isEqualTo(e.type());
      assertThat(m.getReturnType()).isEqualTo(e.resultType());
    }
  }

  @Test
  void parsesSecmasterInputWithEveryField() {
    Record r = WorkflowCatalog.parseInput("SecmasterSync",
        "{\"env\":\"kalshi-prod\",\"mode\":\"series\",\"series\":[\"KXBTC\"],\"category\":\"Crypto\",\"tags\":[\"btc\"],"
            + "\"minVolume\":10.5,\"minCloseDaysAgo\":7,\"incremental\":true}");
    assertThat(r).isEqualTo(new SecmasterSyncInput("kalshi-prod", "series", List.of("KXBTC"), "Crypto", List.of("btc"),
        new BigDecimal("10.5"), 7, true));
  }

  @Test
  void unknownFieldIsAnErrorNamingTheField() {
    assertThatThrownBy(() -> WorkflowCatalog.parseInput("SecmasterSync", "{\"env\":\"k\",\"minCloseDays\":3}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown field 'minCloseDays'")
        .hasMessageContaining("minCloseDaysAgo");
  }

  @Test
  void invalidValueIsAnErrorNamingTheField() {
    assertThatThrownBy(() -> WorkflowCatalog.parseInput("SecmasterSync", "{\"env\":\"k\",\"minCloseDaysAgo\":-1}"))
        .hasMessageContaining("SecmasterSyncInput.minCloseDaysAgo must be >= 0");
    assertThatThrownBy(() -> WorkflowCatalog.parseInput("DayStart", "{\"env\":\"k\",\"date\":\"22/11/2026\"}"))
        .hasMessageContaining("DayInput.date must be a date YYYY-MM-DD");
    assertThatThrownBy(() -> WorkflowCatalog.parseInput("DayEnd", "{}"))
        .hasMessageContaining("DayInput.env is required");
    assertThatThrownBy(() -> WorkflowCatalog.parseInput("SecmasterSync", "{\"env\":\"k\",\"minCloseDaysAgo\":\"soon\"}"))
        .hasMessageContaining("'minCloseDaysAgo' has the wrong type");
    assertThatThrownBy(() -> WorkflowCatalog.parseInput("Notify", "{\"severity\":\"panic\",\"title\":\"x\"}"))
        .hasMessageContaining("NotifyInput.severity must be one of");
  }

  @Test
  void unknownWorkflowListsTheKnownOnes() {
    assertThatThrownBy(() -> WorkflowCatalog.require("SecMasterSync"))
        .hasMessageContaining("unknown workflow 'SecMasterSync'")
        .hasMessageContaining("SecmasterSync, ExchangeSync");
  }

  @Test
  void defaultsAreFilledIn() {
    SecmasterSyncInput in = (SecmasterSyncInput) WorkflowCatalog.parseInput("SecmasterSync", "{\"env\":\"k\"}");
    assertThat(in.mode()).isEqualTo("full");
    assertThat(in.incremental()).isFalse();
    assertThat(in.series()).isEmpty();
    assertThat(((DayInput) WorkflowCatalog.parseInput("DayStart", "{\"env\":\"k\"}")).date()).isNull();
  }
}
