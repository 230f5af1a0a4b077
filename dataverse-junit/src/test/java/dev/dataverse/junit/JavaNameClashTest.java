package dev.dataverse.junit;

import dev.dataverse.DataverseRecord;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.java.DataverseBlockingClient;
import dev.dataverse.spring.DataverseAutoConfiguration;
import dev.dataverse.telemetry.DataverseOpenTelemetry;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Java code can import any public package of the library with a wildcard next to {@code java.lang}, {@code java.util},
 * {@code java.io}, {@code java.nio.file} and {@code java.time} (see {@link JavaNameClashes}): no public type is named
 * like one of theirs. dataverse-spark, whose classes need Spark on the class path, has the same test of its own.
 */
class JavaNameClashTest {

    private static final JavaNameClashes CHECK = new JavaNameClashes(System.getProperty("java.class.path"));

    /** The public packages of every published module on this module's class path. */
    private static Set<String> libraryPackages() {
        Set<String> packages = new TreeSet<>();
        for (Class<?> anchor : List.of(DataverseRecord.class, DataverseBlockingClient.class, DataverseEmulator.class,
                DataverseEmulatorExtension.class, DataverseOpenTelemetry.class, DataverseAutoConfiguration.class)) {
            try {
                packages.addAll(JavaNameClashes.packagesOf(Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI())));
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return packages;
    }

    @Test
    void noPublicTypeIsNamedLikeATypeOfTheJdkPackages() {
        Set<String> packages = libraryPackages();
        assertTrue(packages.containsAll(Set.of("dev.dataverse", "dev.dataverse.java", "dev.dataverse.emulator",
                "dev.dataverse.junit", "dev.dataverse.telemetry", "dev.dataverse.spring")), packages::toString);

        List<String> clashes = CHECK.clashes(packages);

        assertTrue(clashes.isEmpty(), () -> "Rename these, so that wildcard imports of both packages compile in Java:\n  "
                + String.join("\n  ", clashes));
    }

    @Test
    void wildcardImportsOfEachPackageAndTheJdkPackagesCompile() {
        Map<String, Set<String>> types = CHECK.publicTypes(libraryPackages());
        assertTrue(types.get("dev.dataverse").containsAll(Set.of("DataverseClient", "FileColumns", "Records")), types::toString);

        List<String> errors = CHECK.compile(types);

        assertTrue(errors.isEmpty(), () -> String.join("\n", errors));
    }

    @Test
    void bothChecksCatchAClash() {
        Set<String> fixture = Set.of("dev.dataverse.junit.fixture.clash");

        assertEquals(List.of("dev.dataverse.junit.fixture.clash.Files = java.nio.file.Files"), CHECK.clashes(fixture));
        List<String> errors = CHECK.compile(CHECK.publicTypes(fixture));
        assertEquals(1, errors.size(), () -> String.join("\n", errors));
        assertTrue(errors.get(0).contains("reference to Files is ambiguous"), errors::toString);
    }
}
