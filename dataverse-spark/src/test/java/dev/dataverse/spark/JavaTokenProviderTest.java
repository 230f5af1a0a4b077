package dev.dataverse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.AccessToken;
import dev.dataverse.InvalidInputException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The Java view of the format: option constants, and a token provider class of the application's own. */
class JavaTokenProviderTest {
    /** Records which application users were asked for tokens, and with which options it was built. */
    public static final class RecordingTokens implements SparkTokenProvider {
        static final Set<Integer> USERS = ConcurrentHashMap.newKeySet();
        static volatile String table;
        static volatile String vault;

        public RecordingTokens(Map<String, String> options) {
            table = options.get("table");
            vault = options.get("tokenProvider.vault");
        }

        @Override
        public AccessToken getToken(String scope, int user) {
            USERS.add(user);
            return new AccessToken("java-token-" + user, Instant.now().plusSeconds(3600));
        }
    }

    /** Not a token provider; its static initialiser leaves a trace, which loading the class by name must not run. */
    public static final class NotATokenProvider {
        static {
            System.setProperty("dataverse.spark.test.notATokenProvider.initialized", "true");
        }

        public NotATokenProvider(Map<String, String> options) {
        }
    }

    @Test
    void aClassThatIsNoTokenProviderIsRefusedBeforeItsStaticInitialiserRuns() {
        String name = NotATokenProvider.class.getName(); // a class literal does not initialise the class
        Exception failure = assertThrows(Exception.class, () -> SparkTestSupport.INSTANCE.getSpark().read().format("dataverse")
            .option(DataverseSparkOptions.URL, SparkTestSupport.INSTANCE.getEmulator().getBaseUrl())
            .option(DataverseSparkOptions.TOKEN_PROVIDER, name)
            .option(DataverseSparkOptions.TABLE, "account")
            .load());
        assertTrue(failure instanceof InvalidInputException, failure::toString);
        assertTrue(failure.getMessage().contains("does not implement dev.dataverse.spark.SparkTokenProvider"), failure::getMessage);
        assertNull(System.getProperty("dataverse.spark.test.notATokenProvider.initialized"), "the static initialiser ran");
    }

    @Test
    void tasksAreSpreadOverTheUsersOfATokenProviderClass() {
        SparkTestSupport.INSTANCE.getEmulator().reset();
        RecordingTokens.USERS.clear();
        Dataset<Row> rows = SparkTestSupport.INSTANCE.getSpark().read().format("dataverse")
            .option(DataverseSparkOptions.URL, SparkTestSupport.INSTANCE.getEmulator().getBaseUrl())
            .option(DataverseSparkOptions.TOKEN_PROVIDER, RecordingTokens.class.getName())
            .option(DataverseSparkOptions.USERS, "3")
            .option(DataverseSparkOptions.TOKEN_PROVIDER_PREFIX + "vault", "kv-1")
            .option(DataverseSparkOptions.TABLE, "dv_syntheticrow")
            .option(DataverseSparkOptions.FILTER, "dv_number lt 3000")
            .option(DataverseSparkOptions.PARTITIONS, "3")
            .load();
        assertEquals(3000L, rows.count());
        assertEquals(Set.of(0, 1, 2), RecordingTokens.USERS);
        assertEquals("dv_syntheticrow", RecordingTokens.table);
        assertEquals("kv-1", RecordingTokens.vault);
        assertTrue(rows.schema().getFieldIndex("dv_amount").isDefined());
    }
}
