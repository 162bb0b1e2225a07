package io.ssmd.cli;

import io.ssmd.secmaster.MarketRecord;
import java.io.PrintStream;
import java.util.List;

/** The {@code secmaster list} table, with the columns that mean something for each feed. */
final class SecmasterTable {
  private SecmasterTable() {}

  /** What a row is called in the feed's footer ("42 pairs from PostgreSQL"). */
  static String noun(String feed) {
    return "kraken".equals(feed) ? "pairs" : "markets";
  }

  static void print(String feed, List<MarketRecord> rows, PrintStream out) {
    switch (feed) {
      case "kraken" -> {
        out.printf("%-16s %-8s %-12s %-16s %-10s %s%n", "SYMBOL", "STATE", "STATUS", "WSNAME", "TICK", "ORDERMIN");
        for (MarketRecord m : rows) {
          out.printf("%-16s %-8s %-12s %-16s %-10s %s%n", m.ticker(), m.state(), m.venueStatus(), nz(m.title()),
              m.attributes().getOrDefault("tick_size", ""), m.attributes().getOrDefault("ordermin", ""));
        }
      }
      case "polymarket" -> {
        // condition ids and token ids are long: one line per market, its tokens indented below
        out.printf("%-66s %-8s %-20s %s%n", "CONDITION_ID", "STATE", "ENDS", "QUESTION");
        for (MarketRecord m : rows) {
          out.printf("%-66s %-8s %-20s %s%n", m.ticker(), m.state(), m.closeTime() == null ? "" : m.closeTime().toString(), nz(m.title()));
          for (MarketRecord.Outcome o : m.outcomes()) {
            out.printf("    token %-4s %s%n", nz(o.outcome()), o.tokenId());
          }
        }
      }
      default -> {
        out.printf("%-28s %-10s %-20s %s%n", "TICKER", "STATE", "CLOSES", "TITLE");
        for (MarketRecord m : rows) {
          out.printf("%-28s %-10s %-20s %s%n", m.ticker(), m.state(), m.closeTime() == null ? "" : m.closeTime().toString(), nz(m.title()));
        }
      }
    }
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
