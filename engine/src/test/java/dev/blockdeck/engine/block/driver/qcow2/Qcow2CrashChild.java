package dev.blockdeck.engine.block.driver.qcow2;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

/**
 * Child process of {@link Qcow2CrashTest}: writes slots of an image through the core and, after each completed
 * flush, appends "F n" to a log (all writes numbered below n were acknowledged before that flush). Runs until
 * killed.
 */
public final class Qcow2CrashChild {
    private Qcow2CrashChild() {
    }

    static byte[] pattern(long seed, int seq, int len) {
        byte[] b = new byte[len];
        new Random(seed * 1_000_003L + seq).nextBytes(b);
        // first bytes carry the sequence number, so torn content is recognisable
        ByteBuffer.wrap(b).putInt(0, seq);
        return b;
    }

    static int slotOf(long seed, int seq, int slots) {
        return new Random(seed * 31 + seq * 7919L).nextInt(slots);
    }

    public static void main(String[] a) throws Exception {
        Path image = Path.of(a[0]);
        Path log = Path.of(a[1]);
        long seed = Long.parseLong(a[2]);
        int slots = Integer.parseInt(a[3]);
        int slotSize = Integer.parseInt(a[4]);
        Random rnd = new Random(seed);
        try (OutputStream lg = new FileOutputStream(log.toFile(), true);
                Qcow2Image q = Qcow2Image.open(FileChannelHostFile.open(image, false), new Qcow2Image.Options())) {
            lg.write("READY\n".getBytes(StandardCharsets.US_ASCII));
            lg.flush();
            int seq = 0;
            while (true) {
                int burst = 1 + rnd.nextInt(8);
                for (int i = 0; i < burst; i++, seq++) {
                    int slot = slotOf(seed, seq, slots);
                    q.write((long) slot * slotSize, ByteBuffer.wrap(pattern(seed, seq, slotSize)));
                }
                if (rnd.nextInt(5) == 0) {
                    // some zeroing and discards too: metadata frees
                    int slot = rnd.nextInt(slots);
                    lg.write(("Z " + seq + " " + slot + "\n").getBytes(StandardCharsets.US_ASCII));
                    lg.flush();
                    q.writeZeroes((long) slot * slotSize, slotSize, true);
                    seq++;
                }
                q.flush();
                lg.write(("F " + seq + "\n").getBytes(StandardCharsets.US_ASCII));
                lg.flush();
            }
        }
    }
}
