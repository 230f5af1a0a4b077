package dev.dataverse.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.DataverseClient;
import dev.dataverse.InvalidInputException;
import dev.dataverse.java.DataverseClientBuilder;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Java builder is a view of the core builder: the same settings with the same parameter types, validated by the core.
 * A setting added to {@link DataverseClient.Builder} without its Java twin fails here. It lives in this module because
 * reading the builders' methods needs azure-core's TokenCredential, which dataverse-java's tests leave out on purpose.
 */
class DataverseClientBuilderParityTest {

    /** Core methods that are not settings, or that Java gets in another shape, each with the reason. */
    private static final Set<String> NOT_MIRRORED = Set.of(
            "build",                  // Java has buildClient() and buildAsyncClient()
            "tokenProvider(dev.dataverse.TokenProvider)"); // a suspending interface: Java gets Function / CompletableFuture variants

    @Test
    void everySettingOfTheCoreBuilderHasAJavaTwinWithTheSameParameters() {
        Set<String> core = settings(DataverseClient.Builder.class);
        Set<String> java = settings(DataverseClientBuilder.class);

        Set<String> missing = new TreeSet<>(core);
        missing.removeAll(java);
        missing.removeIf(s -> NOT_MIRRORED.contains(s) || NOT_MIRRORED.contains(s.substring(0, s.indexOf('('))));
        assertTrue(missing.isEmpty(), "DataverseClientBuilder lacks: " + missing);
    }

    @Test
    void theJavaBuilderValidatesLikeTheCoreBecauseTheCoreValidates() {
        InvalidInputException java = assertThrows(InvalidInputException.class,
                () -> new DataverseClientBuilder().requestTimeout(Duration.ZERO));
        InvalidInputException core = assertThrows(InvalidInputException.class,
                () -> DataverseClient.builder().requestTimeout(Duration.ZERO));
        assertEquals(core.getMessage(), java.getMessage());

        InvalidInputException ttl = assertThrows(InvalidInputException.class,
                () -> new DataverseClientBuilder().metadataCacheTtl(Duration.ofSeconds(-1)));
        assertTrue(ttl.getMessage().contains("'metadataCacheTtl'"), ttl.getMessage());
    }

    @Test
    void defaultsReadableFromJavaAsJavaTimeDurations() {
        assertEquals(Duration.ofMinutes(2), DataverseClient.defaultRequestTimeout());
        assertEquals(Duration.ofSeconds(10), DataverseClient.defaultConnectTimeout());
        assertEquals(Duration.ofHours(1), DataverseClient.defaultMetadataCacheTtl());
        assertInstanceOf(Duration.class, dev.dataverse.Tables.defaultAwaitKeyTimeout());
    }

    private static Set<String> settings(Class<?> builder) {
        return Arrays.stream(builder.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> !List.of("toString", "equals", "hashCode", "buildClient", "buildAsyncClient",
                        "asyncTokenProvider").contains(m.getName()))
                .filter(m -> !(m.getName().equals("tokenProvider") && builder == DataverseClientBuilder.class))
                .map(DataverseClientBuilderParityTest::signature)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String signature(Method m) {
        return m.getName() + "(" + Arrays.stream(m.getParameterTypes()).map(Class::getName).collect(Collectors.joining(",")) + ")";
    }
}
