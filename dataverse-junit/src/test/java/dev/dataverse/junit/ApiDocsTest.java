package dev.dataverse.junit;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks behind {@link JavadocJarsTest} catch each way docs can misstate the Java view, and accept the right one:
 * hand-written pages in Dokka's layout for the fixture {@code DocumentedApi}.
 */
class ApiDocsTest {

    private static final String CLASS = "dev.dataverse.junit.fixture.DocumentedApi";
    private static final String PAGE = "m/dev.dataverse.junit.fixture/-documented-api/index.html";
    private static final String INDEX = "[{\"name\":\"public final class\\u00a0DocumentedApi\",\"description\":\"" + CLASS
            + "\",\"location\":\"" + PAGE + "\",\"searchKeys\":[]}]";

    private static String row(String kind, String... signatures) {
        StringBuilder html = new StringBuilder("<a data-name=\"1%2F" + kind + "%2F2\" anchor-label=\"x\"></a>");
        for (String signature : signatures) {
            // Dokka's markup: tokens in spans, separated by spaces and non-breaking spaces.
            String spans = signature.replace("<", "&lt;").replace(">", "&gt;").replace(" ", "&nbsp;<span></span>")
                    .replace("(", "<span class=\"token punctuation\">(</span>");
            html.append("<div class=\"table-row\"><div class=\"symbol monospace block\"><div class=\"block\">")
                    .append(spans).append("</div></div></div>");
        }
        return html.toString();
    }

    private static ApiDocs docs(String... rows) {
        String html = "<html><body><div class=\"cover\"><div class=\"symbol monospace\">public final class DocumentedApi</div></div>"
                + String.join("", rows) + "</body></html>";
        return ApiDocs.of("fixture", Map.of(PAGE, html), INDEX);
    }

    @Test
    void acceptsTheJavaView() {
        ApiDocs docs = docs(
                row("Constructors", "public DocumentedApi DocumentedApi(UUID id, int count)"),
                row("Properties", "public final static DocumentedApi.Companion Companion"),
                row("Functions",
                        "public final UUID getId()",
                        "public final int getCount()",
                        "public final void delete(String table)",
                        "public final boolean isEmpty()",
                        "public final Object load(String table, Continuation<? super Integer> $completion)",
                        "public final static DocumentedApi of(int count)"));

        assertEquals(List.of(), docs.textProblems());
        assertEquals(List.of(), docs.javaMismatches(getClass().getClassLoader()));
        assertEquals(8, docs.classPage(CLASS).members().size(), () -> docs.classPage(CLASS).members().toString());
    }

    @Test
    void reportsKotlinPropertiesBoxedTypesUnitMissingContinuationsAndStatics() {
        ApiDocs docs = docs(
                row("Properties", "private final UUID id"),
                row("Functions",
                        "public final Unit delete(String table)",
                        "public final Boolean isEmpty()",
                        "public final Integer load(String table)",
                        "public final DocumentedApi of(int count)",
                        "public final UUID getId()"));

        List<String> mismatches = docs.javaMismatches(getClass().getClassLoader());

        assertEquals(5, mismatches.size(), () -> String.join("\n", mismatches));
        assertTrue(mismatches.get(0).contains("private final UUID id") && mismatches.get(0).contains("no field id"), mismatches::toString);
        assertTrue(mismatches.get(1).contains("Unit delete") && mismatches.get(1).contains("void"), mismatches::toString);
        assertTrue(mismatches.get(2).contains("Boolean isEmpty") && mismatches.get(2).contains("boolean"), mismatches::toString);
        assertTrue(mismatches.get(3).contains("Integer load") && mismatches.get(3).contains("Continuation"), mismatches::toString);
        assertTrue(mismatches.get(4).contains("DocumentedApi of") && mismatches.get(4).contains("static"), mismatches::toString);
    }

    @Test
    void reportsPlaceholdersUnitReturnedAndKotlinJvmAnnotations() {
        ApiDocs docs = ApiDocs.of("fixture", Map.of(PAGE,
                "<div class=\"symbol monospace\">public final class DocumentedApi</div><!-- <li>java.lang.Object</li> TODO inheritance tree -->"
                        + row("Functions", "public final Unit delete(String table)")
                        + "<div class=\"symbol monospace\"><div class=\"block\">@JvmStatic()</div>public final static DocumentedApi of(int count)</div>"),
                INDEX);

        List<String> problems = docs.textProblems();

        assertEquals(3, problems.size(), () -> String.join("\n", problems));
        assertTrue(problems.get(0).contains("TODO"), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("returns Kotlin's Unit")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.contains("Kotlin JVM annotation") && p.contains("@JvmStatic")), problems::toString);
    }

    @Test
    void parsesSignaturesAsJavaSourceSpellsThem() {
        ApiDocs.Signature update = ApiDocs.parse("public abstract Object update<T>(String table, RecordKey key, T value, "
                + "SerializationStrategy<T> serializer, Continuation<? super Unit> $completion)");
        ApiDocs.Signature varargs = ApiDocs.parse("@Deprecated() public final static ListOptions.Builder select(String... columns)");

        assertEquals("method", update.kind());
        assertEquals("update", update.name());
        assertEquals(List.of("String", "RecordKey", "T", "SerializationStrategy", "Continuation"), update.parameterTypes());
        assertEquals(List.of("Deprecated"), varargs.annotations());
        assertEquals(List.of("String[]"), varargs.parameterTypes());
        assertEquals("Builder", ApiDocs.erase(varargs.type()));
        assertEquals("constructor", ApiDocs.parse("public Page Page(List<DataverseRecord> records)").kind());
        assertEquals("field", ApiDocs.parse("public final static DataverseClient.Companion Companion").kind());
        assertEquals("class:enum", ApiDocs.parse("public enum ColumnType extends Enum<ColumnType>").kind());
    }
}
