package dev.dataverse.junit;

import dev.dataverse.DataverseRecord;
import dev.dataverse.java.DataverseBlockingClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The -javadoc jars of dataverse-core and dataverse-java, the API applications program against, document it as Java
 * code sees it: getters rather than Kotlin properties, {@code void} rather than {@code Unit}, primitives, static members
 * where Java finds them, no Kotlin JVM annotations and no template placeholders. Every class page and every signature
 * on it is looked up by reflection in the classes of the same build (see {@link ApiDocs}).
 *
 * <p>The jars are built in the {@code package} phase of their modules, which the reactor runs before this module's
 * tests; this test runs in this module's {@code integration-test} phase (see the pom), so {@code ./mvnw verify} checks the
 * jars it has just built, and {@code ./mvnw test} (which builds no jars) leaves it out.
 */
class JavadocJarsTest {

    static Stream<ApiDocs> modules() {
        return Stream.of(docs("dataverse-core"), docs("dataverse-java"));
    }

    /** Read once per module: every test of the class reads the same jars. */
    private static final Map<String, ApiDocs> DOCS = new ConcurrentHashMap<>();

    private static ApiDocs docs(String module) {
        return DOCS.computeIfAbsent(module, JavadocJarsTest::read);
    }

    private static ApiDocs read(String module) {
        Path target = Path.of("..", module, "target");
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith("-javadoc.jar")).toList();
            assertEquals(1, jars.size(), () -> "Expected the -javadoc jar of " + module + " in " + target.toAbsolutePath()
                    + " (built by its `package` phase), found " + jars);
            return ApiDocs.read(module, jars.get(0));
        } catch (IOException e) {
            throw new AssertionError("No build output of " + module + " in " + target.toAbsolutePath()
                    + ": run `./mvnw verify` (with -am when selecting modules)", e);
        }
    }

    @ParameterizedTest
    @MethodSource("modules")
    void noPlaceholderNoUnitReturnedNoKotlinJvmAnnotation(ApiDocs docs) {
        assertTrue(docs.pageCount() > 0, docs.module() + " has no pages");
        List<String> problems = docs.textProblems();
        assertTrue(problems.isEmpty(), () -> docs.module() + ":\n  " + String.join("\n  ", problems));
    }

    @ParameterizedTest
    @MethodSource("modules")
    void everyClassAndMemberShownIsWhatJavaSees(ApiDocs docs) {
        List<String> problems = docs.javaMismatches(getClass().getClassLoader());
        assertTrue(problems.isEmpty(), () -> docs.module() + " shows what Java does not see:\n  " + String.join("\n  ", problems));
    }

    @ParameterizedTest
    @MethodSource("modules")
    void everyMemberJavaSeesIsShown(ApiDocs docs) {
        List<String> missing = docs.javaMembersNotShown(getClass().getClassLoader());
        assertTrue(missing.isEmpty(), () -> docs.module() + " does not show what Java sees:\n  " + String.join("\n  ", missing));
    }

    @ParameterizedTest
    @MethodSource("modules")
    void everyPublicClassHasAPage(ApiDocs docs) {
        Class<?> anchor = docs.module().equals("dataverse-core") ? DataverseRecord.class : DataverseBlockingClient.class;
        List<String> documented = docs.classPages().stream().map(ApiDocs.ClassPage::className).toList();
        List<String> missing = ApiSurface.of(docs.module(), anchor).documentedTypes().stream()
                .filter(name -> !documented.contains(name)).toList();
        assertTrue(missing.isEmpty(), () -> docs.module() + " has no page for " + missing);
    }

    @Test
    void dataverseRecordShowsGettersAndPrimitivesNotKotlinProperties() {
        ApiDocs.ClassPage page = docs("dataverse-core").classPage("dev.dataverse.DataverseRecord");
        List<String> members = page.members().stream().map(ApiDocs.Signature::text).toList();

        assertTrue(members.contains("public final UUID getId()"), members::toString);
        assertTrue(members.contains("public final boolean contains(String column)"), members::toString);
        assertTrue(members.contains("public final int getInt(String column, int defaultValue)"), members::toString);
        assertTrue(members.contains("public final Integer getInt(String column)"), members::toString);
        assertFalse(page.members().stream().anyMatch(s -> s.name().equals("id") || s.name().equals("columns")), members::toString);
    }

    @Test
    void blockingRecordsShowsVoidOverloadsAndNoAnnotations() {
        ApiDocs.ClassPage page = docs("dataverse-java").classPage("dev.dataverse.java.BlockingRecords");
        List<String> members = page.members().stream().map(ApiDocs.Signature::text).toList();

        assertTrue(members.contains("public final void delete(String table, UUID id)"), members::toString);
        assertTrue(members.contains("public final UUID create(String table, Map<String, Object> values)"), members::toString);
        assertTrue(page.members().stream().filter(s -> s.name().equals("get")).count() >= 2, members::toString);
        assertTrue(page.members().stream().allMatch(s -> s.annotations().isEmpty()), members::toString);
    }

    @Test
    void suspendFunctionsShowTheirContinuationAndEnumsTheirStatics() {
        ApiDocs core = docs("dataverse-core");
        List<String> records = core.classPage("dev.dataverse.Records").members().stream().map(ApiDocs.Signature::text).toList();
        List<String> columnType = core.classPage("dev.dataverse.ColumnType").members().stream().map(ApiDocs.Signature::text).toList();

        assertTrue(records.contains("public abstract Object delete(String table, UUID id, MatchConditions conditions, Continuation<? super Unit> $completion)"),
                records::toString);
        // A Java enum (see PublicApiTest: a Kotlin one would show Java kotlin.enums.EnumEntries), documented as javadoc
        // does: its own statics; name() and ordinal() are java.lang.Enum's.
        assertTrue(columnType.contains("public static ColumnType[] values()"), columnType::toString);
        assertTrue(columnType.contains("public static ColumnType valueOf(String name)"), columnType::toString);
    }
}
