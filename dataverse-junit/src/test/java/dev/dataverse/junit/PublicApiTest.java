package dev.dataverse.junit;

import dev.dataverse.DataverseRecord;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.java.DataverseBlockingClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the public surface of every published module (those of the BOM) free of Kotlin leaks, and every change of it
 * visible in review. A leak is anything Java sees that names a Kotlin type ({@code kotlin.*} in any form, {@code kotlinx.*})
 * or a type of an {@code internal} package, in a member's signature or in a class declaration; a Kotlin {@code internal}
 * member, constructor, class or constant that is public in bytecode; a name javac cannot call; or an empty Kotlin file
 * facade. The allow-list is empty and stays so: fix the API instead.
 *
 * <p>Each module's surface is compared with its checked-in dump {@code <module>/api/<module>.api}. After an intended
 * change of the public API, regenerate the dumps and review the diff:
 * <pre>./mvnw -o -B verify -pl dataverse-junit -am -Dtest=PublicApiTest -Dsurefire.failIfNoSpecifiedTests=false -Dapi.update=true</pre>
 */
class PublicApiTest {

    /**
     * The core's coroutine API: its suspend and Flow members are the Kotlin API by design, and Java code reaches the same
     * operations through dataverse-java's blocking and CompletableFuture facades. Every other member of these types is
     * still checked.
     */
    private static final Set<String> COROUTINE_API_TYPES = Set.of(
            "dev.dataverse.DataverseClient", "dev.dataverse.Records", "dev.dataverse.Query", "dev.dataverse.Tables",
            "dev.dataverse.FileColumns", "dev.dataverse.Messages", "dev.dataverse.Search", "dev.dataverse.Batch", "dev.dataverse.TokenProvider", "dev.dataverse.HttpPolicy",
            "dev.dataverse.HttpPipeline", "dev.dataverse.model.TypedTable");

    /** Members allowed to mention a Kotlin type, each with the reason. Empty: fix the API instead. */
    private static final Map<String, String> ALLOWED = Map.of();

    static List<ApiSurface> modules() {
        return List.of(
                ApiSurface.of("dataverse-core", DataverseRecord.class),
                ApiSurface.of("dataverse-java", DataverseBlockingClient.class),
                ApiSurface.of("dataverse-emulator", DataverseEmulator.class),
                ApiSurface.of("dataverse-junit", DataverseEmulatorExtension.class),
                ApiSurface.of("dataverse-telemetry", dev.dataverse.telemetry.DataverseOpenTelemetry.class),
                ApiSurface.of("dataverse-jackson", dev.dataverse.jackson.DataverseJacksonModule.class),
                ApiSurface.of("dataverse-spring-boot-starter", dev.dataverse.spring.DataverseAutoConfiguration.class),
                ApiSurface.of("dataverse-spark", dev.dataverse.spark.DataverseDataSource.class),
                ApiSurface.of("dataverse-codegen", dev.dataverse.codegen.CodeGenerator.class),
                ApiSurface.of("dataverse-maven-plugin", dev.dataverse.maven.GenerateMojo.class));
    }

    @ParameterizedTest
    @MethodSource("modules")
    void nothingPublicLeaksKotlinIntoJava(ApiSurface surface) {
        List<String> leaks = surface.leaks(ALLOWED, COROUTINE_API_TYPES);
        assertTrue(leaks.isEmpty(), () -> surface.module() + " leaks Kotlin into Java:\n  " + String.join("\n  ", leaks));
    }

    @ParameterizedTest
    @MethodSource("modules")
    void publicApiMatchesTheCheckedInDump(ApiSurface surface) throws IOException {
        Path dump = Path.of("..", surface.module(), "api", surface.module() + ".api");
        String actual = surface.render();
        if (Boolean.getBoolean("api.update")) {
            Files.createDirectories(dump.getParent());
            Files.writeString(dump, actual);
            return;
        }
        String expected = Files.exists(dump) ? Files.readString(dump) : "";
        assertEquals(expected, actual, "The public API of " + surface.module() + " changed. If intended, regenerate "
                + dump.normalize() + " with -Dapi.update=true (see PublicApiTest) and review the diff.");
    }
}
