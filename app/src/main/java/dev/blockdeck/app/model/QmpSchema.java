package dev.blockdeck.app.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a VM's {@code query-qmp-schema} says about its commands, for completing a command line: command
 * names, their argument members (through flat unions, following the tag's value) and enum values. QEMU
 * masks most type names as numbers, so only meta-types and built-in names are shown. Immutable.
 */
public final class QmpSchema {

    /** One member an argument object may have. {@code type} is the schema's type name (maybe masked). */
    public record Member(String name, String type, boolean optional) {
    }

    public static final QmpSchema EMPTY = new QmpSchema(Map.of(), Map.of());

    /** command → arg-type name (null when only the name is known, from {@code query-commands}) */
    private final Map<String, String> commands;
    private final Map<String, JsonNode> types;

    private QmpSchema(Map<String, String> commands, Map<String, JsonNode> types) {
        this.commands = commands;
        this.types = types;
    }

    /** From {@code query-qmp-schema}'s return value. */
    public static QmpSchema parse(JsonNode schema) {
        Map<String, String> commands = new HashMap<>();
        Map<String, JsonNode> types = new HashMap<>();
        for (JsonNode e : schema) {
            String name = e.path("name").asText();
            if ("command".equals(e.path("meta-type").asText())) {
                commands.put(name, e.path("arg-type").asText(null));
            } else {
                types.put(name, e);
            }
        }
        return new QmpSchema(commands, types);
    }

    /** Names only ({@code query-commands}), for a VM without introspection. */
    public static QmpSchema ofCommandNames(Collection<String> names) {
        Map<String, String> commands = new HashMap<>();
        names.forEach(n -> commands.put(n, null));
        return new QmpSchema(commands, Map.of());
    }

    /** Every command, sorted. */
    public List<String> commands() {
        return List.copyOf(new TreeSet<>(commands.keySet()));
    }

    public boolean hasCommand(String name) {
        return commands.containsKey(name);
    }

    /** True when the command is known to take arguments (unknown when only names were read: true). */
    public boolean takesArguments(String command) {
        String type = commands.get(command);
        return type == null || !members(type, null).isEmpty();
    }

    /**
     * The members an argument object may have at {@code path} (empty: the top level; {@code ["cache"]}: inside
     * the {@code cache} member), given what is already there ({@code given}, for the union tags), in schema
     * order.
     */
    public List<Member> arguments(String command, List<String> path, ObjectNode given) {
        String type = commands.get(command);
        JsonNode at = given;
        for (String step : path) {
            if (type == null) {
                return List.of();
            }
            Member m = members(type, at).get(step);
            if (m == null) {
                return List.of();
            }
            type = m.type();
            at = at == null ? null : at.get(step);
        }
        return type == null ? List.of() : List.copyOf(members(type, at instanceof ObjectNode o ? o : null).values());
    }

    /** The allowed values of a member's type: enum values, or {@code true}/{@code false}. */
    public List<String> values(String type) {
        if ("bool".equals(type)) {
            return List.of("true", "false");
        }
        JsonNode t = types.get(type);
        if (t == null || !"enum".equals(t.path("meta-type").asText())) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        t.path("values").forEach(v -> values.add(v.asText()));
        return values;
    }

    /** How a type reads next to a member: built-in names as they are, masked ones by their meta-type. */
    public String describeType(String type) {
        JsonNode t = types.get(type);
        if (t == null) {
            return type;
        }
        return switch (t.path("meta-type").asText()) {
            case "builtin" -> t.path("json-type").asText(type);
            case "array" -> "array of " + describeType(t.path("element-type").asText());
            case "enum" -> "enum (" + t.path("values").size() + " values)";
            case "object" -> "object";
            case "alternate" -> "alternate";
            default -> t.path("meta-type").asText(type);
        };
    }

    /** Members of an object type, with those of the variant its tag selects in {@code given}. */
    private Map<String, Member> members(String type, JsonNode given) {
        Map<String, Member> out = new LinkedHashMap<>();
        JsonNode t = types.get(type);
        if (t == null) {
            return out;
        }
        if ("alternate".equals(t.path("meta-type").asText())) {
            // an alternate is an object when one of its branches is: complete that branch's members
            for (JsonNode m : t.path("members")) {
                JsonNode branch = types.get(m.path("type").asText());
                if (branch != null && "object".equals(branch.path("meta-type").asText())) {
                    return members(m.path("type").asText(), given);
                }
            }
            return out;
        }
        if (!"object".equals(t.path("meta-type").asText())) {
            return out;
        }
        for (JsonNode m : t.path("members")) {
            String name = m.path("name").asText();
            out.put(name, new Member(name, m.path("type").asText(), m.has("default")));
        }
        String tag = t.path("tag").asText(null);
        JsonNode tagValue = tag == null || given == null ? null : given.get(tag);
        if (tagValue != null && tagValue.isTextual()) {
            for (JsonNode v : t.path("variants")) {
                if (v.path("case").asText().equals(tagValue.asText())) {
                    members(v.path("type").asText(), given).forEach(out::putIfAbsent);
                }
            }
        }
        return out;
    }
}
