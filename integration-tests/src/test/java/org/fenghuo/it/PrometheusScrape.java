package org.fenghuo.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Samples read from Prometheus text endpoints (Flink's reporter), as Prometheus itself would scrape them. */
final class PrometheusScrape {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    record Sample(String name, Map<String, String> labels, double value) {}

    private PrometheusScrape() {
    }

    static List<Sample> scrape(int... ports) throws Exception {
        // HTTP/1.1: the reporter's server answers the JDK's default h2c upgrade request with no bytes at all
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        List<Sample> out = new ArrayList<>();
        for (int port : ports) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(15)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("metrics on port " + port + " answered " + r.statusCode());
            for (String line : r.body().split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                Matcher m = SAMPLE.matcher(line.trim());
                if (!m.matches()) continue;
                Map<String, String> labels = new LinkedHashMap<>();
                if (m.group(2) != null) {
                    Matcher l = LABEL.matcher(m.group(2));
                    while (l.find()) labels.put(l.group(1), l.group(2));
                }
                out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
            }
        }
        return out;
    }

    /** The sum of every sample of that name, grouped by the value of {@code label}. */
    static Map<String, Double> sumBy(List<Sample> samples, String name, String label) {
        Map<String, Double> out = new java.util.TreeMap<>();
        samples.stream().filter(s -> s.name().equals(name)).forEach(s -> out.merge(s.labels().getOrDefault(label, ""), s.value(), Double::sum));
        return out;
    }

    /** A label value as Flink's Prometheus reporter writes it: anything but letters, digits and underscores replaced. */
    static String labelValue(String value) {
        return value.replaceAll("[^a-zA-Z0-9_]", "_");
    }

    static double sum(List<Sample> samples, String name) {
        return samples.stream().filter(s -> s.name().equals(name)).mapToDouble(Sample::value).sum();
    }
}
