package dev.blockdeck.engine.monitor.qapi;

import java.util.ArrayList;
import java.util.List;

/** A QAPI struct. Members are in schema order, which is the order QEMU checks and emits them in. */
public record ObjectType(String name, List<Member> members) implements QapiType {
    /** QEMU's empty argument type ({@code q_empty}). */
    public static final ObjectType EMPTY = new ObjectType("q_empty", List.of());

    public ObjectType {
        members = List.copyOf(members);
    }

    @Override
    public String expectedName() {
        return "object";
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Fluent declaration: {@code ObjectType.builder("X").required("a", STR).optional("b", INT).build()}. */
    public static final class Builder {
        private final String name;
        private final List<Member> members = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder required(String member, QapiType type) {
            members.add(Member.required(member, type));
            return this;
        }

        public Builder optional(String member, QapiType type) {
            members.add(Member.optional(member, type));
            return this;
        }

        public ObjectType build() {
            return new ObjectType(name, members);
        }
    }
}
