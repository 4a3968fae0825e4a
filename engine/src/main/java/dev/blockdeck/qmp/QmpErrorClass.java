package dev.blockdeck.qmp;

/** QEMU's {@code QapiErrorClass}: the {@code class} member of every QMP error response. */
public enum QmpErrorClass {
    GenericError,
    CommandNotFound,
    DeviceNotActive,
    DeviceNotFound,
    KVMMissingCap
}
