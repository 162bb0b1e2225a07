package io.ssmd.venue.polymarket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ssmd.connector.Routed;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolymarketSessionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String YES = "48250162745331190247658103365716290317346882947121065831903852210497719433001";
  static final String NO = "48250162745331190247658103365716290317346882947121065831903852210497719433002";
  static final String MARKET = "0x7c1f3a9e5b2d4c6a8e0f1b3d5a7c9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d";

  private final RecordingContext ctx = new RecordingContext();

  private PolymarketSession session(PolymarketVenueOptions options) {
    PolymarketSession s = (PolymarketSession) new PolymarketVenue(options).open(ctx);
    s.subscribe(List.of(YES, NO));
    ctx.sent.clear();
    return s;
  }

  private PolymarketSession session() {
    return session(PolymarketVenueOptions.defaults());
  }

  static byte[] fixture(String name) {
    try (InputStream in = PolymarketSessionTest.class.getResourceAsStream("/polymarket/" + name)) {
      return in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("missing fixture " + name, e);
    }
  }

  private static List<Routed> route(PolymarketSession s, String fixture) {
    return s.onFrame(fixture(fixture));
  }

  @Test
  void sendsOneInitialSubscriptionThenOperationsAlwaysWithCustomFeatures() throws Exception {
    PolymarketSession s = (PolymarketSession) new PolymarketVenue().open(ctx);
    s.subscribe(List.of(YES, NO));
    s.subscribe(List.of(YES, "77"));
    s.unsubscribe(List.of(NO, "not-subscribed"));
    s.unsubscribe(List.of("never"));
    assertThat(ctx.sent).hasSize(3);
    JsonNode initial = JSON.readTree(ctx.sent.get(0));
    assertThat(initial.path("type").asText()).isEqualTo("market");
    assertThat(initial.path("initial_dump").asBoolean()).isTrue();
    assertThat(initial.path("custom_feature_enabled").asBoolean()).isTrue();
    assertThat(initial.path("assets_ids")).extracting(JsonNode::asText).containsExactly(YES, NO);
    JsonNode more = JSON.readTree(ctx.sent.get(1));
    assertThat(more.path("operation").asText()).isEqualTo("subscribe");
    assertThat(more.has("type")).isFalse();
    assertThat(more.path("custom_feature_enabled").asBoolean()).isTrue();
    assertThat(more.path("assets_ids")).extracting(JsonNode::asText).containsExactly("77"); // YES was already subscribed
    JsonNode less = JSON.readTree(ctx.sent.get(2));
    assertThat(less.path("operation").asText()).isEqualTo("unsubscribe");
    assertThat(less.path("assets_ids")).extracting(JsonNode::asText).containsExactly(NO);
  }

  @ParameterizedTest
  @CsvSource({
    "book.json, orderbook",
    "book_buys_sells.json, orderbook",
    "price_change.json, ticker",
    "price_change_legacy.json, ticker",
    "best_bid_ask.json, ticker",
    "last_trade_price.json, trade",
    "tick_size_change.json, lifecycle",
    "new_market.json, lifecycle",
    "market_resolved.json, lifecycle"
  })
  void routesEachEventTypeOnTheConditionIdWithTheRawBytes(String fixture, String type) {
    List<Routed> out = route(session(), fixture);
    assertThat(out).singleElement().isInstanceOfSatisfying(Routed.Publish.class, p -> {
      assertThat(p.type()).isEqualTo(type);
      assertThat(p.ticker()).isEqualTo(MARKET);
      assertThat(p.payload()).isEqualTo(fixture(fixture));
    });
  }

  @Test
  void splitsArrayFramesIntoTheExactBytesOfEachElement() {
    String frame = new String(fixture("book_array.json"), StandardCharsets.UTF_8);
    List<Routed> out = session().onFrame(fixture("book_array.json"));
    assertThat(out).hasSize(2).allSatisfy(r -> assertThat(r).isInstanceOf(Routed.Publish.class));
    String first = new String(((Routed.Publish) out.get(0)).payload(), StandardCharsets.UTF_8);
    String second = new String(((Routed.Publish) out.get(1)).payload(), StandardCharsets.UTF_8);
    assertThat(first).startsWith("{\"event_type\":\"book\"").endsWith("}").contains(YES).doesNotContain(NO);
    assertThat(second).startsWith("{\"event_type\":\"book\"").endsWith("}").contains(NO);
    assertThat(frame).contains(first + " ,\n  " + second);
  }

  @Test
  void treatsPongAndEmptyArraysAsControl() {
    PolymarketSession s = session();
    assertThat(s.onFrame("PONG".getBytes(StandardCharsets.UTF_8))).containsExactly(Routed.PONG);
    assertThat(s.onFrame(" [ ] ".getBytes(StandardCharsets.UTF_8))).containsExactly(new Routed.Control("ack"));
  }

  @Test
  void rejectsMalformedUnknownUnroutableAndVenueErrorsWithoutThrowing() {
    PolymarketSession s = session();
    assertThat(s.onFrame("{\"event_type\":\"book\",".getBytes(StandardCharsets.UTF_8)))
        .singleElement().extracting(r -> ((Routed.Rejected) r).errorType()).isEqualTo("malformed");
    assertThat(s.onFrame("hello".getBytes(StandardCharsets.UTF_8)))
        .singleElement().extracting(r -> ((Routed.Rejected) r).errorType()).isEqualTo("malformed");
    assertThat(s.onFrame(new byte[0])).singleElement().extracting(r -> ((Routed.Rejected) r).errorType()).isEqualTo("malformed");
    assertThat(s.onFrame("[1]".getBytes(StandardCharsets.UTF_8)))
        .singleElement().extracting(r -> ((Routed.Rejected) r).errorType()).isEqualTo("malformed");
    assertThat(s.onFrame("{} {}".getBytes(StandardCharsets.UTF_8)))
        .singleElement().extracting(r -> ((Routed.Rejected) r).errorType()).isEqualTo("malformed");
    assertThat(route(s, "unknown_type.json")).singleElement().extracting(r -> ((Routed.Rejected) r).errorType()).isEqualTo("unknown_type");
    assertThat(s.onFrame("{\"market\":\"0x1\"}".getBytes(StandardCharsets.UTF_8)))
        .singleElement().extracting(r -> ((Routed.Rejected) r).errorType()).isEqualTo("unknown_type");
    assertThat(route(s, "no_market.json")).singleElement().extracting(r -> ((Routed.Rejected) r).errorType()).isEqualTo("unroutable");
    assertThat(s.onFrame("INVALID OPERATION".getBytes(StandardCharsets.UTF_8)))
        .singleElement().extracting(r -> ((Routed.Rejected) r).errorType()).isEqualTo("venue_error");
    assertThat(ctx.venueErrors).containsExactly("invalid_operation");
    Random r = new Random(7);
    for (int i = 0; i < 2000; i++) {
      byte[] junk = new byte[r.nextInt(40)];
      r.nextBytes(junk);
      if (junk.length > 0 && r.nextBoolean()) {
        junk[0] = (byte) (r.nextBoolean() ? '{' : '[');
      }
      assertThat(s.onFrame(junk)).isNotNull();
    }
    assertThat(ctx.resyncs).isEmpty();
  }

  @Test
  void followsTheBookThroughConsistentPriceChangesWithoutResyncing() {
    PolymarketSession s = session();
    route(s, "book_array.json");
    route(s, "best_bid_ask.json");
    route(s, "price_change.json");
    assertThat(s.bestBid(YES)).isEqualByComparingTo("0.51");
    assertThat(s.bestAsk(NO)).isEqualByComparingTo("0.49");
    assertThat(s.bboMismatches()).isZero();
    assertThat(ctx.resyncs).isEmpty();
    assertThat(ctx.sent).isEmpty();
    assertThat(ctx.gaps).isEmpty(); // no sequence numbers: no gap detection
  }

  @Test
  void resyncsOnlyTheMismatchedAssetByCyclingItsSubscription() throws Exception {
    PolymarketSession s = session();
    route(s, "book_array.json");
    List<Routed> out = route(s, "price_change_mismatch.json");
    assertThat(out).singleElement().isInstanceOf(Routed.Publish.class); // still published
    assertThat(s.bboMismatches()).isEqualTo(1);
    assertThat(ctx.resyncs).containsExactly(YES + ":bbo_mismatch");
    assertThat(ctx.sent).hasSize(2);
    JsonNode unsub = JSON.readTree(ctx.sent.get(0));
    JsonNode sub = JSON.readTree(ctx.sent.get(1));
    assertThat(unsub.path("operation").asText()).isEqualTo("unsubscribe");
    assertThat(sub.path("operation").asText()).isEqualTo("subscribe");
    assertThat(unsub.path("assets_ids")).extracting(JsonNode::asText).containsExactly(YES);
    assertThat(sub.path("assets_ids")).extracting(JsonNode::asText).containsExactly(YES);
    assertThat(s.hasBook(YES)).isFalse();
    assertThat(s.hasBook(NO)).isTrue();
    route(s, "best_bid_ask_mismatch.json"); // no book until the fresh snapshot: nothing to compare
    assertThat(s.bboMismatches()).isEqualTo(1);
    route(s, "book.json");
    assertThat(s.bestBid(YES)).isEqualByComparingTo("0.50");
  }

  @Test
  void rateLimitsResyncsPerAsset() {
    PolymarketSession s = session(PolymarketVenueOptions.defaults().withResyncMinInterval(Duration.ofSeconds(5)));
    route(s, "book.json");
    route(s, "best_bid_ask_mismatch.json");
    assertThat(ctx.resyncs).hasSize(1);
    route(s, "book.json");
    ctx.nanos += Duration.ofSeconds(1).toNanos();
    route(s, "best_bid_ask_mismatch.json");
    assertThat(s.bboMismatches()).isEqualTo(2);
    assertThat(ctx.resyncs).hasSize(1); // too soon
    ctx.nanos += Duration.ofSeconds(5).toNanos();
    route(s, "last_trade_price.json");
    assertThat(ctx.resyncs).hasSize(2);
    assertThat(ctx.sent).hasSize(4);
  }

  @Test
  void aNewBookReplacesTheLocalBookInsteadOfMerging() {
    PolymarketSession s = session();
    route(s, "book.json"); // best .50 / .52
    route(s, "book_buys_sells.json"); // buys/sells aliases: .40 / .60 only
    assertThat(s.bestBid(YES)).isEqualByComparingTo("0.40");
    assertThat(s.bestAsk(YES)).isEqualByComparingTo("0.60");
  }

  @Test
  void acceptsTheLegacyChangesForm() {
    PolymarketSession s = session();
    route(s, "book.json");
    route(s, "price_change_legacy.json"); // removes .52 ask, adds .55
    assertThat(s.bestAsk(YES)).isEqualByComparingTo("0.53");
  }

  @Test
  void keepsBooksDepthLimitedWithoutLosingTheTouch() {
    PolymarketSession s = session(PolymarketVenueOptions.defaults().withMaxBookLevels(2));
    route(s, "book.json");
    assertThat(s.bestBid(YES)).isEqualByComparingTo("0.50");
    assertThat(s.bestAsk(YES)).isEqualByComparingTo("0.52");
    route(s, "best_bid_ask.json");
    assertThat(s.bboMismatches()).isZero();
  }

  @Test
  void ignoresBooksOfAssetsNotSubscribedOnThisConnection() {
    PolymarketSession s = (PolymarketSession) new PolymarketVenue().open(ctx);
    s.subscribe(List.of(NO));
    assertThat(route(s, "book.json")).singleElement().isInstanceOf(Routed.Publish.class);
    assertThat(s.hasBook(YES)).isFalse();
  }
}
