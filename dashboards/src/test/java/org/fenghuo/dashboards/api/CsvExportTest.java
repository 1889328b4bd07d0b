package org.fenghuo.dashboards.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import org.fenghuo.dashboards.search.SearchIndex;
import org.junit.jupiter.api.Test;

class CsvExportTest {
    @Test
    void cellsAreQuotedAndFormulasDefused() {
        assertThat(CsvExport.quote("plain")).isEqualTo("plain");
        assertThat(CsvExport.quote("a,b")).isEqualTo("\"a,b\"");
        assertThat(CsvExport.quote("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvExport.quote("=HYPERLINK(\"http://x\")")).startsWith("\"'=");
        assertThat(CsvExport.quote("-12.5")).as("a negative number stays a number").isEqualTo("-12.5");
        assertThat(CsvExport.quote(null)).isEmpty();
    }

    @Test
    void anEventRowFollowsTheHeader() throws Exception {
        StringWriter out = new StringWriter();
        CsvExport csv = new CsvExport(SearchIndex.EVENTS);
        csv.header(out);
        csv.row(out, new ObjectMapper().readTree("{\"eventId\":\"petition:P-1\",\"feed\":\"petition\",\"region\":{\"district\":\"339901\"},"
                + "\"title\":\"集体访, 8人\",\"entities\":[\"ENT:1\",\"PER:ab\"]}"));
        String[] lines = out.toString().split("\r\n");
        assertThat(lines[0]).startsWith("事件编号,来源,发生时间,区县");
        assertThat(lines[1]).startsWith("petition:P-1,petition,,339901,").contains("\"集体访, 8人\"").endsWith("ENT:1 PER:ab");
    }
}
