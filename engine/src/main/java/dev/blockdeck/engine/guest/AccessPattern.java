package dev.blockdeck.engine.guest;

import java.util.SplittableRandom;

/** Which block the next request goes to: sequential (wrapping) or uniformly random. */
public abstract sealed class AccessPattern {
    /** The next block number in [0, blocks). */
    public abstract int next();

    public static AccessPattern of(String name, int blocks, long seed) {
        return switch (name) {
            case "sequential" -> new Sequential(blocks);
            case "random" -> new Random(blocks, seed);
            default -> throw new IllegalArgumentException("unknown pattern " + name);
        };
    }

    static final class Sequential extends AccessPattern {
        private final int blocks;
        private int next;

        Sequential(int blocks) {
            this.blocks = blocks;
        }

        @Override
        public int next() {
            int b = next;
            next = (next + 1) % blocks;
            return b;
        }
    }

    static final class Random extends AccessPattern {
        private final int blocks;
        private final SplittableRandom random;

        Random(int blocks, long seed) {
            this.blocks = blocks;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public int next() {
            return random.nextInt(blocks);
        }
    }
}
