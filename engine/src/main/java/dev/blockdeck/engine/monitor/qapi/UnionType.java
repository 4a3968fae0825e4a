package dev.blockdeck.engine.monitor.qapi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A QAPI flat union: the base members (one of them, the tag, is an enum) plus the members of the
 * variant the tag selects (e.g. BlockdevOptions by {@code driver}, ObjectOptions by {@code qom-type}).
 * Only the variants this engine implements are declared; their enum lists only those values.
 */
public record UnionType(String name, ObjectType base, String tag, Map<String, ObjectType> variants)
        implements QapiType {

    public UnionType {
        variants = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variants));
        QapiType tagType = base.members().stream().filter(m -> m.name().equals(tag)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + ": no tag member " + tag)).type();
        if (!(tagType instanceof EnumType e) || !e.values().containsAll(variants.keySet())) {
            throw new IllegalArgumentException(name + ": tag " + tag + " must be an enum covering the variants");
        }
    }

    @Override
    public String expectedName() {
        return "object";
    }

    /** The variant for a tag value; a value without declared members has an empty variant. */
    public ObjectType variant(String tagValue) {
        return variants.getOrDefault(tagValue, ObjectType.EMPTY);
    }
}
