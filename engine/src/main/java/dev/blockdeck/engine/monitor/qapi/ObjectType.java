package dev.blockdeck.engine.monitor.qapi;

import java.util.ArrayList;
import java.util.List;

/**
 * A QAPI struct. Members are in schema order, which is the order QEMU checks and emits them in.
 * {@code features} are the type's own (e.g. BlockdevOptionsFile's {@code dynamic-auto-read-only}).
 */
public record ObjectType(String name, List<Member> members, List<String> features) implements QapiType {
    /** QEMU's empty argument type ({@code q_empty}). */
    public static final ObjectType EMPTY = new ObjectType("q_empty", List.of());

    public ObjectType {
        members = List.copyOf(members);
        features = List.copyOf(features);
    }

    public ObjectType(String name, List<Member> members) {
        this(name, members, List.of());
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
        private final List<String> features = new ArrayList<>();

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

        /** A member with features (e.g. {@code unstable}, {@code deprecated}). */
        public Builder member(Member m) {
            members.add(m);
            return this;
        }

        /** Features of the type itself. */
        public Builder features(String... f) {
            features.addAll(List.of(f));
            return this;
        }

        public ObjectType build() {
            return new ObjectType(name, members, features);
        }
    }
}
