package dev.blockdeck.engine.block;

/** Operations that can be blocked on a node (QEMU's BlockOpType); jobs and backing links add blockers. */
public enum BlockOp {
    BACKUP_SOURCE, BACKUP_TARGET, CHANGE, COMMIT_SOURCE, COMMIT_TARGET, DATAPLANE, DRIVE_DEL, EJECT,
    EXTERNAL_SNAPSHOT, INTERNAL_SNAPSHOT, INTERNAL_SNAPSHOT_DELETE, MIRROR_SOURCE, MIRROR_TARGET, RESIZE, STREAM,
    REPLACE
}
