package io.ssmd.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.connector.ChangeFollower.Action;
import io.ssmd.connector.ChangeFollower.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What each security-master change event asks of a following connector. */
class ChangeFollowerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A Kalshi event as ChangeOutbox publishes it. */
  private static JsonNode kalshi(String kind, String ticker, String state) throws Exception {
    return JSON.readTree("{\"feed\":\"kalshi\",\"entity\":\"market\",\"ticker\":\"" + ticker + "\",\"kind\":\"" + kind
        + "\",\"fields\":[],\"state\":" + (state == null ? "null" : "\"" + state + "\"")
        + ",\"event_ticker\":\"KXBTC-25NOV\",\"id\":7,\"at\":\"2026-11-22T00:00:00Z\"}");
  }

  private static Decision kalshiDecision(String kind, String state) throws Exception {
    return ChangeFollower.decide(kalshi(kind, "KXBTC-25NOV-T100", state), "kalshi", List.of());
  }

  @Test
  void marketThatOpensIsAdded() throws Exception {
    assertThat(kalshiDecision("activated", "open")).isEqualTo(new Decision(Action.ADD, "KXBTC-25NOV-T100", "add"));
    assertThat(kalshiDecision("added", "open").action()).isEqualTo(Action.ADD);
  }

  @Test
  void marketAddedBeforeItOpensWaitsForItsActivation() throws Exception {
    assertThat(kalshiDecision("added", "unopened")).isEqualTo(new Decision(Action.NONE, "KXBTC-25NOV-T100", "ignored"));
  }

  @Test
  void closedSettledAndRemovedMarketsAreDropped() throws Exception {
    assertThat(kalshiDecision("closed", "closed").action()).isEqualTo(Action.REMOVE);
    assertThat(kalshiDecision("closed", "settled").action()).isEqualTo(Action.REMOVE);
    assertThat(kalshiDecision("removed", null)).isEqualTo(new Decision(Action.REMOVE, "KXBTC-25NOV-T100", "remove"));
    assertThat(kalshiDecision("added", "settled").action()).isEqualTo(Action.REMOVE);
  }

  @Test
  void renameOrPauseChangesNothing() throws Exception {
    assertThat(kalshiDecision("changed", "open").action()).isEqualTo(Action.NONE);
    assertThat(kalshiDecision("changed", "paused").outcome()).isEqualTo(ConnectorMetrics.OUTCOME_IGNORED);
  }

  @Test
  void prefixesLimitTheScopeByTickerOrEventTicker() throws Exception {
    JsonNode event = kalshi("activated", "KXBTC-25NOV-T100", "open");
    assertThat(ChangeFollower.decide(event, "kalshi", List.of("KXETH")).outcome()).isEqualTo("out_of_scope");
    assertThat(ChangeFollower.decide(event, "kalshi", List.of("KXETH", "KXBTC")).action()).isEqualTo(Action.ADD);
    JsonNode byEvent = kalshi("activated", "OTHER-1", "open");
    assertThat(ChangeFollower.decide(byEvent, "kalshi", List.of("KXBTC-25NOV")).action()).isEqualTo(Action.ADD);
  }

  @Test
  void eventsOfAnotherFeedOrAnotherEntityAreOutOfScope() throws Exception {
    assertThat(ChangeFollower.decide(kalshi("activated", "X", "open"), "kraken", List.of()).outcome()).isEqualTo("out_of_scope");
    JsonNode polymarket = JSON.readTree("{\"feed\":\"polymarket\",\"entity\":\"market\",\"ticker\":\"0xabc\",\"kind\":\"closed\"}");
    assertThat(ChangeFollower.decide(polymarket, "polymarket", List.of()).outcome()).isEqualTo("out_of_scope");
    JsonNode krakenAsMarket = JSON.readTree("{\"feed\":\"kraken\",\"entity\":\"market\",\"ticker\":\"X\",\"kind\":\"removed\"}");
    assertThat(ChangeFollower.decide(krakenAsMarket, "kraken", List.of()).outcome()).isEqualTo("out_of_scope");
  }

  @Test
  void polymarketFollowsOutcomeTokensNotItsMarketsOrEvents() throws Exception {
    String asset = "71321045679252212594626385532706912750332728571942532289631379312455583992563";
    JsonNode added = JSON.readTree("{\"feed\":\"polymarket\",\"entity\":\"token\",\"ticker\":\"" + asset
        + "\",\"condition_id\":\"0xabc\",\"slug\":\"will-it-rain\",\"state\":\"open\",\"kind\":\"added\"}");
    assertThat(ChangeFollower.decide(added, "polymarket", List.of())).isEqualTo(new Decision(Action.ADD, asset, "add"));
    JsonNode addedClosed = JSON.readTree("{\"feed\":\"polymarket\",\"entity\":\"token\",\"ticker\":\"7\",\"state\":\"closed\",\"kind\":\"added\"}");
    assertThat(ChangeFollower.decide(addedClosed, "polymarket", List.of()).action()).isEqualTo(Action.REMOVE);
    for (String kind : List.of("closed", "removed")) {
      JsonNode gone = JSON.readTree("{\"feed\":\"polymarket\",\"entity\":\"token\",\"ticker\":\"7\",\"kind\":\"" + kind + "\"}");
      assertThat(ChangeFollower.decide(gone, "polymarket", List.of())).isEqualTo(new Decision(Action.REMOVE, "7", "remove"));
    }
    JsonNode activated = JSON.readTree("{\"feed\":\"polymarket\",\"entity\":\"token\",\"ticker\":\"7\",\"kind\":\"activated\"}");
    assertThat(ChangeFollower.decide(activated, "polymarket", List.of()).action()).isEqualTo(Action.ADD);
    // a follow prefix names the market (slug or condition id): asset ids are opaque numbers
    assertThat(ChangeFollower.decide(added, "polymarket", List.of("will-")).action()).isEqualTo(Action.ADD);
    assertThat(ChangeFollower.decide(added, "polymarket", List.of("0xab")).action()).isEqualTo(Action.ADD);
    assertThat(ChangeFollower.decide(added, "polymarket", List.of("other-")).outcome()).isEqualTo("out_of_scope");
  }

  @Test
  void krakenPairsFollowTheirStatus() throws Exception {
    JsonNode added = JSON.readTree("{\"symbol\":\"DOT/USD\",\"wsname\":\"DOT/USD\",\"status\":\"online\",\"kind\":\"added\",\"id\":3}");
    assertThat(ChangeFollower.decide(added, "kraken", List.of())).isEqualTo(new Decision(Action.ADD, "DOT/USD", "add"));
    JsonNode delisted = JSON.readTree("{\"feed\":\"kraken\",\"entity\":\"pair\",\"ticker\":\"DOT/USD\",\"status\":\"delisted\",\"kind\":\"changed\"}");
    assertThat(ChangeFollower.decide(delisted, "kraken", List.of()).action()).isEqualTo(Action.REMOVE);
    JsonNode addedDelisted = JSON.readTree("{\"ticker\":\"DOT/USD\",\"status\":\"delisted\",\"kind\":\"added\"}");
    assertThat(ChangeFollower.decide(addedDelisted, "kraken", List.of()).action()).isEqualTo(Action.REMOVE);
    JsonNode cancelOnly = JSON.readTree("{\"ticker\":\"DOT/USD\",\"status\":\"cancel_only\",\"kind\":\"changed\"}");
    assertThat(ChangeFollower.decide(cancelOnly, "kraken", List.of()).action()).isEqualTo(Action.NONE);
  }

  @Test
  void unreadableEventsAreMalformed() throws Exception {
    assertThat(ChangeFollower.decide(JSON.readTree("[1]"), "kalshi", List.of()).outcome()).isEqualTo("malformed");
    assertThat(ChangeFollower.decide(JSON.readTree("{\"kind\":\"added\"}"), "kalshi", List.of()).outcome()).isEqualTo("malformed");
    assertThat(ChangeFollower.decide(JSON.readTree("{\"ticker\":\"X\"}"), "kalshi", List.of()).outcome()).isEqualTo("malformed");
  }
}
