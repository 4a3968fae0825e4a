package dev.blockdeck.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockStampTest {

    @ParameterizedTest
    @ValueSource(ints = {512, 4096, 65536, 1000})
    void roundTripsAndDetectsEveryKindOfDamage(int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        assertThat(BlockStamp.read(b, 7)).isInstanceOf(BlockStamp.Unwritten.class);

        BlockStamp.Stamp s = new BlockStamp.Stamp(7, 3, 99, 2);
        BlockStamp.write(b, s);
        assertThat(BlockStamp.read(b, 7)).isEqualTo(new BlockStamp.Valid(s));

        // the block of another LBA (a misdirected write) is caught
        assertThat(BlockStamp.read(b, 8)).isInstanceOfSatisfying(BlockStamp.Corrupt.class,
                c -> assertThat(c.why()).contains("holds the data of block 7"));

        // any flipped byte is caught, header or payload
        for (int i : new int[] {9, 17, 40, size / 2, size - 1}) {
            ByteBuffer d = ByteBuffer.allocate(size);
            d.put(b.duplicate().rewind());
            d.rewind();
            d.put(i, (byte) (d.get(i) ^ 0x10));
            assertThat(BlockStamp.read(d, 7)).as("flip at %d", i).isInstanceOf(BlockStamp.Corrupt.class);
        }

        // foreign data is not mistaken for a stamp
        ByteBuffer junk = ByteBuffer.allocate(size);
        junk.put(0, (byte) 1);
        assertThat(BlockStamp.read(junk, 7)).isInstanceOf(BlockStamp.Corrupt.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 4096})
    void payloadDependsOnTheStamp(int size) {
        ByteBuffer a = ByteBuffer.allocate(size);
        ByteBuffer b = ByteBuffer.allocate(size);
        BlockStamp.write(a, new BlockStamp.Stamp(1, 1, 1, 0));
        BlockStamp.write(b, new BlockStamp.Stamp(1, 2, 1, 0));
        assertThat(a.array()).isNotEqualTo(b.array());
    }
}
