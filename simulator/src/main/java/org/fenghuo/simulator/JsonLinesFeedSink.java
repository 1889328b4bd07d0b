package org.fenghuo.simulator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.fenghuo.core.feed.Feed;

/**
 * Writes each feed to {@code <dir>/<topic>.jsonl}, one record per line, for replay files and inspection.
 * Records are written as the bytes the feed delivers, so a malformed record that is not JSON at all is written
 * raw on its own line: the files are JSON lines except for those lines, on purpose. The simulator never puts a
 * line break inside a record, so every line is exactly one record. Keys and event times are not written
 * (the key is the record id inside the record, the event time its time field).
 */
public final class JsonLinesFeedSink implements FeedSink {
    private final Path dir;
    private final Map<Feed, OutputStream> files = new EnumMap<>(Feed.class);

    public JsonLinesFeedSink(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    public static Path fileOf(Path dir, Feed feed) {
        return dir.resolve(feed.topic() + ".jsonl");
    }

    @Override
    public synchronized void send(Feed feed, String key, byte[] value, long eventTimeMillis) throws IOException {
        for (byte b : value) {
            if (b == '\n' || b == '\r') throw new IllegalArgumentException("record " + key + " contains a line break");
        }
        OutputStream out = files.get(feed);
        if (out == null) {
            out = new BufferedOutputStream(Files.newOutputStream(fileOf(dir, feed)), 1 << 16);
            files.put(feed, out);
        }
        out.write(value);
        out.write('\n');
    }

    @Override
    public synchronized void flush() {
        try {
            for (OutputStream out : files.values()) out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        IOException first = null;
        for (OutputStream out : files.values()) {
            try {
                out.close();
            } catch (IOException e) {
                if (first == null) first = e;
            }
        }
        files.clear();
        if (first != null) throw new UncheckedIOException(first);
    }
}
