package dev.blockdeck.engine.qom;

import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * QOM path resolution as QEMU does it. An absolute path ({@code /objects/io1}) walks down from the
 * root, skipping empty components. Any other path is partial: it may start at any object of the tree,
 * and is ambiguous when it leads to the wanted kind of object from more than one place ({@code ""}
 * matches every object, so it is ambiguous as soon as two qualify).
 */
public final class QomPaths {
    /** The object found, or null; {@code ambiguous} tells a partial path with several matches. */
    public record Resolution(QomObject object, boolean ambiguous) {
    }

    private QomPaths() {
    }

    public static Resolution resolve(QomObject root, String path, Predicate<QomObject> wanted) {
        List<String> parts = split(path);
        if (!parts.isEmpty() && parts.get(0).isEmpty()) {
            return new Resolution(absolute(root, parts.subList(1, parts.size()), wanted), false);
        }
        boolean[] ambiguous = new boolean[1];
        QomObject found = partial(root, parts, wanted, ambiguous);
        return new Resolution(ambiguous[0] ? null : found, ambiguous[0]);
    }

    /** g_strsplit(path, "/", 0): the empty string has no parts at all. */
    private static List<String> split(String path) {
        return path.isEmpty() ? List.of() : Arrays.asList(path.split("/", -1));
    }

    private static QomObject absolute(QomObject from, List<String> parts, Predicate<QomObject> wanted) {
        QomObject o = from;
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            o = o.resolveComponent(part).orElse(null);
            if (o == null) {
                return null;
            }
        }
        return wanted.test(o) ? o : null;
    }

    private static QomObject partial(QomObject from, List<String> parts, Predicate<QomObject> wanted,
                                     boolean[] ambiguous) {
        QomObject found = absolute(from, parts, wanted);
        for (QomObject child : from.children()) {
            QomObject below = partial(child, parts, wanted, ambiguous);
            if (below != null) {
                if (found != null) {
                    ambiguous[0] = true;
                    return null;
                }
                found = below;
            }
            if (ambiguous[0]) {
                return null;
            }
        }
        return found;
    }
}
