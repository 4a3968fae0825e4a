package dev.blockdeck.app.model;

/** One {@code query-iothreads} entry. {@code threadId} is -1 for an iothread only known from a device link. */
public record IoThreadInfo(String id, long threadId, long pollMaxNs) {
}
