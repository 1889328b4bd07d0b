package org.fenghuo.localservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What it takes to run Elasticsearch from a root JVM: it refuses to run as root, so it gets a user of its own. */
final class SystemUsers {
    private SystemUsers() {
    }

    static boolean runningAsRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** Creates the system user unless it exists. Idempotent; tolerates another JVM creating it at the same time. */
    static synchronized void ensureUser(String user) {
        if (exists(user)) return;
        String out = run(List.of("useradd", "-r", "-M", "-s", "/usr/sbin/nologin", user));
        if (!exists(user)) {
            throw new ServicesConfigException(LocalServicesOptions.ES_USER, "Elasticsearch refuses to run as root, "
                    + "so it runs as the system user '" + user + "', which could not be created with useradd: " + out
                    + "\nCreate it by hand (useradd -r -M -s /usr/sbin/nologin " + user + ") or choose an existing user "
                    + "with -D" + LocalServicesOptions.ES_USER + "=USER");
        }
    }

    static boolean exists(String user) {
        try {
            lookup().lookupPrincipalByName(user);
            return true;
        } catch (UserPrincipalNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives {@code dir} and everything below to {@code user} (and its group of the same name, if there is one). */
    static void chownRecursively(Path dir, String user) {
        try {
            UserPrincipal owner = lookup().lookupPrincipalByName(user);
            GroupPrincipal group;
            try {
                group = lookup().lookupPrincipalByGroupName(user);
            } catch (UserPrincipalNotFoundException e) {
                group = null;
            }
            GroupPrincipal g = group;
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) paths::iterator) {
                    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                            LinkOption.NOFOLLOW_LINKS);
                    view.setOwner(owner);
                    if (g != null) view.setGroup(g);
                }
            }
        } catch (IOException e) {
            throw new ServicesException("cannot give " + dir + " to user " + user + ": " + RunDirectories.describe(e), e);
        }
    }

    /**
     * Throws, naming {@code setting}, unless every directory from {@code /} down to {@code path} can be traversed by
     * {@code user}. Checked up front because Elasticsearch itself would only say "access denied" deep in a stack trace.
     */
    static void checkTraversable(Path path, String user, String setting) {
        Path abs = path.toAbsolutePath().normalize();
        for (Path p = abs; p != null; p = p.getParent()) {
            if (!Files.exists(p)) continue;
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                String owner = Files.getOwner(p).getName();
                boolean ok = perms.contains(PosixFilePermission.OTHERS_EXECUTE)
                        || (owner.equals(user) && perms.contains(PosixFilePermission.OWNER_EXECUTE));
                if (!ok && Files.isDirectory(p)) {
                    throw new ServicesConfigException(setting, "Elasticsearch runs as user '" + user + "', which cannot "
                            + "enter " + p + " (mode " + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                            + ", owner " + owner + "), needed for " + abs + ". Choose a directory outside it with -D"
                            + setting + "=DIR" + (setting.equals(LocalServicesOptions.ES_JAVA_HOME) ? "."
                            : " (the default, under " + LocalServicesOptions.DEFAULT_BASE_DIR + ", works)."));
                }
            } catch (IOException | UnsupportedOperationException e) {
                return; // cannot inspect: let Elasticsearch report it
            }
        }
    }

    private static UserPrincipalLookupService lookup() {
        return Path.of("/").getFileSystem().getUserPrincipalLookupService();
    }

    /** Runs a short command, returns its combined output (with the exit code when non-zero). */
    static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " timed out";
            }
            return p.exitValue() == 0 ? out : String.join(" ", command) + " exited " + p.exitValue() + ": " + out;
        } catch (IOException e) {
            return String.join(" ", command) + " could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return String.join(" ", command) + " interrupted";
        }
    }
}
