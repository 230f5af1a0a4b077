package dev.dataverse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.AccessToken;
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

        public RecordingTokens(Map<String, String> options) {
            table = options.get("table");
        }

        @Override
        public AccessToken getToken(String scope, int user) {
            USERS.add(user);
            return new AccessToken("java-token-" + user, Instant.now().plusSeconds(3600));
        }
    }

    @Test
    void tasksAreSpreadOverTheUsersOfATokenProviderClass() {
        SparkTestSupport.INSTANCE.getEmulator().reset();
        RecordingTokens.USERS.clear();
        Dataset<Row> rows = SparkTestSupport.INSTANCE.getSpark().read().format("dataverse")
            .option(DataverseSparkOptions.URL, SparkTestSupport.INSTANCE.getEmulator().getBaseUrl())
            .option(DataverseSparkOptions.TOKEN_PROVIDER, RecordingTokens.class.getName())
            .option(DataverseSparkOptions.USERS, "3")
            .option(DataverseSparkOptions.TABLE, "dv_syntheticrow")
            .option(DataverseSparkOptions.FILTER, "dv_number lt 3000")
            .option(DataverseSparkOptions.PARTITIONS, "3")
            .load();
        assertEquals(3000L, rows.count());
        assertEquals(Set.of(0, 1, 2), RecordingTokens.USERS);
        assertEquals("dv_syntheticrow", RecordingTokens.table);
        assertTrue(rows.schema().getFieldIndex("dv_amount").isDefined());
    }
}
