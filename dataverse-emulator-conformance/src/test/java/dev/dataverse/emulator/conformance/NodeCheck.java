package dev.dataverse.emulator.conformance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The outcome of one node:test check, as the suite's reporter ({@code reporter.mjs}) writes it: a line of tab-separated
 * fields, the text ones Base64-encoded.
 */
record NodeCheck(String status, String file, long durationMs, List<String> path, String message, String reason) {

    static NodeCheck parse(String line) {
        String[] fields = line.split("\t", -1);
        if (fields.length != 6) {
            throw new IllegalArgumentException("Not a line of the conformance reporter: " + line);
        }
        List<String> path = Arrays.stream(fields[3].split(",")).map(NodeCheck::decode).toList();
        return new NodeCheck(fields[0], fields[1], Long.parseLong(fields[2]), path, decode(fields[4]), decode(fields[5]));
    }

    /** This check as run from [name], the test file node was given (the reporter may not see file names). */
    NodeCheck inFile(String name) {
        return new NodeCheck(status, name, durationMs, path, message, reason);
    }

    /** The check's own name (the last element of its path). */
    String name() {
        return path.get(path.size() - 1);
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
