package org.fenghuo.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The schemas shipped in the jar must be exactly the contracts in shared/feeds. */
class SchemaResourcesTest {
    @Test
    void shippedSchemasEqualTheSharedContracts() throws Exception {
        Path shared = Stream.of(Path.of("../../shared/feeds"), Path.of("../shared/feeds"))
                .filter(Files::isDirectory).findFirst().orElse(null);
        Assumptions.assumeTrue(shared != null, "shared/feeds is not beside the repository");
        try (Stream<Path> files = Files.list(shared)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                try (InputStream in = getClass().getResourceAsStream("/org/fenghuo/core/feed/schemas/" + f.getFileName())) {
                    assertThat(in).as("resource for " + f.getFileName()).isNotNull();
                    assertThat(in.readAllBytes()).as(f.getFileName().toString()).isEqualTo(Files.readAllBytes(f));
                }
            }
        }
    }

    @Test
    void everyFeedSchemaLoads() {
        for (String s : new String[] {"grid-report", "linkage-call", "petition", "labor-inspection"}) {
            JsonSchemaChecker.forResource(s + ".schema.json");
        }
    }
}
