package io.ssmd.secmaster.polymarket;

import io.ssmd.secmaster.VenueHttp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class GammaTest {

  /** A Gamma market shaped like nautilus' gamma_market.json fixture (ids shortened). */
  private static final String MARKET = """
      {"id":"253591","question":"Will BTC be above $100k on Friday?","conditionId":"0xabc1",
       "slug":"btc-above-100k-friday","description":"Resolves Yes if ...","startDate":"2025-01-06T17:00:00.123Z",
       "endDate":"2025-01-10T17:00:00Z","endDateIso":"2025-01-10","createdAt":"2025-01-05 12:00:00+00",
       "outcomes":"[\\"Yes\\", \\"No\\"]","outcomePrices":"[\\"0.615\\", \\"0.385\\"]",
       "clobTokenIds":"[\\"71321045679252212594626385532706912750332728571942532289631379312455583992563\\", \\"52114319501245915516055106046884209969926127482827954674443846427813813222426\\"]",
       "active":true,"closed":false,"archived":false,"acceptingOrders":true,"enableOrderBook":true,
       "orderPriceMinTickSize":0.001,"orderMinSize":5,"negRisk":false,"volumeNum":120345.5,
       "events":[{"id":"16085","ticker":"btc-friday","slug":"btc-friday","title":"BTC on Friday"}]}
      """;

  private static JsonNode json(String s) throws Exception {
    return VenueHttp.JSON.readTree(s);
  }

  @Test
  void parsesTheStringEncodedArraysIntoTokensInOutcomeOrder() throws Exception {
    Gamma.MarketRow m = Gamma.market(json(MARKET), null);

    assertThat(m.conditionId()).isEqualTo("0xabc1");
    assertThat(m.eventId()).isEqualTo("16085");
    assertThat(m.tickSize()).isEqualByComparingTo("0.001");
    assertThat(m.tickSize().scale()).isEqualTo(3);
    assertThat(m.startDate()).isEqualTo(OffsetDateTime.parse("2025-01-06T17:00:00.123Z"));
    assertThat(m.tokens()).extracting(Gamma.TokenRow::outcome).containsExactly("Yes", "No");
    assertThat(m.tokens().get(0).tokenId()).hasSize(77).startsWith("7132");
    assertThat(m.tokens().get(1).outcomeIndex()).isEqualTo(1);
  }

  @Test
  void acceptsRealArraysAndStringFlagsButRejectsMismatchedOutcomes() throws Exception {
    JsonNode loose = json(MARKET.replace("\"outcomes\":\"[\\\"Yes\\\", \\\"No\\\"]\"", "\"outcomes\":[\"Yes\",\"No\"]")
        .replace("\"active\":true", "\"active\":\"true\""));
    assertThat(Gamma.market(loose, "e1").tokens()).hasSize(2);
    assertThat(Gamma.market(loose, "e1").eventId()).isEqualTo("e1");

    JsonNode three = json(MARKET.replace("[\\\"Yes\\\", \\\"No\\\"]", "[\\\"A\\\", \\\"B\\\", \\\"C\\\"]"));
    assertThatThrownBy(() -> Gamma.market(three, null)).hasMessage("outcomes has 3 entries but clobTokenIds has 2");
  }

  @Test
  void namesTheFieldOfAWrongTypeOrBadDate() throws Exception {
    assertThatThrownBy(() -> Gamma.market(json(MARKET.replace("\"orderPriceMinTickSize\":0.001", "\"orderPriceMinTickSize\":\"tiny\"")), null))
        .hasMessage("orderPriceMinTickSize must be a decimal, got \"tiny\"");
    assertThatThrownBy(() -> Gamma.market(json(MARKET.replace("2025-01-10T17:00:00Z", "next friday")), null))
        .hasMessage("endDate must be an ISO-8601 timestamp, got \"next friday\"");
    assertThatThrownBy(() -> Gamma.event(json("{\"title\":\"no id\"}"))).hasMessage("missing id");
    assertThatThrownBy(() -> Gamma.market(json("[1]"), null)).hasMessage("market is not a JSON object");
  }
}
