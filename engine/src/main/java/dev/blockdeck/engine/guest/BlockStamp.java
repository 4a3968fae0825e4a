package dev.blockdeck.engine.guest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * What the synthetic guest writes into every block, so that every read can be verified: a header
 * (magic, block number, generation, global sequence number, writer id) followed by a payload derived from
 * those values, with a CRC32C over everything after the checksum field. A block of zeroes is a block
 * that was never written.
 *
 * <pre>
 * 0  magic "BDGUEST1"   8  lba (block number)   16 generation   24 sequence   32 writer   36 crc32c   40 payload
 * </pre>
 */
public final class BlockStamp {
    public static final int HEADER = 40;
    public static final int MIN_BLOCK = 512;
    private static final long MAGIC = 0x4244475545535431L; // "BDGUEST1"
    private static final int CRC_AT = 36;

    private BlockStamp() {
    }

    /** A written block's identity. {@code sequence} orders writes across drives (consistent cuts). */
    public record Stamp(long lba, long generation, long sequence, int writer) {
    }

    /** Fills {@code buf} (position to limit, one block) with the stamp and its payload. */
    public static void write(ByteBuffer buf, Stamp s) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int start = b.position();
        int len = b.remaining();
        if (len < MIN_BLOCK) {
            throw new IllegalArgumentException("block of " + len + " bytes is smaller than " + MIN_BLOCK);
        }
        b.putLong(start, MAGIC);
        b.putLong(start + 8, s.lba());
        b.putLong(start + 16, s.generation());
        b.putLong(start + 24, s.sequence());
        b.putInt(start + 32, s.writer());
        long x = seed(s);
        int i = start + HEADER;
        int end = start + len;
        for (; i + 8 <= end; i += 8) {
            x = next(x);
            b.putLong(i, x);
        }
        for (; i < end; i++) {
            b.put(i, (byte) (x >>> (8 * (i & 7))));
        }
        b.putInt(start + CRC_AT, crc(b, start, len));
    }

    /** What a read found in one block. */
    public sealed interface Found {
    }

    /** All zero: never written (or discarded). */
    public record Unwritten() implements Found {
    }

    public record Valid(Stamp stamp) implements Found {
    }

    /** Not a block the guest wrote, or damaged: {@code why} says what is wrong. */
    public record Corrupt(String why) implements Found {
    }

    /** Decodes and checks one block read back from {@code expectedLba}. */
    public static Found read(ByteBuffer buf, long expectedLba) {
        ByteBuffer b = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int start = b.position();
        int len = b.remaining();
        if (allZero(b, start, len)) {
            return new Unwritten();
        }
        if (b.getLong(start) != MAGIC) {
            return new Corrupt("no stamp (magic " + Long.toHexString(b.getLong(start)) + ")");
        }
        Stamp s = new Stamp(b.getLong(start + 8), b.getLong(start + 16), b.getLong(start + 24),
                b.getInt(start + 32));
        int stored = b.getInt(start + CRC_AT);
        if (stored != crc(b, start, len)) {
            return new Corrupt("checksum mismatch in block " + expectedLba + " (stamp says lba " + s.lba()
                    + ", generation " + s.generation() + ")");
        }
        if (s.lba() != expectedLba) {
            return new Corrupt("block " + expectedLba + " holds the data of block " + s.lba());
        }
        return new Valid(s);
    }

    private static int crc(ByteBuffer b, int start, int len) {
        CRC32C c = new CRC32C();
        ByteBuffer head = b.duplicate();
        head.limit(start + CRC_AT).position(start);
        c.update(head);
        ByteBuffer rest = b.duplicate();
        rest.limit(start + len).position(start + CRC_AT + 4);
        c.update(rest);
        return (int) c.getValue();
    }

    private static boolean allZero(ByteBuffer b, int start, int len) {
        int i = start;
        int end = start + len;
        for (; i + 8 <= end; i += 8) {
            if (b.getLong(i) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (b.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static long seed(Stamp s) {
        long x = s.lba() * 0x9E3779B97F4A7C15L ^ s.generation() * 0xC2B2AE3D27D4EB4FL ^ s.sequence();
        return x == 0 ? 0x2545F4914F6CDD1DL : x;
    }

    /** xorshift64: cheap, deterministic payload. */
    private static long next(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        return x;
    }
}
