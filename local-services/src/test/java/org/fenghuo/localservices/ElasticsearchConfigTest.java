package org.fenghuo.localservices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertThat(settings).noneMatch(x -> x.startsWith("discovery.seed_hosts")
                || x.startsWith("cluster.initial_master_nodes"));
    }

    @Test
    void clusterNodesFindEachOtherAndNameTheInitialMastersOnlyOnTheFirstStart() {
        int[] http = {9200, 9201};
        int[] transport = {9300, 9301};
        List<String> names = List.of("n-1", "n-2");
        List<String> first = settings(LocalElasticsearch.clusterSettingsArguments(1, http, transport,
                Path.of("/var/tmp/fh/run/es/node-2"), names, true));
        assertThat(first).contains(
                "cluster.name=fenghuo-local",
                "node.name=n-2",
                "discovery.seed_hosts=127.0.0.1:9300,127.0.0.1:9301",
                "cluster.initial_master_nodes=n-1,n-2",
                "xpack.security.enabled=false",
                "http.host=127.0.0.1",
                "transport.host=127.0.0.1",
                "http.port=9201",
                "transport.port=9301",
                "path.data=/var/tmp/fh/run/es/node-2/data",
                "path.logs=/var/tmp/fh/run/es/node-2/logs",
                "cluster.routing.allocation.disk.threshold_enabled=false");
        assertThat(first).noneMatch(x -> x.startsWith("discovery.type"));

        List<String> again = settings(LocalElasticsearch.clusterSettingsArguments(0, http, transport,
                Path.of("/var/tmp/fh/run/es/node-1"), names, false));
        assertThat(again).contains("node.name=n-1", "http.port=9200", "transport.port=9300",
                "discovery.seed_hosts=127.0.0.1:9300,127.0.0.1:9301");
        assertThat(again).noneMatch(x -> x.startsWith("cluster.initial_master_nodes"));
    }

    @Test
    void nodesLiveInTheirOwnDirectories(@TempDir Path tmp) {
        LocalElasticsearch two = new LocalElasticsearch(
                LocalServicesOptions.builder().elasticsearchNodes(2).baseDirectory(tmp).build(), tmp.resolve("es"));
        assertThat(two.nodeCount()).isEqualTo(2);
        assertThat(two.nodeDirectory(1)).isEqualTo(tmp.resolve("es/node-2"));
        assertThat(two.httpPort()).isEqualTo(-1);
        assertThatThrownBy(two::urls).isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
        assertThatThrownBy(two::stop).isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
        assertThatThrownBy(two::startAgain).isInstanceOf(IllegalStateException.class);

        LocalElasticsearch one = new LocalElasticsearch(LocalServicesOptions.builder().baseDirectory(tmp).build(),
                tmp.resolve("es1"));
        assertThat(one.nodeDirectory(0)).isEqualTo(tmp.resolve("es1"));
    }

    private static List<String> settings(List<String> args) {
        List<String> settings = new ArrayList<>();
        for (int i = 0; i < args.size(); i += 2) {
            assertThat(args.get(i)).isEqualTo("-E");
            settings.add(args.get(i + 1));
        }
        return settings;
    }
}
