package dev.blockdeck.engine.block.snapshot;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One internal snapshot as the block layer sees it (QEMU's QEMUSnapshotInfo): id, name, VM state size, wall-clock
 * date, virtual clock, and the instruction count ({@code icount}, -1 when unused).
 */
public record InternalSnapshot(String id, String name, long vmStateSize, long dateSec, long dateNsec,
        long vmClockNsec, long icount) {

    private static final long NS = 1_000_000_000L;

    /** QMP's SnapshotInfo: the virtual clock split into seconds and nanoseconds, icount only when used. */
    public ObjectNode toSnapshotInfo() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("id", id);
        o.put("name", name);
        o.put("vm-state-size", vmStateSize);
        o.put("date-sec", dateSec);
        o.put("date-nsec", dateNsec);
        o.put("vm-clock-sec", Long.divideUnsigned(vmClockNsec, NS));
        o.put("vm-clock-nsec", Long.remainderUnsigned(vmClockNsec, NS));
        if (icount != -1) {
            o.put("icount", icount);
        }
        return o;
    }
}
