package dev.dataverse.junit

import dev.dataverse.DataverseClient
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.java.DataverseAsyncClient
import dev.dataverse.java.DataverseBlockingClient
import dev.dataverse.junit.internal.Baseline
import dev.dataverse.junit.internal.SharedEmulator
import java.nio.file.Path
import org.junit.jupiter.api.extension.BeforeAllCallback
import org.junit.jupiter.api.extension.BeforeEachCallback
import org.junit.jupiter.api.extension.ExtensionContext
import org.junit.jupiter.api.extension.ParameterContext
import org.junit.jupiter.api.extension.ParameterResolutionException
import org.junit.jupiter.api.extension.ParameterResolver
import org.junit.jupiter.api.extension.TestInstanceFactoryContext
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback
import org.junit.jupiter.api.extension.TestInstantiationAwareExtension.ExtensionContextScope

/**
 * Runs a [DataverseEmulator] for a test class and hands its tests clients connected to it. Every test starts from the
 * same state — the class's baseline — whatever the tests before it did.
 *
 * Tests ask for what they need as parameters — of test methods, lifecycle methods (`@BeforeEach`, `@BeforeAll`) or the
 * constructor — of these types:
 * - [DataverseEmulator]: the class's emulator, e.g. to read [DataverseEmulator.recordCount] or its request counters;
 * - [DataverseClient]: the Kotlin client;
 * - [DataverseBlockingClient] and [DataverseAsyncClient]: the Java clients.
 *
 * ```java
 * @ExtendWith(DataverseEmulatorExtension.class)
 * class AccountServiceTest {
 *     @BeforeAll
 *     static void seed(DataverseBlockingClient client) {
 *         client.records().create("account", Map.of("name", "Fabrikam"));   // in every test's baseline
 *     }
 *
 *     @Test
 *     void onboardsAnAccount(DataverseBlockingClient client, DataverseEmulator emulator) {
 *         new AccountService(client).onboard("Contoso");
 *         assertEquals(2, emulator.recordCount("account"));                 // Fabrikam and Contoso, whatever ran before
 *     }
 * }
 * ```
 * To choose the emulator's options, or to let tests share their changes, register a configured instance instead:
 * ```java
 * @RegisterExtension
 * static DataverseEmulatorExtension dataverse = DataverseEmulatorExtension.builder()
 *     .options(EmulatorOptions.builder().maxPageSize(100).build())
 *     .isolation(EmulatorIsolation.SHARED)   // opt-in: each test sees what the previous ones left
 *     .build();
 * ```
 * To test code generated from a schema snapshot, seed the emulator from the same file:
 * ```java
 * @RegisterExtension
 * static DataverseEmulatorExtension dataverse = DataverseEmulatorExtension.builder()
 *     .schema(Path.of("src/main/dataverse/schema.json"))
 *     .build();
 * ```
 * In Kotlin, in a companion object:
 * ```kotlin
 * companion object {
 *     @JvmField @RegisterExtension
 *     val dataverse = DataverseEmulatorExtension(EmulatorOptions(maxPageSize = 100))
 * }
 * ```
 *
 * ## Isolation
 * With [EmulatorIsolation.PER_TEST] (the default, in every form above) the extension takes a
 * [snapshot][DataverseEmulator.snapshot] of the emulator once the class's `@BeforeAll` methods have run and restores it
 * before each test: records (at their versions, so ETags taken in `@BeforeAll` still match), files, tables and columns,
 * fault rules (those of the options, and those `@BeforeAll` added), the concurrency limit, custom APIs, search settings;
 * the request counters start at zero in every test. The test's constructor and `@BeforeEach` methods run after the
 * restore, so what they do belongs to the test. A `@Nested` class starts from its enclosing class's baseline, adds what
 * its own `@BeforeAll` methods do, and its tests start from that. With [EmulatorIsolation.SHARED] nothing is restored:
 * each test starts with what the previous one left.
 *
 * ## Lifecycle
 * - One emulator per test class, on the options' loopback port (by default a free one), started before the class's
 *   first test (or when first asked for) and closed after its last. `@Nested` classes share their enclosing class's
 *   emulator.
 * - With per-test isolation, tests sharing an emulator run one at a time: a test that starts while another one of the
 *   same emulator runs (parallel execution) fails with a message saying so.
 * - With [EmulatorOptions.tls] the emulator serves https and the clients trust its self-signed certificate
 *   ([DataverseEmulator.clientSslContext] with [DataverseEmulator.clientTrustManager], so on any engine), so code
 *   under test runs over TLS as against the service.
 * - Clients are authenticated with a static bearer token (the options' `requiredToken` when set). Parameters resolved
 *   for one test — its method, its `@BeforeEach`/`@AfterEach` methods and, with the default per-method test instance
 *   lifecycle, the test class's constructor — share one client (the three client types are views of the same underlying
 *   [DataverseClient]), and the extension closes it after that test. Parameters resolved at class level (`@BeforeAll`
 *   methods, constructors of `PER_CLASS` test instances) share one client closed after the class. A test may close its
 *   client; whoever asks next gets a new one.
 */
