package org.fenghuo.simulator.city;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.fenghuo.core.model.GeoPoint;
import org.fenghuo.core.region.Region;

/** Writes regions as the region file of DESIGN §4: one feature per line, coordinates with exactly 6 decimals. */
final class GeoJsonWriter {
    private GeoJsonWriter() {}

    static void write(OutputStream out, String collectionName, List<Region> regions) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("type", "FeatureCollection");
            g.writeStringField("name", collectionName);
            g.writeArrayFieldStart("features");
            for (Region r : regions) {
                g.writeRaw('\n');
                g.writeStartObject();
                g.writeStringField("type", "Feature");
                g.writeStringField("id", r.code());
                g.writeObjectFieldStart("properties");
                g.writeStringField("code", r.code());
                g.writeStringField("name", r.name());
                g.writeStringField("level", r.level().name());
                if (r.parent() != null) g.writeStringField("parent", r.parent());
                g.writeEndObject();
                g.writeObjectFieldStart("geometry");
                g.writeStringField("type", "Polygon");
                g.writeArrayFieldStart("coordinates");
                for (List<GeoPoint> ring : r.polygon()) {
                    g.writeStartArray();
                    for (GeoPoint p : ring) {
                        g.writeStartArray();
                        g.writeNumber(fixed6(p.lon()));
                        g.writeNumber(fixed6(p.lat()));
                        g.writeEndArray();
                    }
                    g.writeEndArray();
                }
                g.writeEndArray();
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeRaw('\n');
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }

    /** Exactly 6 decimals, independent of locale and of how {@code Double.toString} would shorten it. */
    static String fixed6(double v) {
        long micro = Math.round(v * 1e6);
        String sign = micro < 0 ? "-" : "";
        micro = Math.abs(micro);
        String frac = Long.toString(micro % 1_000_000);
        return sign + micro / 1_000_000 + "." + "0".repeat(6 - frac.length()) + frac;
    }
}
