package dev.dataverse.junit;

/**
 * Whether the tests of a class see each other's changes to the emulator they share ({@link DataverseEmulatorExtension}).
 *
 * <p>The default, {@link #PER_TEST}, is what a database test expects from a per-test transaction rollback: whatever order the
 * tests run in, each one starts from the same state. {@link #SHARED} is the opt-in for a class whose tests build on each other
 * on purpose (an ordered scenario, a data set too large to restore).
 */
public enum EmulatorIsolation {
    /**
     * Every test starts from the class's baseline: the emulator as it is once the class's {@code @BeforeAll} methods have run
     * (tables created through {@code client.tables}, seed records, files, custom APIs, fault rules from the options or added
     * there, the concurrency limit), with the request counters at zero. Whatever a test changed — records, files, fault
     * rules, the concurrency limit, tables, counters — is undone before the next test starts. A {@code @Nested} class's
     * baseline is its enclosing class's baseline plus what its own {@code @BeforeAll} methods add. Tests sharing an emulator
     * must then run one at a time; the extension refuses tests that overlap.
     */
    PER_TEST,

    /**
     * The tests of a class (and of its {@code @Nested} classes) share one state: what a test creates, deletes or configures —
     * records, fault rules, the concurrency limit, counters — is what the next test starts with. Order the tests
     * ({@code @TestMethodOrder}) when they depend on each other.
     */
    SHARED;
}
