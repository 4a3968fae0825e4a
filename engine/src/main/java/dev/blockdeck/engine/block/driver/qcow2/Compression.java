package dev.blockdeck.engine.block.driver.qcow2;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import io.airlift.compress.zstd.ZstdInputStream;

/**
 * Compressed clusters: raw deflate (window 4 KiB, as QEMU's zlib type) or a zstd frame; either decompresses to
 * exactly one cluster. The stored bytes may run on past the stream into the next compressed cluster's sectors.
 */
final class Compression {
    private Compression() {
    }

    /** Decompresses {@code in[0..inLen)} into all of {@code out}; false when the data is not a valid stream. */
    static boolean decompress(int type, byte[] in, int inLen, byte[] out) {
        return type == Qcow2Format.COMPRESSION_ZSTD ? zstd(in, inLen, out) : inflate(in, inLen, out);
    }

    private static boolean inflate(byte[] in, int inLen, byte[] out) {
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(in, 0, inLen);
            int done = 0;
            while (done < out.length) {
                int n = inf.inflate(out, done, out.length - done);
                done += n;
                if (n == 0) {
                    if (inf.finished() || inf.needsInput() || inf.needsDictionary()) {
                        break;
                    }
                }
            }
            return done == out.length;
        } catch (DataFormatException e) {
            return false;
        } finally {
            inf.end();
        }
    }

    private static boolean zstd(byte[] in, int inLen, byte[] out) {
        try (InputStream z = new ZstdInputStream(new ByteArrayInputStream(in, 0, inLen))) {
            int done = 0;
            while (done < out.length) {
                int n = z.read(out, done, out.length - done);
                if (n < 0) {
                    break;
                }
                done += n;
            }
            return done == out.length;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Raw deflate of one cluster, or null when it does not get smaller than {@code maxLen}. */
    static byte[] deflate(byte[] cluster, int maxLen) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            d.setInput(cluster);
            d.finish();
            byte[] out = new byte[maxLen];
            int n = 0;
            while (!d.finished() && n < maxLen) {
                n += d.deflate(out, n, maxLen - n);
            }
            if (!d.finished()) {
                return null;
            }
            return java.util.Arrays.copyOf(out, n);
        } finally {
            d.end();
        }
    }
}
