package dev.blockdeck.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpectedContentsTest {
    private static BlockStamp.Found gen(long lba, long g) {
        return new BlockStamp.Valid(new BlockStamp.Stamp(lba, g, 0, 0));
    }

    @Test
    void acceptsOldOrNewWhileAWriteIsInFlightAndOnlyNewAfter() {
        ExpectedContents e = new ExpectedContents(4);
        assertThat(e.check(1, new BlockStamp.Unwritten(), e.completed(1))).isNull();
        long g1 = e.nextGeneration(1);
        e.writeStarted(1, g1);
        assertThat(e.check(1, new BlockStamp.Unwritten(), ExpectedContents.NEVER)).isNull();
        assertThat(e.check(1, gen(1, g1), ExpectedContents.NEVER)).isNull();
        e.writeCompleted(1, g1);
        assertThat(e.check(1, new BlockStamp.Unwritten(), e.completed(1))).contains("never written");
        assertThat(e.check(1, gen(1, g1 + 1), e.completed(1))).contains("never written");
        long g2 = e.nextGeneration(1);
        assertThat(g2).isEqualTo(g1 + 1);
        e.writeStarted(1, g2);
        long atIssue = e.completed(1);
        assertThat(e.check(1, gen(1, g1), atIssue)).isNull();
        assertThat(e.check(1, gen(1, g2), atIssue)).isNull();
        e.writeCompleted(1, g2);
        assertThat(e.check(1, gen(1, g1), e.completed(1))).contains("older");
    }

    @Test
    void patternsAndPacing() {
        AccessPattern seq = AccessPattern.of("sequential", 3, 0);
        assertThat(new int[] {seq.next(), seq.next(), seq.next(), seq.next()}).containsExactly(0, 1, 2, 0);
        AccessPattern rnd = AccessPattern.of("random", 10, 42);
        for (int i = 0; i < 1000; i++) {
            assertThat(rnd.next()).isBetween(0, 9);
        }
        RateLimiter r = new RateLimiter(1000); // one per millisecond
        assertThat(r.delayNs(0L + 5)).isZero();
        assertThat(r.delayNs(5 + 100_000)).isEqualTo(900_000);
        assertThat(r.delayNs(5 + 1_000_000)).isZero();
        assertThat(new RateLimiter(0).delayNs(1)).isZero();
    }
}
