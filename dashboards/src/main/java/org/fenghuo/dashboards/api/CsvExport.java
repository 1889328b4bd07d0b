package org.fenghuo.dashboards.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.function.Function;
import java.util.stream.StreamSupport;
import org.fenghuo.dashboards.search.SearchIndex;

/** The columns of each export (Chinese headers, the way the centre's spreadsheets read them), and CSV quoting. */
final class CsvExport {
    private record Column(String header, Function<JsonNode, String> value) {}

    private static final List<Column> EVENTS = List.of(
            col("事件编号", "eventId"), col("来源", "feed"), col("发生时间", "occurredAt"), col("区县", "region.district"),
            col("街道", "region.street"), col("社区", "region.community"), col("网格", "region.grid"), col("类别", "category"),
            col("子类", "subcategory"), col("严重程度", "severity"), col("人数", "peopleCount"), col("标题", "title"),
            col("摘要", "summary"), col("地址", "address"), new Column("关联主体", n -> join(n.path("entities"))));
    private static final List<Column> SIGNALS = List.of(
            col("信号编号", "signalId"), col("规则", "ruleId"), col("类型", "kind"), col("级别", "level"), col("标题", "title"),
            col("主体", "subject.display"), col("主体键", "subject.key"), col("区县", "region.district"), col("街道", "region.street"),
            col("社区", "region.community"), col("触发时间", "triggeredAt"), col("观测值", "observed"), col("期望值", "expected"),
            col("风险分", "score"), col("变化", "delta"), new Column("来源", n -> join(n.path("sources"))), col("说明", "explanation"));
    private static final List<Column> ALERTS = List.of(
            col("告警编号", "alertId"), col("规则", "ruleId"), col("级别", "level"), col("状态", "status"), col("标题", "title"),
            col("主体", "subject.display"), col("主体键", "subject.key"), col("区县", "region.district"), col("街道", "region.street"),
            col("社区", "region.community"), col("触发时间", "triggeredAt"), col("生成时间", "raisedAt"), col("更新时间", "updatedAt"),
            col("证据数", "evidenceCount"), new Column("来源", n -> join(n.path("sources"))), col("签收人", "acknowledgedBy"),
            col("派往单位", "dispatchedTo"), col("说明", "explanation"));

    private final List<Column> columns;

    CsvExport(SearchIndex index) {
        this.columns = switch (index) {
            case EVENTS -> EVENTS;
            case SIGNALS -> SIGNALS;
            case ALERTS -> ALERTS;
        };
    }

    void header(Writer out) {
        write(out, columns.stream().map(Column::header).toList());
    }

    void row(Writer out, JsonNode doc) {
        write(out, columns.stream().map(c -> c.value().apply(doc)).toList());
    }

    private static void write(Writer out, List<String> cells) {
        try {
            for (int i = 0; i < cells.size(); i++) {
                if (i > 0) out.write(',');
                out.write(quote(cells.get(i)));
            }
            out.write("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * RFC 4180 quoting; a cell that a spreadsheet would run as a formula (=, +, -, @) is prefixed with a quote mark,
     * since exported text comes from feeds nobody here controls.
     */
    static String quote(String v) {
        if (v == null) return "";
        String s = v;
        if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !s.matches("-?\\d+(\\.\\d+)?")) s = "'" + s;
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") || !s.equals(v)) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    private static Column col(String header, String dotted) {
        return new Column(header, n -> {
            JsonNode v = n;
            for (String part : dotted.split("\\.")) v = v.path(part);
            return v.isMissingNode() || v.isNull() ? "" : v.asText();
        });
    }

    private static String join(JsonNode array) {
        return String.join(" ", StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList());
    }
}
