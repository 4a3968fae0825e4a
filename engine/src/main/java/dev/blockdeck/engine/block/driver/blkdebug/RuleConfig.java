package dev.blockdeck.engine.block.driver.blkdebug;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.blockdeck.engine.block.BlockException;
import dev.blockdeck.engine.block.DebugEvents;
import dev.blockdeck.engine.block.NodeOptions;
import dev.blockdeck.engine.block.driver.blkdebug.OptsList.Kind;
import dev.blockdeck.engine.block.driver.blkdebug.OptsList.Opts;
import dev.blockdeck.qmp.json.QdictOrder;

/**
 * Where blkdebug's rules come from (QEMU's read_config): the sections of the config file, then the node's own
 * {@code inject-error.*} and {@code set-state.*} options (one section, or a list {@code inject-error.0.*}, ...);
 * all inject-error rules are added before the set-state rules, each list in order.
 */
final class RuleConfig {
    private final OptsList injectError = new OptsList("inject-error", ordered(
            "event", Kind.STRING, "state", Kind.NUMBER, "iotype", Kind.STRING, "errno", Kind.NUMBER,
            "sector", Kind.NUMBER, "once", Kind.BOOL, "immediately", Kind.BOOL));
    private final OptsList setState = new OptsList("set-state", ordered(
            "event", Kind.STRING, "state", Kind.NUMBER, "new_state", Kind.NUMBER));

    private RuleConfig() {
    }

    /** Reads the rules into {@code rules}; removes the rule options from {@code options}. */
    static void read(String configFile, NodeOptions options, RuleSet rules) {
        RuleConfig c = new RuleConfig();
        if (configFile != null) {
            ConfigFile.read(configFile, c::fileSection);
        }
        c.optionSections(options, c.injectError);
        c.optionSections(options, c.setState);
        for (Opts o : c.injectError.sections()) {
            rules.add(injectErrorRule(o));
        }
        for (Opts o : c.setState.sections()) {
            rules.add(setStateRule(o));
        }
    }

    private static Map<String, Kind> ordered(Object... pairs) {
        Map<String, Kind> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Kind) pairs[i + 1]);
        }
        return m;
    }

    /** A config file section: qemu_opts_from_qdict, every key must be an option of the group. */
    private void fileSection(String group, Map<String, JsonNode> entries) {
        OptsList list = group.equals(injectError.name()) ? injectError
                : group.equals(setState.name()) ? setState : null;
        if (list == null) {
            throw new BlockException("There is no option group '" + group + "'");
        }
        JsonNode id = entries.get("id");
        Opts o = list.create(id != null ? id.textValue() : null);
        Iterator<Map.Entry<String, JsonNode>> it = QdictOrder.entries(OptsList.toObject(entries));
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("id")) {
                try {
                    list.set(o, e.getKey(), e.getValue().textValue());
                } catch (BlockException ex) {
                    list.delete(o);
                    throw ex;
                }
            }
        }
    }

    /** QEMU's config_parse_qdict_section for {@code list.name()}. */
    private void optionSections(NodeOptions options, OptsList list) {
        NodeOptions sub = options.extract(list.name());
        if (sub.isEmpty()) {
            return;
        }
        Map<String, JsonNode> entries = new LinkedHashMap<>();
        sub.keyList().forEach(k -> entries.put(k, sub.get(k)));
        int origSize = entries.size();
        Opts single = list.create(null);
        list.absorb(single, entries);
        if (entries.isEmpty()) {
            return; // one section given as inject-error.event=..., inject-error.errno=...
        }
        if (entries.size() < origSize) {
            throw new BlockException("Unknown option '" + firstKey(entries) + "' for [" + list.name() + "]");
        }
        list.delete(single);
        List<Map<String, JsonNode>> sections = arraySplit(entries);
        if (!entries.isEmpty()) {
            throw new BlockException("Unused option '" + firstKey(entries) + "' for [" + list.name() + "]");
        }
        for (int i = 0; i < sections.size(); i++) {
            Map<String, JsonNode> section = sections.get(i);
            if (section == null) {
                throw new BlockException("[" + list.name() + "] section (index " + i
                        + ") does not consist of keys");
            }
            Opts o = list.create(list.name() + "." + i);
            try {
                list.absorb(o, section);
            } catch (BlockException e) {
                list.delete(o);
                throw e;
            }
            if (!section.isEmpty()) {
                list.delete(o);
                throw new BlockException("[" + list.name() + "] section doesn't support the option '"
                        + firstKey(section) + "'");
            }
        }
    }

    private static String firstKey(Map<String, JsonNode> entries) {
        return QdictOrder.entries(OptsList.toObject(entries)).next().getKey();
    }

    /**
     * QEMU's qdict_array_split: element i is either the value under "i" (not a dictionary: null here) or the
     * entries under "i."; the list ends at the first index with neither, or with both.
     */
    private static List<Map<String, JsonNode>> arraySplit(Map<String, JsonNode> src) {
        List<Map<String, JsonNode>> out = new ArrayList<>();
        for (int i = 0; ; i++) {
            String index = Integer.toString(i);
            String prefix = index + ".";
            boolean hasScalar = src.containsKey(index);
            boolean hasDict = src.keySet().stream().anyMatch(k -> k.startsWith(prefix));
            if (hasScalar == hasDict) {
                return out;
            }
            if (hasDict) {
                Map<String, JsonNode> d = new LinkedHashMap<>();
                src.entrySet().removeIf(e -> {
                    if (e.getKey().startsWith(prefix)) {
                        d.put(e.getKey().substring(prefix.length()), e.getValue());
                        return true;
                    }
                    return false;
                });
                out.add(d);
            } else {
                src.remove(index);
                out.add(null);
            }
        }
    }

    private static String event(Opts o) {
        String name = o.get("event");
        if (name == null) {
            throw new BlockException("Missing event name for rule");
        }
        if (!DebugEvents.ALL.contains(name)) {
            throw new BlockException("invalid parameter value: " + name);
        }
        return name;
    }

    private static Rule injectErrorRule(Opts o) {
        String event = event(o);
        int state = (int) OptsList.number(o, "state", 0);
        int errno = (int) OptsList.number(o, "errno", 5);
        boolean once = OptsList.bool(o, "once", false);
        boolean immediately = OptsList.bool(o, "immediately", false);
        long sector = OptsList.number(o, "sector", -1);
        String iotype = o.get("iotype");
        long mask = IoType.DEFAULT_MASK;
        if (iotype != null) {
            IoType t = IoType.byName(iotype);
            if (t == null) {
                throw new BlockException("invalid parameter value: " + iotype);
            }
            mask = t.bit();
        }
        return Rule.injectError(event, state, errno, once, immediately, sector, mask);
    }

    private static Rule setStateRule(Opts o) {
        String event = event(o);
        int state = (int) OptsList.number(o, "state", 0);
        int newState = (int) OptsList.number(o, "new_state", 0);
        return Rule.setState(event, state, newState);
    }
}
