package dev.blockdeck.app.move;

import com.fasterxml.jackson.databind.JsonNode;
import dev.blockdeck.app.model.QmpCommands;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What the VM can do about AioContexts, from its {@code query-commands}: the engine moves devices live with its
 * downstream command; QEMU 7.2 moves only nodes no device uses.
 *
 * @param liveDeviceMove {@value MoveDriveCommand#DEVICE_SET_IOTHREAD} exists (the engine)
 * @param nodeMove       {@value MoveDriveCommand#SET_IOTHREAD} exists
 */
public record Capabilities(boolean liveDeviceMove, boolean nodeMove) {

    /** When query-commands fails: assume a QEMU and let it answer each command itself. */
    public static final Capabilities UNKNOWN = new Capabilities(false, true);

    public static CompletableFuture<Capabilities> read(QmpCommands qmp) {
        CompletableFuture<JsonNode> answer;
        try {
            answer = qmp.execute("query-commands", null);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(UNKNOWN);
        }
        return answer.handle((list, error) -> {
            if (error != null || list == null || !list.isArray()) {
                return UNKNOWN;
            }
            Set<String> names = new HashSet<>();
            list.forEach(c -> names.add(c.path("name").asText()));
            return new Capabilities(names.contains(MoveDriveCommand.DEVICE_SET_IOTHREAD),
                    names.contains(MoveDriveCommand.SET_IOTHREAD));
        });
    }
}
