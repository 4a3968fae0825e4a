package dev.blockdeck.engine.job;

/**
 * QEMU 7.2's job state machine as its two tables (job.c's JobSTT and JobVerbTable): which status may follow
 * which, and which verb each status accepts. Columns: U C R P Y S W D X E N.
 */
final class JobTables {
    private static final int[][] TRANSITIONS = {
        /* U */ {0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        /* C */ {0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1},
        /* R */ {0, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0},
        /* P */ {0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0},
        /* Y */ {0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0},
        /* S */ {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0},
        /* W */ {0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0},
        /* D */ {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0},
        /* X */ {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0},
        /* E */ {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
        /* N */ {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    };

    private static final int[][] VERBS = {
        /* cancel    */ {0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0},
        /* pause     */ {0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0},
        /* resume    */ {0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0},
        /* set-speed */ {0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0},
        /* complete  */ {0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0},
        /* finalize  */ {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0},
        /* dismiss   */ {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0},
    };

    private JobTables() {
    }

    static boolean mayMove(JobStatus from, JobStatus to) {
        return TRANSITIONS[from.ordinal()][to.ordinal()] == 1;
    }

    static boolean accepts(JobStatus s, JobVerb v) {
        return VERBS[v.ordinal()][s.ordinal()] == 1;
    }
}
