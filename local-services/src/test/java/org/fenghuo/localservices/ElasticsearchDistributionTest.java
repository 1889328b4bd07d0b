package org.fenghuo.localservices;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElasticsearchDistributionTest {
    @TempDir
    Path tmp;

    @Test
    void unpacksOnceWithExecutableScriptsAndReadableFiles() throws Exception {
        Path zip = tmp.resolve("elasticsearch-9.9.9.zip");
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(os)) {
            for (String name : new String[] {"elasticsearch-9.9.9/bin/elasticsearch", "elasticsearch-9.9.9/bin/elasticsearch-env",
                    "elasticsearch-9.9.9/config/jvm.options", "elasticsearch-9.9.9/modules/x/bin/controller",
                    "elasticsearch-9.9.9/lib/a.jar"}) {
                z.putNextEntry(new ZipEntry(name));
                z.write("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        Path dist = tmp.resolve("cache/dist");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(progress, true, StandardCharsets.UTF_8);

        Path home = ElasticsearchDistribution.ensureUnpacked(zip, dist, ps);

        assertThat(home).isEqualTo(dist.resolve("elasticsearch-9.9.9"));
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/elasticsearch")))
                .contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_READ);
        assertThat(Files.getPosixFilePermissions(home.resolve("modules/x/bin/controller"))).contains(PosixFilePermission.OTHERS_EXECUTE);
        assertThat(Files.getPosixFilePermissions(home.resolve("lib/a.jar")))
                .contains(PosixFilePermission.OTHERS_READ).doesNotContain(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(home.resolve("lib"))).contains(PosixFilePermission.OTHERS_EXECUTE);
        assertThat(Files.getPosixFilePermissions(dist)).contains(PosixFilePermission.OTHERS_EXECUTE);
        try (var leftovers = Files.list(dist)) {
            assertThat(leftovers).containsExactly(home); // the temporary directory is gone
        }
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("unpacking distribution (first run only)");

        progress.reset();
        assertThat(ElasticsearchDistribution.ensureUnpacked(zip, dist, ps)).isEqualTo(home);
        assertThat(progress.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
