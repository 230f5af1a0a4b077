package dev.dataverse.junit

/**
 * Whether the tests of a class see each other's changes to the emulator they share ([DataverseEmulatorExtension]).
 *
 * The default, [PER_TEST], is what a database test expects from a per-test transaction rollback: whatever order the
 * tests run in, each one starts from the same state. [SHARED] is the opt-in for a class whose tests build on each other
 * on purpose (an ordered scenario, a data set too large to restore).
 */
public enum class EmulatorIsolation {
    /**
     * Every test starts from the class's baseline: the emulator as it is once the class's `@BeforeAll` methods have run
     * (tables created through `client.tables`, seed records, files, custom APIs, fault rules from the options or added
     * there, the concurrency limit), with the request counters at zero. Whatever a test changed — records, files, fault
     * rules, the concurrency limit, tables, counters — is undone before the next test starts. A `@Nested` class's
     * baseline is its enclosing class's baseline plus what its own `@BeforeAll` methods add. Tests sharing an emulator
     * must then run one at a time; the extension refuses tests that overlap.
     */
    PER_TEST,

    /**
     * The tests of a class (and of its `@Nested` classes) share one state: what a test creates, deletes or configures —
     * records, fault rules, the concurrency limit, counters — is what the next test starts with. Order the tests
     * (`@TestMethodOrder`) when they depend on each other.
     */
    SHARED,
}
