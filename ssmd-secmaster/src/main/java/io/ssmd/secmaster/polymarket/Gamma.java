package io.ssmd.secmaster.polymarket;

import io.ssmd.secmaster.VenueHttp;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Gamma REST records to table rows. Lenient where the venue is loose (numbers or strings for
 * decimals, the JSON-in-a-string fields also accepted as real arrays), strict where a wrong value
 * would corrupt the master (a missing condition id, outcome and token lists of different length,
 * an unparseable flag): such a record is rejected with a reason naming the field.
 */
final class Gamma {

  private Gamma() {}

  record EventRow(
      String eventId, String ticker, String slug, String title, String description, OffsetDateTime startDate,
      OffsetDateTime endDate, Boolean active, Boolean closed, Boolean archived, Boolean negRisk) {
    Object[] values() {
      return new Object[] {eventId, ticker, slug, title, description, startDate, endDate, active, closed, archived, negRisk};
    }
  }

  record MarketRow(
      String conditionId, String marketId, String eventId, String question, String slug, String description,
      OffsetDateTime startDate, OffsetDateTime endDate, Boolean active, Boolean closed, Boolean archived,
      Boolean acceptingOrders, Boolean enableOrderBook, BigDecimal tickSize, BigDecimal minOrderSize, Boolean negRisk,
      List<TokenRow> tokens) {
    Object[] values() {
      return new Object[] {conditionId, marketId, eventId, question, slug, description, startDate, endDate, active, closed,
          archived, acceptingOrders, enableOrderBook, tickSize, minOrderSize, negRisk};
    }
  }

  record TokenRow(String tokenId, String conditionId, String outcome, int outcomeIndex) {
    Object[] values() {
      return new Object[] {tokenId, conditionId, outcome, outcomeIndex};
    }
  }

  static EventRow event(JsonNode e) {
    requireObject(e, "event");
    String id = requiredText(e, "id");
    return new EventRow(id, text(e, "ticker"), text(e, "slug"), text(e, "title"), text(e, "description"),
        timestamp(e, "startDate"), timestamp(e, "endDate"), bool(e, "active"), bool(e, "closed"), bool(e, "archived"),
        bool(e, "negRisk"));
  }

  /** A market; {@code eventId} is the enclosing event's, or null to take the market's first {@code events[]}. */
  static MarketRow market(JsonNode m, String eventId) {
    requireObject(m, "market");
    String conditionId = requiredText(m, "conditionId");
    if (eventId == null && m.path("events").isArray() && !m.path("events").isEmpty()) {
      eventId = text(m.path("events").get(0), "id");
    }
    List<String> outcomes = stringList(m, "outcomes");
    List<String> tokenIds = stringList(m, "clobTokenIds");
    // outcomePrices is parsed only to validate it: prices belong to the market-data feed, not the master
    stringList(m, "outcomePrices");
    if (!tokenIds.isEmpty() && outcomes.size() != tokenIds.size()) {
      throw new IllegalArgumentException(
          "outcomes has " + outcomes.size() + " entries but clobTokenIds has " + tokenIds.size());
    }
    List<TokenRow> tokens = new ArrayList<>(tokenIds.size());
    for (int i = 0; i < tokenIds.size(); i++) {
      tokens.add(new TokenRow(tokenIds.get(i), conditionId, outcomes.get(i), i));
    }
    return new MarketRow(conditionId, text(m, "id"), eventId, text(m, "question"), text(m, "slug"),
        text(m, "description"), timestamp(m, "startDate"), timestamp(m, "endDate"), bool(m, "active"), bool(m, "closed"),
        bool(m, "archived"), bool(m, "acceptingOrders"), bool(m, "enableOrderBook"), decimal(m, "orderPriceMinTickSize"),
        decimal(m, "orderMinSize"), bool(m, "negRisk"), List.copyOf(tokens));
  }

  private static void requireObject(JsonNode n, String what) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException(what + " is not a JSON object");
    }
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isContainerNode()) {
      throw new IllegalArgumentException(field + " must be a string, got " + v.getNodeType());
    }
    return v.asText();
  }

  private static String requiredText(JsonNode n, String field) {
    String s = text(n, field);
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return s;
  }

  private static Boolean bool(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
      return Boolean.valueOf(v.asText());
    }
    throw new IllegalArgumentException(field + " must be a boolean, got " + v);
  }

  private static BigDecimal decimal(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
      return null;
    }
    try {
      if (v.isNumber()) {
        return v.decimalValue();
      }
      if (v.isTextual()) {
        return new BigDecimal(v.asText());
      }
    } catch (NumberFormatException e) {
      // reported below with the field name
    }
    throw new IllegalArgumentException(field + " must be a decimal, got " + v);
  }

  /** ISO-8601 instants as Gamma writes them; a bare date is midnight UTC. */
  private static OffsetDateTime timestamp(JsonNode n, String field) {
    String s = text(n, field);
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      if (s.length() == 10) {
        return LocalDate.parse(s).atStartOfDay().atOffset(ZoneOffset.UTC);
      }
      return OffsetDateTime.parse(s.replace(' ', 'T').replaceFirst("([+-]\\d\\d)$", "$1:00"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(field + " must be an ISO-8601 timestamp, got \"" + s + "\"");
    }
  }

  /**
   * Gamma encodes {@code outcomes}, {@code outcomePrices} and {@code clobTokenIds} as a JSON array
   * inside a string ({@code "[\"Yes\", \"No\"]"}): parse the string a second time.
   */
  private static List<String> stringList(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || (v.isTextual() && v.asText().isEmpty())) {
      return List.of();
    }
    JsonNode array = v;
    if (v.isTextual()) {
      try {
        array = VenueHttp.JSON.readTree(v.asText());
      } catch (IOException e) {
        throw new IllegalArgumentException(field + " must hold a JSON array in a string, got \"" + v.asText() + "\"");
      }
    }
    if (!array.isArray()) {
      throw new IllegalArgumentException(field + " must be a JSON array, got " + v);
    }
    List<String> out = new ArrayList<>(array.size());
    for (JsonNode item : array) {
      if (item.isContainerNode() || item.isNull()) {
        throw new IllegalArgumentException(field + " must hold strings, got " + item);
      }
      out.add(item.asText());
    }
    return out;
  }
}
