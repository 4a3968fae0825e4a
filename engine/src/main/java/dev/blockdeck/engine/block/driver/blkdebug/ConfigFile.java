package dev.blockdeck.engine.block.driver.blkdebug;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.blockdeck.engine.block.BlockException;

/**
 * Reads a blkdebug config file, QEMU's {@code -readconfig} format:
 *
 * <pre>
 * [inject-error]
 * event = "read_aio"
 * errno = "5"
 * </pre>
 *
 * Lines are taken the way QEMU's scanf patterns take them, quirks included: a line with any word on it is a key
 * (with an empty value unless {@code = "value"} follows), only a line holding nothing but blanks is a parse
 * error, and a section is handed over when the next one starts or the file ends.
 */
final class ConfigFile {
    private static final int LINE = 1024;

    private ConfigFile() {
    }

    /** Calls {@code section(group, entries)} for each section, in file order; entries keep an {@code id}. */
    static void read(String filename, BiConsumer<String, Map<String, JsonNode>> section) {
        Parser p = new Parser(section);
        for (String line : lines(filename)) {
            p.line(line);
        }
        p.end();
    }

    private static List<String> lines(String filename) {
        byte[] data;
        try {
            Path path = Path.of(filename);
            if (filename.isEmpty()) {
                throw new NoSuchFileException(filename);
            }
            if (Files.isDirectory(path)) {
                throw new BlockException("Cannot read config file: Is a directory");
            }
            data = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new BlockException("Could not read blkdebug config file: No such file or directory");
        } catch (AccessDeniedException e) {
            throw new BlockException("Could not read blkdebug config file: Permission denied");
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new BlockException("Could not read blkdebug config file: " + e.getMessage());
        }
        // fgets() pieces: up to a newline, at most LINE - 1 bytes
        String text = new String(data, StandardCharsets.ISO_8859_1);
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl + 1;
            end = Math.min(end, start + LINE - 1);
            out.add(new String(text.substring(start, end).getBytes(StandardCharsets.ISO_8859_1),
                    StandardCharsets.UTF_8));
            start = end;
        }
        return out;
    }

    /** The line-by-line state of QEMU's qemu_config_foreach. */
    private static final class Parser {
        private final BiConsumer<String, Map<String, JsonNode>> section;
        private Map<String, JsonNode> current;
        private String group = "";
        private String prevGroup = "";

        Parser(BiConsumer<String, Map<String, JsonNode>> section) {
            this.section = section;
        }

        void line(String line) {
            if (line.startsWith("\n") || line.startsWith("#")) {
                return;
            }
            if (line.startsWith("[")) {
                Map<String, JsonNode> prev = current;
                Scan s = new Scan(line, 1);
                String g = s.word(63);
                if (g != null) {
                    group = g;
                    s.blanks();
                    String id = s.literal('"') ? s.notChar('"', 63) : null;
                    if (id != null) {
                        current = new LinkedHashMap<>();
                        current.put("id", TextNode.valueOf(id));
                    }
                }
                if (current == prev) {
                    String g2 = new Scan(line, 1).notChar(']', 63);
                    if (g2 != null) {
                        group = g2;
                        current = new LinkedHashMap<>();
                    }
                }
                if (current != prev) {
                    if (prev != null) {
                        section.accept(prevGroup, prev);
                    }
                    prevGroup = group;
                    return;
                }
            }
            Scan s = new Scan(line, 0);
            s.blanks();
            String arg = s.word(63);
            if (arg == null) {
                throw new BlockException("parse error");
            }
            s.blanks();
            String value = "";
            if (s.literal('=')) {
                s.blanks();
                if (s.literal('"')) {
                    String v = s.notChar('"', 1023);
                    if (v != null) {
                        value = v;
                    }
                }
            }
            if (current == null) {
                throw new BlockException("no group defined");
            }
            current.put(arg, TextNode.valueOf(value));
        }

        void end() {
            if (current != null) {
                section.accept(group, current);
            }
        }
    }

    /** The pieces of sscanf this format uses: %Ns, %N[^c], blanks and literal characters. */
    private static final class Scan {
        private final String s;
        private int pos;

        Scan(String s, int pos) {
            this.s = s;
            this.pos = pos;
        }

        void blanks() {
            while (pos < s.length() && isSpace(s.charAt(pos))) {
                pos++;
            }
        }

        /** %Ns: skips blanks, then 1..max non-blank characters; null if there are none. */
        String word(int max) {
            blanks();
            int start = pos;
            while (pos < s.length() && pos - start < max && !isSpace(s.charAt(pos))) {
                pos++;
            }
            return pos > start ? s.substring(start, pos) : null;
        }

        /** %N[^c]: 1..max characters other than {@code c}; null if there are none. */
        String notChar(char c, int max) {
            int start = pos;
            while (pos < s.length() && pos - start < max && s.charAt(pos) != c) {
                pos++;
            }
            return pos > start ? s.substring(start, pos) : null;
        }

        boolean literal(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private static boolean isSpace(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
        }
    }
}
