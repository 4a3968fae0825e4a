package dev.blockdeck.engine.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Offline consistent-cut checker for images written by a dependent workload ({@code "dependent": true}).
 *
 * <p>A snapshot set is, for every drive, a chain of image files (base first) as they were frozen at one moment.
 * Writer w's k-th write was issued only after its (k-1)-th completed, so a consistent cut holds, for each writer,
 * exactly its sequences 1..m for some m. A <em>violation</em> is a stamp of writer w with sequence s present in
 * the set while some sequence of w below s is absent from every drive of it. A block that holds something other
 * than a valid stamp or zeroes is reported as <em>damaged</em>.
 *
 * <p>Incremental: snapshot sets taken one after another share their lower layers, so the checker keeps the set it
 * has and grows it: {@link #addLayer} puts one more image on top of a drive's chain (reading only the clusters that
 * image allocates, through the layers below for partial blocks), {@link #check} looks at the set as it is now.
 * <pre>{@code
 * try (CutChecker c = new CutChecker(4096)) {
 *     for (int k = 0; k < sets; k++) {
 *         c.addLayer("d0", chainOfD0.get(k));
 *         c.addLayer("d1", chainOfD1.get(k));
 *         CutChecker.Report r = c.check();   // r.consistent(), r.violations(), r.describe()
 *     }
 * }
 * }</pre>
 * Image files are qcow2 (opened read-only; their recorded backing names are not followed) or raw. They stay open
 * until {@link #close}. The images must not change while they are read (frozen snapshot layers, or an engine
 * that stopped its workload).
 */
public final class CutChecker implements AutoCloseable {
    private static final int CHUNK = 1 << 20;

    /** Writer {@code writer}'s sequence {@code sequence} is in block {@code block} of {@code drive}, {@code missing} is absent. */
    public record Violation(int writer, long sequence, String drive, long block, long missing) {
        public String describe() {
            return "writer " + writer + ": sequence " + sequence + " is present (drive '" + drive + "', block " + block
                    + ") but sequence " + missing + " is missing";
        }
    }

    /**
     * One snapshot set's verdict: how many stamps it holds, each writer's highest sequence, the violations (at
     * most one per writer: its first gap) and damaged blocks.
     */
    public record Report(int stamps, Map<Integer, Long> highest, List<Violation> violations, List<String> damaged) {
        public Report {
            highest = Map.copyOf(highest);
            violations = List.copyOf(violations);
            damaged = List.copyOf(damaged);
        }

        public boolean consistent() {
            return violations.isEmpty() && damaged.isEmpty();
        }

        public String describe() {
            if (consistent()) {
                return "consistent: " + stamps + " stamps, highest sequence per writer " + new TreeMap<>(highest);
            }
            List<String> lines = new ArrayList<>();
            violations.forEach(v -> lines.add(v.describe()));
            lines.addAll(damaged);
            return String.join("\n", lines);
        }
    }

    private static final class Drive {
        final String name;
        final List<ImageLayer> layers = new ArrayList<>();
        final Map<Long, BlockStamp.Stamp> stamps = new HashMap<>();
        final Map<Long, String> damaged = new TreeMap<>();

        Drive(String name) {
            this.name = name;
        }

        ImageLayer top() {
            return layers.isEmpty() ? null : layers.get(layers.size() - 1);
        }
    }

    private final int blockSize;
    private final Map<String, Drive> drives = new LinkedHashMap<>();
    private final Map<Integer, WriterSequences> writers = new HashMap<>();

    /** {@code blockSize}: the workload's {@code block-size}. */
    public CutChecker(int blockSize) {
        if (blockSize < BlockStamp.MIN_BLOCK) {
            throw new IllegalArgumentException("block size " + blockSize + " is smaller than " + BlockStamp.MIN_BLOCK);
        }
        this.blockSize = blockSize;
    }

    /** Checks one snapshot set given whole: per drive, its chain of image files, base first. */
    public static Report checkChains(int blockSize, Map<String, List<Path>> chains) throws IOException {
        try (CutChecker c = new CutChecker(blockSize)) {
            for (Map.Entry<String, List<Path>> e : chains.entrySet()) {
                for (Path p : e.getValue()) {
                    c.addLayer(e.getKey(), p);
                }
            }
            return c.check();
        }
    }

    /** Puts {@code image} on top of {@code drive}'s chain (the first image of a drive is its base). */
    public void addLayer(String drive, Path image) throws IOException {
        Drive d = drives.computeIfAbsent(drive, Drive::new);
        ImageLayer layer = ImageLayer.open(image, d.top());
        d.layers.add(layer);
        long size = layer.size();
        layer.visitAllocated((offset, length) -> scan(d, layer, offset, Math.min(offset + length, size)));
    }

    /** Reads the blocks touching guest bytes [start, end) through the new top layer and records what they hold. */
    private void scan(Drive d, ImageLayer layer, long start, long end) throws IOException {
        long first = start / blockSize;
        long endBlock = Math.min((end + blockSize - 1) / blockSize, layer.size() / blockSize);
        int perChunk = Math.max(1, CHUNK / blockSize);
        ByteBuffer buf = ByteBuffer.allocate(perChunk * blockSize);
        for (long b = first; b < endBlock; b += perChunk) {
            int n = (int) Math.min(perChunk, endBlock - b);
            buf.clear().limit(n * blockSize);
            layer.read(b * blockSize, buf);
            for (int i = 0; i < n; i++) {
                ByteBuffer block = buf.slice(i * blockSize, blockSize);
                apply(d, b + i, BlockStamp.read(block, b + i));
            }
        }
    }

    private void apply(Drive d, long block, BlockStamp.Found found) {
        BlockStamp.Stamp old = d.stamps.remove(block);
        if (old != null) {
            WriterSequences w = writers.get(old.writer());
            w.remove(old.sequence());
            if (w.isEmpty()) {
                writers.remove(old.writer());
            }
        }
        d.damaged.remove(block);
        if (found instanceof BlockStamp.Valid v) {
            BlockStamp.Stamp s = v.stamp();
            if (s.sequence() < 1 || s.sequence() > WriterSequences.MAX_SEQUENCE) {
                d.damaged.put(block, "drive '" + d.name + "', block " + block + ": sequence " + s.sequence()
                        + " is not one a dependent workload writes");
                return;
            }
            d.stamps.put(block, s);
            writers.computeIfAbsent(s.writer(), k -> new WriterSequences()).add(s.sequence());
        } else if (found instanceof BlockStamp.Corrupt c) {
            d.damaged.put(block, "drive '" + d.name + "', block " + block + ": " + c.why());
        }
    }

    /** The verdict on the snapshot set made of the layers added so far. */
    public Report check() {
        int stamps = 0;
        for (Drive d : drives.values()) {
            stamps += d.stamps.size();
        }
        Map<Integer, Long> highest = new HashMap<>();
        List<Violation> violations = new ArrayList<>();
        for (Map.Entry<Integer, WriterSequences> e : new TreeMap<>(writers).entrySet()) {
            WriterSequences w = e.getValue();
            highest.put(e.getKey(), w.highest());
            long gap = w.firstGap();
            if (gap > 0) {
                violations.add(locate(e.getKey(), w.nextPresent(gap), gap));
            }
        }
        List<String> damaged = new ArrayList<>();
        drives.values().forEach(d -> damaged.addAll(d.damaged.values()));
        return new Report(stamps, highest, violations, damaged);
    }

    /** Where the present sequence after a gap is (only looked up for violations). */
    private Violation locate(int writer, long seq, long missing) {
        for (Drive d : drives.values()) {
            for (Map.Entry<Long, BlockStamp.Stamp> s : d.stamps.entrySet()) {
                if (s.getValue().writer() == writer && s.getValue().sequence() == seq) {
                    return new Violation(writer, seq, d.name, s.getKey(), missing);
                }
            }
        }
        throw new IllegalStateException("writer " + writer + " sequence " + seq + " counted but not found");
    }

    @Override
    public void close() {
        IOException failure = null;
        for (Drive d : drives.values()) {
            for (ImageLayer l : d.layers) {
                try {
                    l.close();
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
        drives.clear();
        if (failure != null) {
            throw new UncheckedIOException(failure);
        }
    }
}
