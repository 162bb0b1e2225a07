package io.ssmd.gateway;

import io.ssmd.secmaster.MarketQuery;
import io.ssmd.secmaster.MarketRecord;
import io.ssmd.secmaster.SecurityMaster;
import io.ssmd.secmaster.cache.MarketCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** Where {@code GET /v1/markets} reads markets: the security master's database, or its Redis cache. */
public interface MarketSource {

  /** {@code database} or {@code cache}, reported in responses. */
  String name();

  /** Markets matching the query. */
  List<MarketRecord> list(MarketQuery query) throws Exception;

  /** The PostgreSQL security master (every state, every filter). */
  static MarketSource database(SecurityMaster master) {
    Objects.requireNonNull(master, "master");
    return new MarketSource() {
      @Override
      public String name() {
        return "database";
      }

      @Override
      public List<MarketRecord> list(MarketQuery query) throws Exception {
        return master.list(query);
      }
    };
  }

  /**
   * The Redis market cache. It keeps the open set and each market's record, so it answers for
   * open markets only: a query for another status returns nothing.
   */
  static MarketSource cache(MarketCache cache) {
    Objects.requireNonNull(cache, "cache");
    return new MarketSource() {
      @Override
      public String name() {
        return "cache";
      }

      @Override
      public List<MarketRecord> list(MarketQuery q) {
        if (q.state() != null && !q.state().equalsIgnoreCase("open")) {
          return List.of();
        }
        String search = q.search() == null ? null : q.search().toLowerCase(Locale.ROOT);
        List<MarketRecord> out = new ArrayList<>();
        for (String ticker : cache.openMarkets(q.feed()).stream().sorted().toList()) {
          Optional<MarketRecord> m = cache.market(q.feed(), ticker);
          if (m.isEmpty()) {
            continue;
          }
          MarketRecord r = m.get();
          if (q.series() != null && !q.series().equals(r.seriesTicker())) {
            continue;
          }
          if (q.category() != null && (r.category() == null || !q.category().equalsIgnoreCase(r.category()))) {
            continue;
          }
          if (search != null && !contains(r.ticker(), search) && !contains(r.title(), search) && !contains(r.eventTitle(), search)) {
            continue;
          }
          out.add(r);
          if (out.size() >= q.limit()) {
            break;
          }
        }
        return out;
      }

      private static boolean contains(String s, String lowerNeedle) {
        return s != null && s.toLowerCase(Locale.ROOT).contains(lowerNeedle);
      }
    };
  }
}
