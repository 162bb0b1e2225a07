package io.ssmd.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Writes a JDBC result as a table, CSV or JSON lines. Values print exactly (decimals never through double). */
final class ResultPrinter {
  private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
  private static final JsonFactory JSON = new JsonFactory();

  private ResultPrinter() {}

  static long print(ResultSet rs, Writer out, OutputFormat format) throws SQLException, IOException {
    return switch (format) {
      case TABLE -> table(rs, out);
      case CSV -> csv(rs, out);
      case JSON -> json(rs, out);
    };
  }

  private static long table(ResultSet rs, Writer out) throws SQLException, IOException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    String[] head = new String[n];
    int[] width = new int[n];
    boolean[] right = new boolean[n];
    for (int i = 0; i < n; i++) {
      head[i] = md.getColumnLabel(i + 1);
      width[i] = head[i].length();
    }
    List<String[]> rows = new ArrayList<>();
    while (rs.next()) {
      String[] row = new String[n];
      for (int i = 0; i < n; i++) {
        Object v = rs.getObject(i + 1);
        row[i] = v == null ? "NULL" : text(v);
        right[i] |= v instanceof Number;
        width[i] = Math.max(width[i], row[i].length());
      }
      rows.add(row);
    }
    line(out, head, width, right);
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < n; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    out.write(rule.append('\n').toString());
    for (String[] row : rows) {
      line(out, row, width, right);
    }
    out.write("(" + rows.size() + (rows.size() == 1 ? " row)\n" : " rows)\n"));
    return rows.size();
  }

  private static void line(Writer out, String[] cells, int[] width, boolean[] right) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      b.append(i == 0 ? "" : " | ");
      String pad = " ".repeat(width[i] - cells[i].length());
      // the last left-aligned column is not padded: no trailing spaces
      b.append(right[i] ? pad + cells[i] : cells[i] + (i == cells.length - 1 ? "" : pad));
    }
    out.write(b.append('\n').toString());
  }

  private static long csv(ResultSet rs, Writer out) throws SQLException, IOException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ",").append(csvField(md.getColumnLabel(i + 1)));
    }
    out.write(b.append("\r\n").toString());
    long rows = 0;
    while (rs.next()) {
      b.setLength(0);
      for (int i = 0; i < n; i++) {
        Object v = rs.getObject(i + 1);
        b.append(i == 0 ? "" : ",").append(v == null ? "" : csvField(text(v)));
      }
      out.write(b.append("\r\n").toString());
      rows++;
    }
    return rows;
  }

  private static String csvField(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  private static long json(ResultSet rs, Writer out) throws SQLException, IOException {
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = md.getColumnLabel(i + 1);
    }
    long rows = 0;
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
      g.setRootValueSeparator(null);
      while (rs.next()) {
        g.writeStartObject();
        for (int i = 0; i < n; i++) {
          Object v = rs.getObject(i + 1);
          g.writeFieldName(names[i]);
          switch (v) {
            case null -> g.writeNull();
            case BigDecimal d -> g.writeNumber(strip(d));
            case BigInteger d -> g.writeNumber(d);
            case Long l -> g.writeNumber(l);
            case Integer x -> g.writeNumber(x);
            case Short x -> g.writeNumber(x);
            case Byte x -> g.writeNumber(x);
            case Boolean x -> g.writeBoolean(x);
            // DuckDB's JSON type arrives as org.duckdb.JsonNode whose text is the JSON itself
            case Object o when o.getClass().getName().equals("org.duckdb.JsonNode") -> g.writeRawValue(o.toString());
            // float/double columns only come from raw JSON inference; print them as DuckDB would
            default -> g.writeString(text(v));
          }
        }
        g.writeEndObject();
        g.flush();
        out.write('\n');
        rows++;
      }
    }
    return rows;
  }

  /** A value as text: decimals exact without trailing zeros, timestamps to the microsecond. */
  static String text(Object v) {
    return switch (v) {
      case BigDecimal d -> strip(d).toPlainString();
      case Timestamp t -> MICROS.format(t.toLocalDateTime());
      case LocalDateTime t -> MICROS.format(t);
      default -> v.toString();
    };
  }

  private static BigDecimal strip(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }
}
