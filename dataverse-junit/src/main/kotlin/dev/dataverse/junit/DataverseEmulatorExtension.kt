package dev.dataverse.junit

import dev.dataverse.DataverseClient
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.java.DataverseAsyncClient
import dev.dataverse.java.DataverseBlockingClient
import org.junit.jupiter.api.extension.BeforeAllCallback
import org.junit.jupiter.api.extension.BeforeEachCallback
import org.junit.jupiter.api.extension.ExtensionContext
import org.junit.jupiter.api.extension.ParameterContext
import org.junit.jupiter.api.extension.ParameterResolutionException
import org.junit.jupiter.api.extension.ParameterResolver
import org.junit.jupiter.api.extension.TestInstantiationAwareExtension.ExtensionContextScope

/**
 * Runs a [DataverseEmulator] for a test class and hands its tests clients connected to it.
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
 *     @Test
 *     void createsAnAccount(DataverseBlockingClient client, DataverseEmulator emulator) {
 *         new AccountService(client).onboard("Contoso");
 *         assertEquals(1, emulator.recordCount("account"));
 *     }
 * }
 * ```
 * To choose the emulator's options or reset its records before each test, register a configured instance instead:
 * ```java
 * @RegisterExtension
 * static DataverseEmulatorExtension dataverse = DataverseEmulatorExtension.builder()
 *     .options(EmulatorOptions.builder().maxPageSize(100).build())
 *     .resetBetweenTests(true)
 *     .build();
 * ```
 * In Kotlin: `@JvmField @RegisterExtension val dataverse = DataverseEmulatorExtension(resetBetweenTests = true)` in a
 * companion object.
 *
 * ## Lifecycle
 * - One emulator per test class, on the options' loopback port (by default a free one), started before the class's first test (or when first asked
 *   for) and closed after its last. `@Nested` classes share their enclosing class's emulator.
 * - Records persist from one test to the next unless [resetBetweenTests] is set: then the emulator is emptied (records,
 *   stored files and request counters) before each test. The schema stays, so tables a `@BeforeAll` method created
 *   through `client.tables` serve every test of the class.
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
    /** Whether to empty the emulator before each test. Default `false`: records persist between the tests of a class. */
    private val resetBetweenTests: Boolean = false,
) : BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    /** Starts the class's emulator (nested classes reuse their enclosing class's). */
    override fun beforeAll(context: ExtensionContext) {
        emulator(context)
    }

    /** Empties the emulator before each test when [resetBetweenTests] is set. */
    override fun beforeEach(context: ExtensionContext) {
        if (resetBetweenTests) emulator(context).reset()
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
    private fun emulator(context: ExtensionContext): DataverseEmulator =
        classContext(context).getStore(NAMESPACE)
            .getOrComputeIfAbsent(EMULATOR, { DataverseEmulator.start(options) }, DataverseEmulator::class.java)

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

    override fun toString(): String = "DataverseEmulatorExtension(options=$options, resetBetweenTests=$resetBetweenTests)"

    /** Fluent configuration of a [DataverseEmulatorExtension], for Java. */
    public class Builder public constructor() {
        private var options = EmulatorOptions()
        private var resetBetweenTests = false

        /** The emulator's options, e.g. `EmulatorOptions.builder().maxPageSize(100).build()`. Default: the defaults. */
        public fun options(options: EmulatorOptions): Builder = apply { this.options = options }

        /** Whether to empty the emulator (records and request counters) before each test. Default `false`. */
        public fun resetBetweenTests(reset: Boolean): Builder = apply { resetBetweenTests = reset }

        /** The configured extension, to assign to a `@RegisterExtension` field. */
        public fun build(): DataverseEmulatorExtension = DataverseEmulatorExtension(options, resetBetweenTests)
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
        private val SUPPORTED_TYPES = setOf(
            DataverseEmulator::class.java,
            DataverseClient::class.java,
            DataverseBlockingClient::class.java,
            DataverseAsyncClient::class.java,
        )
    }
}
