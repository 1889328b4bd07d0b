package org.fenghuo.cli;

import java.nio.file.Path;
import java.util.Set;
import org.fenghuo.simulator.city.DemoCity;

/** {@code ./fenghuo city --out FILE}: writes the generated demo city as a GeoJSON region file (DESIGN §4). */
final class CityCommand {
    static final Set<String> FLAGS = Set.of();
    static final Set<String> OPTIONS = Set.of("out", "seed");
    private final Args args;

    CityCommand(Args args) {
        this.args = args;
    }

    int run() {
        if (!args.positionals().isEmpty()) throw new UsageException("city takes no arguments besides options: " + args.positionals());
        String out = args.value("out", null);
        if (out == null) throw new UsageException("city needs --out FILE");
        long seed = args.longValue("seed", DemoCity.DEFAULT_SEED, 0, Long.MAX_VALUE);
        DemoCity city = DemoCity.generate(seed);
        Path file = Path.of(out);
        city.writeGeoJson(file);
        System.out.println("wrote " + file + ": " + city.regions());
        return 0;
    }
}
