package dev.dataverse.junit;

import dev.dataverse.junit.fixture.LeakyApi;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check behind {@link PublicApiTest} catches every kind of leak, and only leaks. */
class ApiSurfaceTest {

    private final ApiSurface surface = ApiSurface.ofClasses("fixture", LeakyApi.class);

    @Test
    void reportsInternalMembersMangledNamesAndKotlinTypes() {
        List<String> leaks = surface.leaks(Map.of(), Set.of());

        assertEquals(4, leaks.size(), () -> String.join("\n", leaks));
        assertTrue(leaks.stream().anyMatch(l -> l.contains("<init>(int)") && l.contains("Kotlin 'internal'")), leaks::toString);
        assertTrue(leaks.stream().anyMatch(l -> l.contains("internalHelper$") && l.contains("Kotlin 'internal'")), leaks::toString);
        assertTrue(leaks.stream().anyMatch(l -> l.contains("getTimeout-") && l.contains("mangled name")), leaks::toString);
        assertTrue(leaks.stream().anyMatch(l -> l.contains("onEvent(kotlin.jvm.functions.Function1")
                && l.contains("Kotlin-only type kotlin.jvm.functions.")), leaks::toString);
        assertTrue(leaks.stream().noneMatch(l -> l.contains("kotlinOnly") || l.contains("clean(")), leaks::toString);
    }

    @Test
    void allowListSilencesOnlyTheNamedMember() {
        List<String> leaks = surface.leaks(
                Map.of("dev.dataverse.junit.fixture.LeakyApi#onEvent", "justified in the test"), Set.of());

        assertEquals(3, leaks.size(), () -> String.join("\n", leaks));
        assertTrue(leaks.stream().noneMatch(l -> l.contains("onEvent")), leaks::toString);
    }

    @Test
    void dumpShowsEveryJavaVisibleMemberButNotSyntheticOnes() {
        String dump = surface.render();

        assertTrue(dump.contains("dev.dataverse.junit.fixture.LeakyApi :: public final java.lang.String clean(java.lang.String)"), dump);
        assertTrue(dump.contains("dev.dataverse.junit.fixture.LeakyApi :: public final class"), dump);
        assertTrue(!dump.contains("kotlinOnly"), dump);
    }
}
