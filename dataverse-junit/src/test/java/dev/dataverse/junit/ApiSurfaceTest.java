package dev.dataverse.junit;

import dev.dataverse.junit.fixture.LeakyApi;
import dev.dataverse.junit.fixture.LeakyConstant;
import dev.dataverse.junit.fixture.LeakyEnum;
import dev.dataverse.junit.fixture.LeakyIterable;
import dev.dataverse.junit.fixture.ReturnsUnitFunction;
import dev.dataverse.junit.fixture.TakesInternal;
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
    void reportsKotlinTypesInAnyFormInternalPackageTypesInternalConstantsAndEmptyFacades() throws Exception {
        ApiSurface kinds = ApiSurface.ofClasses("fixture",
                Class.forName("dev.dataverse.junit.fixture.LeakyKindsKt"), LeakyEnum.class, LeakyIterable.class,
                TakesInternal.class, LeakyConstant.class, ReturnsUnitFunction.class);
        List<String> leaks = kinds.leaks(Map.of(), Set.of());
        String all = String.join("\n", leaks);

        assertTrue(leaks.stream().anyMatch(l -> l.contains("LeakyKindsKt: empty Kotlin file facade")), all);
        assertTrue(leaks.stream().anyMatch(l -> l.contains("getEntries()") && l.contains("kotlin.enums.EnumEntries")), all);
        assertTrue(leaks.stream().anyMatch(l -> l.startsWith("dev.dataverse.junit.fixture.LeakyIterable :: ")
                && l.contains("kotlin.jvm.internal.markers.KMappedMarker") && l.contains("class declaration")), all);
        assertTrue(leaks.stream().anyMatch(l -> l.contains("<init>(dev.dataverse.junit.fixture.internal.Hidden)")), all);
        assertTrue(leaks.stream().anyMatch(l -> l.contains("copy(dev.dataverse.junit.fixture.internal.Hidden)")
                && l.contains("internal package")), all);
        assertTrue(leaks.stream().anyMatch(l -> l.contains("int LIMIT") && l.contains("constant")), all);
        assertTrue(leaks.stream().noneMatch(l -> l.contains("MAXIMUM")), all);
        assertTrue(leaks.stream().anyMatch(l -> l.contains("callback()") && l.contains("kotlin.jvm.functions.Function0")), all);
    }

    @Test
    void aFacadeJavaCannotNameIsNeitherALeakNorPartOfTheDump() throws Exception {
        Class<?> hidden = Class.forName("dev.dataverse.junit.fixture.-KotlinOnly");
        assertTrue(!ApiSurface.isJavaName(hidden.getSimpleName()));
        ApiSurface module = ApiSurface.of("fixture", LeakyApi.class);
        assertTrue(!module.render().contains("-KotlinOnly"), module.render());
        assertTrue(module.render().contains("LeakyKindsKt"), "a facade Java can name stays in the dump");
    }

    @Test
    void dumpShowsEveryJavaVisibleMemberButNotSyntheticOnes() {
        String dump = surface.render();

        assertTrue(dump.contains("dev.dataverse.junit.fixture.LeakyApi :: public final java.lang.String clean(java.lang.String)"), dump);
        assertTrue(dump.contains("dev.dataverse.junit.fixture.LeakyApi :: public final class"), dump);
        assertTrue(!dump.contains("kotlinOnly"), dump);
    }
}
