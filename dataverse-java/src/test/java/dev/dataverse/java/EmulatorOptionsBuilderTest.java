package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.emulator.EmulatorOptions;
import dev.dataverse.emulator.FaultKind;
import dev.dataverse.emulator.FaultRule;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Java builds emulator options with the builder, naming every value; there is no constructor per number of arguments. */
class EmulatorOptionsBuilderTest {

    @Test
    void theBuilderNamesEachOptionAndToBuilderChangesAFew() {
        FaultRule throttle = FaultRule.builder(FaultKind.THROTTLE_REQUESTS).probability(0.5).build();
        EmulatorOptions options = EmulatorOptions.builder()
                .maxPageSize(100)
                .concurrencyLimit(8)
                .addFault(throttle)
                .bulkUnsupportedTables(Set.of("Contact"))
                .changeTrackingRetention(Duration.ofDays(1))
                .build();
        assertEquals(100, options.getMaxPageSize());
        assertEquals(8, options.getConcurrencyLimit());
        assertEquals(java.util.List.of(throttle), options.getFaults());
        assertEquals(Set.of("contact"), options.getBulkUnsupportedTables());
        assertEquals(new EmulatorOptions().getDopHint(), options.getDopHint());

        EmulatorOptions changed = options.toBuilder().concurrencyLimit(0).build();
        assertEquals(0, changed.getConcurrencyLimit());
        assertEquals(options.getFaults(), changed.getFaults());
        assertEquals(options, changed.toBuilder().concurrencyLimit(8).build());
    }

    @Test
    void anOutOfRangeValueIsRefusedAtBuildNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmulatorOptions.builder().maxPageSize(0).build());
        assertTrue(e.getMessage().contains("maxPageSize"), e.getMessage());
    }

    @Test
    void javaSeesTheDefaultsConstructorAndTheFullOneButNoTelescopingOverloads() {
        long publicConstructors = Arrays.stream(EmulatorOptions.class.getConstructors())
                .filter(c -> Modifier.isPublic(c.getModifiers()) && !c.isSynthetic())
                .map(Constructor::getParameterCount)
                .distinct()
                .count();
        assertEquals(2, publicConstructors);
    }
}
