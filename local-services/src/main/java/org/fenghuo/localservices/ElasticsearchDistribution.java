package org.fenghuo.localservices;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The Elasticsearch zip from Maven Central, unpacked once into a shared cache directory. */
final class ElasticsearchDistribution {
    static final String ZIP_PATH_RESOURCE = "org/fenghuo/localservices/elasticsearch.zip.path";
    private static final String TMP_PREFIX = ".unpack-";

    private ElasticsearchDistribution() {
    }

    /** The zip's location in the local Maven repository, as written by this module's build. */
    static Path locateZip() {
        String text = readResource(ZIP_PATH_RESOURCE).trim();
        if (text.isEmpty()) {
            throw new ServicesException("resource " + ZIP_PATH_RESOURCE + " is empty: rebuild fenghuo-local-services "
                    + "(mvn -pl local-services install) so Maven resolves the Elasticsearch distribution");
        }
        Path zip = Path.of(text.split(java.io.File.pathSeparator)[0]);
        if (!Files.isRegularFile(zip)) {
            throw new ServicesException("the Elasticsearch distribution " + zip + " (recorded at build time) is missing: "
                    + "rebuild fenghuo-local-services (mvn -pl local-services install) so Maven downloads it again");
        }
        return zip;
    }

    static String readResource(String name) {
        try (InputStream in = ElasticsearchDistribution.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new ServicesException("resource " + name + " is missing from the classpath: fenghuo-local-services "
                        + "was not built by Maven (its pom writes this file during generate-resources)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ServicesException("cannot read resource " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns the Elasticsearch home directory inside {@code distDirectory}, unpacking {@code zip} first if needed.
     * Unpacks into a private temporary directory and renames it into place, so that a concurrent JVM (or one killed
     * half-way) never sees a partial distribution.
     */
    static Path ensureUnpacked(Path zip, Path distDirectory, PrintStream progress) {
        String top = topDirectory(zip);
        Path home = distDirectory.resolve(top);
        if (Files.isRegularFile(home.resolve("bin/elasticsearch"))) {
            return home;
        }
        RunDirectories.createTraversable(distDirectory, LocalServicesOptions.DIST_DIR);
        removeAbandonedTemporaries(distDirectory);
        progress.println("[services] elasticsearch: unpacking distribution (first run only) into " + home + " …");
        Path tmp = distDirectory.resolve(TMP_PREFIX + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectory(tmp);
            unzip(zip, tmp);
            makeReadableAndExecutable(tmp.resolve(top));
            try {
                Files.move(tmp.resolve(top), home, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // another JVM finished first (the rename then fails on a non-empty target); its copy is as good as ours
                if (!Files.isRegularFile(home.resolve("bin/elasticsearch"))) throw e;
            }
        } catch (IOException e) {
            throw new ServicesConfigException(LocalServicesOptions.DIST_DIR, "cannot unpack " + zip + " into "
                    + distDirectory + " (" + RunDirectories.describe(e) + "); set -D" + LocalServicesOptions.DIST_DIR
                    + "=DIR to a writable directory", e);
        } finally {
            RunDirectories.deleteRecursively(tmp);
        }
        if (!Files.isRegularFile(home.resolve("bin/elasticsearch"))) {
            throw new ServicesException(zip + " does not contain " + top + "/bin/elasticsearch");
        }
        return home;
    }

    /** The single top-level directory of the zip, e.g. {@code elasticsearch-8.19.21}. */
    static String topDirectory(Path zip) {
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = zf.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                int slash = name.indexOf('/');
                if (slash > 0) return name.substring(0, slash);
            }
        } catch (IOException e) {
            throw new ServicesException("cannot read " + zip + ": " + e.getMessage(), e);
        }
        throw new ServicesException(zip + " has no top-level directory");
    }

    private static void unzip(Path zip, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        try (ZipFile zf = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = zf.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                Path out = root.resolve(e.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("zip entry escapes the target directory: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = zf.getInputStream(e)) {
                        Files.copy(in, out);
                    }
                }
            }
        }
    }

    /**
     * java.util.zip does not expose Unix modes, so they are set here: everything world-readable (the Elasticsearch user
     * is not the one unpacking), directories traversable, and every file in a {@code bin} directory executable.
     */
    static void makeReadableAndExecutable(Path home) throws IOException {
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                if (Files.isDirectory(p)) {
                    RunDirectories.setMode(p, "rwxr-xr-x");
                } else if (p.getParent() != null && p.getParent().getFileName().toString().equals("bin")) {
                    RunDirectories.setMode(p, "rwxr-xr-x");
                } else {
                    RunDirectories.setMode(p, "rw-r--r--");
                }
            }
        }
    }

    /** Temporary directories of JVMs that died while unpacking. */
    private static void removeAbandonedTemporaries(Path distDirectory) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(distDirectory, TMP_PREFIX + "*")) {
            for (Path d : dirs) {
                String rest = d.getFileName().toString().substring(TMP_PREFIX.length());
                int dash = rest.indexOf('-');
                try {
                    long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                } catch (NumberFormatException e) {
                    // unknown name: treat as abandoned
                }
                RunDirectories.deleteRecursively(d);
            }
        } catch (IOException e) {
            // best effort
        }
    }
}
