/**
 * The I/O tab's arithmetic, in plain Java: {@code query-blockstats} samples, the rates between two samples, the
 * last minute of them per drive and per AioContext, and the engine's guest workloads (their start arguments and
 * their counters). No JavaFX and no QMP client here: the ViewModel feeds the answers in.
 */
package dev.blockdeck.app.io;