public class DataverseEmulatorExtension @JvmOverloads constructor(
    /** The emulator's options; by default [EmulatorOptions] defaults (free port, any token accepted). */
    private val options: EmulatorOptions = EmulatorOptions(),
    /** Whether each test starts from the class's baseline (the default) or sees what the tests before it changed. */
    private val isolation: EmulatorIsolation = EmulatorIsolation.PER_TEST,
) : BeforeAllCallback, TestInstancePreConstructCallback, BeforeEachCallback, ParameterResolver {

    /**
     * Starts the class's emulator (nested classes reuse their enclosing class's). With per-test isolation, a nested class
     * starts from its enclosing class's baseline: what the enclosing class's tests or an earlier nested class changed is
     * undone before this class's `@BeforeAll` methods run.
     */
    override fun beforeAll(context: ExtensionContext) {
        val enclosing = context.parent.orElse(null)?.takeIf { it.testClass.isPresent && sharedOrNull(it) != null }
        if (enclosing != null && isolation == EmulatorIsolation.PER_TEST) {
            shared(enclosing).checkIdle(context.displayName)
            startFromBaseline(enclosing)
        }
        shared(context)
    }

    /**
     * With per-test isolation and the default per-method test instances, starts the test before its test instance is
     * constructed, so that what the constructor does belongs to the test rather than being undone by the restore.
     */
    override fun preConstructTestInstance(factoryContext: TestInstanceFactoryContext, context: ExtensionContext) {
        if (context.testMethod.isPresent) startTest(context)
    }

    /** Starts the test (see [startTest]) unless its test instance's construction already did. */
    override fun beforeEach(context: ExtensionContext) {
        startTest(context)
    }

    /**
     * With per-test isolation, restores the baseline of the test's class, taking it first when this is the class's first
     * test (its `@BeforeAll` methods have run by now), so every test starts from the same state with zero counters. Once
     * per test: the construction of its instances (one per enclosing class of a nested test) and `beforeEach` all ask.
     */
    private fun startTest(context: ExtensionContext) {
        if (isolation != EmulatorIsolation.PER_TEST) return
        val store = context.getStore(NAMESPACE)
        val started = STARTED + context.uniqueId
        if (store.get(started) != null) return
        val shared = shared(context)
        shared.enter(context.uniqueId, context.displayName)
        // Closed with the test's store when the test ends, however it ends (even when its instance could not be built).
        store.put(started, shared.running(context.uniqueId))
        startFromBaseline(classContext(context))
    }

    /** Restores the baseline of the class of [classContext], taking it now if the class has none yet. */
    private fun startFromBaseline(classContext: ExtensionContext) {
        val emulator = shared(classContext).emulator
        val store = classContext.getStore(NAMESPACE)
        // Keyed by the class's id: a nested class must not find its enclosing class's baseline through the store's parents.
        val baseline = store.getOrComputeIfAbsent(BASELINE + classContext.uniqueId, { Baseline(emulator.snapshot()) }, Baseline::class.java)
        emulator.restore(baseline.snapshot)
    }

    /**
     * Resolves constructor parameters of per-method test instances in the test's context, so that a constructor gets the
     * same client as the test it is created for rather than a client shared by the whole class.
     */
    override fun getTestInstantiationExtensionContextScope(rootContext: ExtensionContext): ExtensionContextScope =
        ExtensionContextScope.TEST_METHOD

    /** Whether the parameter is one of the types this extension provides. */
    override fun supportsParameter(parameterContext: ParameterContext, extensionContext: ExtensionContext): Boolean =
        parameterContext.parameter.type in SUPPORTED_TYPES

    /** The emulator or a client connected to it; see the class documentation for their lifecycle. */
    override fun resolveParameter(parameterContext: ParameterContext, extensionContext: ExtensionContext): Any =
        when (val type = parameterContext.parameter.type) {
            DataverseEmulator::class.java -> emulator(extensionContext)
            DataverseClient::class.java -> clients(extensionContext).blocking.core
            DataverseBlockingClient::class.java -> clients(extensionContext).blocking
            DataverseAsyncClient::class.java -> clients(extensionContext).blocking.async()
            else -> throw ParameterResolutionException("DataverseEmulatorExtension cannot provide a ${type.name}.")
        }

    /** The emulator of the test class of [context], started on first use and closed with the class's store. */
    private fun emulator(context: ExtensionContext): DataverseEmulator = shared(context).emulator

    /** The emulator of the class of [context] and its running test, started on first use (nested classes find their enclosing class's). */
    private fun shared(context: ExtensionContext): SharedEmulator =
        classContext(context).getStore(NAMESPACE)
            .getOrComputeIfAbsent(EMULATOR, { SharedEmulator(DataverseEmulator.start(options)) }, SharedEmulator::class.java)

    /** The emulator [context] or one of its enclosing contexts started, or null when none did. */
    private fun sharedOrNull(context: ExtensionContext): SharedEmulator? = context.getStore(NAMESPACE).get(EMULATOR, SharedEmulator::class.java)

    /**
     * The clients of [context] itself: the test's when resolving for a test (its lifecycle methods run in the same
     * context), the class's when resolving at class level. Keyed by the context's id, so that a test never inherits the
     * class's client through the store's lookup in parent contexts. A client the test closed is replaced by a new one.
     */
    private fun clients(context: ExtensionContext): Clients {
        val store = context.getStore(NAMESPACE)
        val key = CLIENTS + context.uniqueId
        val existing = store.get(key, Clients::class.java)
        if (existing != null && !existing.blocking.isClosed) return existing
        val emulator = emulator(context)
        val builder = DataverseClient.builder()
            .environmentUrl(emulator.baseUrl)
            .token(options.requiredToken ?: DEFAULT_TOKEN)
        if (options.tls) {
            // The pair, not the context alone: the client trusts the emulator's own certificate on every engine.
            builder.sslContext(emulator.clientSslContext(), emulator.clientTrustManager())
        }
        val core = builder.build()
        return Clients(DataverseBlockingClient.wrap(core)).also { store.put(key, it) }
    }

    /** The context of the test class: the nearest ancestor-or-self that is not a test method or template invocation. */
    private tailrec fun classContext(context: ExtensionContext): ExtensionContext =
        if (context.testMethod.isPresent) classContext(context.parent.orElseThrow()) else context

    /** Closed by JUnit with the store that holds it. */
    private class Clients(val blocking: DataverseBlockingClient) : AutoCloseable {
        override fun close() = blocking.close()
    }

    override fun toString(): String = "DataverseEmulatorExtension(options=$options, isolation=$isolation)"

    /** Fluent configuration of a [DataverseEmulatorExtension], for Java. */
    public class Builder public constructor() {
        private var options = EmulatorOptions()
        private var isolation = EmulatorIsolation.PER_TEST
        private var schema: Path? = null

        /** The emulator's options, e.g. `EmulatorOptions.builder().maxPageSize(100).build()`. Default: the defaults. */
        public fun options(options: EmulatorOptions): Builder = apply { this.options = options }

        /**
         * Seeds the emulator from a schema snapshot file (README "Schema snapshots"), whatever [options] says: the
         * snapshot's tables, columns, keys, relationships and custom APIs exist before the class's `@BeforeAll` methods
         * run and are part of every test's baseline. The same as [EmulatorOptions.schema]. Default: none.
         */
        public fun schema(file: Path?): Builder = apply { this.schema = file }

        /**
         * Whether every test starts from the class's baseline ([EmulatorIsolation.PER_TEST], the default) or sees what the
         * tests before it changed ([EmulatorIsolation.SHARED]).
         */
        public fun isolation(isolation: EmulatorIsolation): Builder = apply { this.isolation = isolation }

        /** The configured extension, to assign to a `@RegisterExtension` field. */
        public fun build(): DataverseEmulatorExtension =
            DataverseEmulatorExtension(schema?.let { options.toBuilder().schema(it).build() } ?: options, isolation)
    }

    /** The builder factory and the default token. */
    public companion object {
        /** The bearer token clients send when the options do not require a particular one. */
        public const val DEFAULT_TOKEN: String = "dataverse-emulator-token"

        /** A builder for a configured extension. */
        @JvmStatic
        public fun builder(): Builder = Builder()

        private val NAMESPACE = ExtensionContext.Namespace.create(DataverseEmulatorExtension::class.java)
        private const val EMULATOR = "emulator"
        private const val CLIENTS = "clients of "
        private const val BASELINE = "baseline of "
        private const val STARTED = "started "
        private val SUPPORTED_TYPES = setOf(
            DataverseEmulator::class.java,
            DataverseClient::class.java,
            DataverseBlockingClient::class.java,
            DataverseAsyncClient::class.java,
        )
    }
}
