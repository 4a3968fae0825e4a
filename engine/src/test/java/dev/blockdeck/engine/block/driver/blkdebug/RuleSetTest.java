package dev.blockdeck.engine.block.driver.blkdebug;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rule state machine on its own: arming, replacing, states, once, offsets and request kinds. */
class RuleSetTest {
    private static final long ALL = IoType.DEFAULT_MASK;

    @Test
    void anEventWithApplicableInjectRulesReplacesTheArmedSet() {
        RuleSet rules = new RuleSet();
        rules.add(Rule.injectError("read_aio", 0, 5, false, false, -1, ALL));
        rules.add(Rule.injectError("write_aio", 0, 28, false, false, -1, ALL));
        rules.add(Rule.setState("l2_load", 0, 2));
        assertThat(rules.check(0, 512, IoType.READ)).isNull();
        rules.event("read_aio");
        assertThat(rules.check(0, 512, IoType.WRITE).errno()).isEqualTo(5);
        rules.event("l2_load");
        assertThat(rules.check(0, 512, IoType.WRITE).errno()).as("set-state leaves the armed set").isEqualTo(5);
        rules.event("write_aio");
        assertThat(rules.check(0, 512, IoType.READ).errno()).isEqualTo(28);
    }

    @Test
    void rulesOfAnEventSeeTheStateBeforeIt() {
        RuleSet rules = new RuleSet();
        rules.add(Rule.injectError("pwritev", 2, 5, false, false, -1, ALL));
        rules.add(Rule.setState("pwritev", 1, 2));
        rules.add(Rule.setState("pwritev", 2, 3));
        rules.event("pwritev");
        assertThat(rules.state()).isEqualTo(2);
        assertThat(rules.check(0, 1, IoType.READ)).as("the rule for state 2 was not armed by the 1->2 event")
                .isNull();
        rules.event("pwritev");
        assertThat(rules.state()).isEqualTo(3);
        assertThat(rules.check(0, 1, IoType.READ).errno()).isEqualTo(5);
    }

    @Test
    void rulesSkippedByTheirStateLeaveTheArmedSet() {
        RuleSet rules = new RuleSet();
        rules.add(Rule.injectError("none", 0, 5, false, false, -1, ALL));
        rules.add(Rule.injectError("cow_read", 7, 28, false, false, -1, ALL));
        rules.event("none");
        rules.event("cow_read");
        assertThat(rules.check(0, 1, IoType.DISCARD).errno()).isEqualTo(5);
    }

    @Test
    void theFirstSetStateRuleGivenWins() {
        RuleSet rules = new RuleSet();
        rules.add(Rule.setState("none", 0, 4));
        rules.add(Rule.setState("none", 0, 9));
        rules.event("none");
        assertThat(rules.state()).isEqualTo(4);
    }

    @Test
    void theFirstRuleGivenDecidesEvenWithErrnoZero() {
        RuleSet rules = new RuleSet();
        rules.add(Rule.injectError("none", 0, 0, true, false, -1, ALL));
        rules.add(Rule.injectError("none", 0, 5, false, false, -1, ALL));
        rules.event("none");
        assertThat(rules.check(0, 1, IoType.READ)).isNull();
        assertThat(rules.check(0, 1, IoType.READ)).as("an errno 0 rule is never used up").isNull();
    }

    @Test
    void onceRulesAreGoneForGood() {
        RuleSet rules = new RuleSet();
        rules.add(Rule.injectError("flush_to_os", 0, 5, true, true, -1, ALL));
        rules.event("flush_to_os");
        RuleSet.Injection i = rules.check(0, 0, IoType.FLUSH);
        assertThat(i.errno()).isEqualTo(5);
        assertThat(i.immediately()).isTrue();
        assertThat(rules.check(0, 0, IoType.FLUSH)).isNull();
        rules.event("flush_to_os");
        assertThat(rules.check(0, 0, IoType.FLUSH)).as("not armed again").isNull();
    }

    @Test
    void sectorsAndKindsNarrowARule() {
        RuleSet rules = new RuleSet();
        rules.add(Rule.injectError("none", 0, 5, false, false, 8, IoType.WRITE.bit()));
        rules.event("none");
        assertThat(rules.check(0, 4096, IoType.WRITE)).isNull();
        assertThat(rules.check(4095, 2, IoType.WRITE).errno()).isEqualTo(5);
        assertThat(rules.check(4096, 512, IoType.READ)).isNull();
        assertThat(rules.check(0, 0, IoType.FLUSH)).as("flushes cover no sector").isNull();
        assertThat(rules.check(4096, 0, IoType.WRITE)).as("an empty request covers nothing").isNull();
    }
}
