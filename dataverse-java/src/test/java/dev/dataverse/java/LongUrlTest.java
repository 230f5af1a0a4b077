package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dataverse.Filter;
import dev.dataverse.ListOptions;
import dev.dataverse.emulator.FaultKind;
import dev.dataverse.emulator.FaultRule;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Long queries through the blocking client. Learn, "Compose HTTP requests and handle errors", "Maximum URL length": the
 * service accepts URLs of up to 32 KB, and 64 KB for a GET inside {@code $batch}. A fault rule that refuses the route
 * the client should not take shows which one it took.
 */
class LongUrlTest extends EmulatorTestSupport {

    private static final Set<String> WANTED = Set.of("Long 0003", "Long 0500");

    @BeforeEach
    void createAccounts() {
        Stream.concat(WANTED.stream(), Stream.of("Other")).forEach(name -> records.create("account", Map.of("name", name)));
    }

    @AfterEach
    void clearFaults() {
        emulator.faults().clear();
    }

    /** {@code name eq 'Long 0000' or ...}: at least 23 characters a clause, about 37 once percent-encoded. */
    private static String anyName(int clauses) {
        return IntStream.range(0, clauses).mapToObj(i -> String.format("name eq 'Long %04d'", i)).collect(Collectors.joining(" or "));
    }

    private Set<String> names(ListOptions options) {
        try (Stream<dev.dataverse.DataverseRecord> rows = records.list("account", options).stream()) {
            return rows.map(row -> row.getString("name")).collect(Collectors.toSet());
        }
    }

    @Test
    void maximumUrlLengthAQueryBetween8And32KbIsAPlainGet() {
        emulator.faults().add(new FaultRule(FaultKind.REQUEST_TOO_LARGE, 1.0, Set.of(), "\\$batch"));
        ListOptions options = ListOptions.builder().select("name").filter(Filter.raw(anyName(540))).build(); // 12 to 20 KB

        assertEquals(WANTED, names(options));
        assertEquals(0, emulator.getStats().faultsInjected(FaultKind.REQUEST_TOO_LARGE));
    }

    @Test
    void maximumUrlLengthAQueryOver32KbGoesInsideBatch() {
        emulator.faults().add(new FaultRule(FaultKind.REQUEST_TOO_LARGE, 1.0, Set.of("GET"), "accounts"));
        ListOptions options = ListOptions.builder().select("name").filter(Filter.raw(anyName(1_500))).build(); // 34 to 56 KB
        long before = requests();

        assertEquals(WANTED, names(options));
        assertEquals(1, requests() - before);
        assertEquals(0, emulator.getStats().faultsInjected(FaultKind.REQUEST_TOO_LARGE));
    }
}
