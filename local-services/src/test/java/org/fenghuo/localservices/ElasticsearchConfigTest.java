package org.fenghuo.localservices;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElasticsearchConfigTest {

    @Test
    void settingsPinEverythingToTheRunDirectoryAndLoopback() {
        List<String> args = LocalElasticsearch.settingsArguments(9200, 9300, Path.of("/var/tmp/fh/run/es"), "n1");
        List<String> settings = new ArrayList<>();
        for (int i = 0; i < args.size(); i += 2) {
            assertThat(args.get(i)).isEqualTo("-E");
            settings.add(args.get(i + 1));
        }
        assertThat(settings).contains(
                "discovery.type=single-node",
                "xpack.security.enabled=false",
                "http.host=127.0.0.1",
                "transport.host=127.0.0.1",
                "http.port=9200",
                "transport.port=9300",
                "cluster.routing.allocation.disk.threshold_enabled=false",
                "cluster.name=fenghuo-local",
                "node.name=n1",
                "path.data=/var/tmp/fh/run/es/data",
                "path.logs=/var/tmp/fh/run/es/logs");
    }
}
