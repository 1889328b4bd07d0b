package org.fenghuo.simulator;

import org.fenghuo.simulator.city.DemoCity;

/** One demo city for all simulator tests: it takes most of a second to build. */
final class TestCity {
    private static DemoCity city;

    static synchronized DemoCity get() {
        if (city == null) city = DemoCity.generate(DemoCity.DEFAULT_SEED);
        return city;
    }
}
