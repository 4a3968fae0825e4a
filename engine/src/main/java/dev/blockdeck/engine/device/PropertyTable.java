package dev.blockdeck.engine.device;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The QOM properties QEMU 7.2 shows for one device type, recorded from it (a {@code .props} resource of this
 * package): names and types in qom-list's order, how qom-set treats each once the device is realized, and the value
 * QEMU showed. The order is an artefact of QEMU's hash tables, so it is recorded rather than derived; the device
 * models compute every value that depends on the device (addresses, paths, links, geometry).
 */
record PropertyTable(String typename, List<Row> rows) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How qom-set treats a property of a realized device. */
    enum SetterKind {
        /** Not writable at all (getter only). */
        RO,
        /** A qdev property: refused once realized, naming this device. */
        QDEV,
        /** An alias of the virtio-blk-device's qdev property: refused naming that (anonymous) device. */
        BACKEND,
        /** The {@code iothread} link. */
        LINK,
        /** The {@code drive} property. */
        DRIVE,
        /** {@code bootindex}: writable at any time. */
        BOOTINDEX,
        /** {@code realized}. */
        REALIZED
    }

    /** One property; {@code value} is null when QEMU refuses to read it. */
    record Row(String name, String type, SetterKind setter, JsonNode value) {
        boolean isChild() {
            return type.startsWith("child<");
        }
    }

    static PropertyTable load(String typename, String resource) {
        try (InputStream in = PropertyTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            List<Row> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", 4);
                JsonNode v = f[3].equals("!unreadable") ? null : JSON.readTree(f[3]);
                rows.add(new Row(f[0], f[1], SetterKind.valueOf(f[2].toUpperCase()), v));
            }
            return new PropertyTable(typename, List.copyOf(rows));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table with property {@code from} called {@code to} (a root port's bus child takes the port's name). */
    PropertyTable renamed(String from, String to) {
        return new PropertyTable(typename, rows.stream()
                .map(r -> r.name().equals(from) ? new Row(to, r.type(), r.setter(), r.value()) : r).toList());
    }

    Optional<Row> row(String name) {
        return rows.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /**
     * Whether an unrealized device of this type has the property (device_add's "not found" check): memory regions
     * appear only when the device is realized.
     */
    boolean settableBeforeRealize(String name) {
        return row(name).filter(r -> !r.type().equals("child<memory-region>")).isPresent();
    }
}
