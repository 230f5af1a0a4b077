package dev.dataverse.samples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs each sample against its embedded emulator, as the README tells users to, and checks what it reports. */
class SamplesTest {

    private static String run(Runnable sample) {
        // With DATAVERSE_URL set the samples would write to that real environment: not something a test run should do.
        assumeTrue(System.getenv("DATAVERSE_URL") == null, "DATAVERSE_URL is set");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            sample.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void kotlinQuickstartWalksThroughEveryRecordOperation() {
        String output = run(QuickstartKt::main);
        assertTrue(output.contains("Connected to the embedded emulator"), output);
        assertTrue(output.contains("Upsert by account number hit the same record: true"), output);
        assertTrue(output.contains("Listed 5 sample accounts"), output);
        assertTrue(output.contains("get now fails with 0x80040217"), output);
    }

    @Test
    void bulkAndBatchSampleMovesEveryRecord() {
        String output = run(BulkAndBatchKt::main);
        assertTrue(output.contains("createMany: 5000 created, 0 failed"), output);
        assertTrue(output.contains("upsertMany: 200 upserted"), output);
        assertTrue(output.contains("batch: [SUCCEEDED, SUCCEEDED]"), output);
        assertTrue(output.contains("deleteMany: 5101 accounts, 1 contacts deleted"), output);
    }

    @Test
    void javaQuickstartWalksThroughEveryRecordOperation() {
        String output = run(() -> JavaQuickstart.main(new String[0]));
        assertTrue(output.contains("Upsert by account number hit the same record: true"), output);
        assertTrue(output.contains("Listed 5 sample accounts"), output);
        assertTrue(output.contains("get now fails with 0x80040217"), output);
        assertTrue(output.contains("Async create then get: Async (sample)"), output);
    }

    @Test
    void schemaAndFilesSampleProvisionsATableAndMovesADocument() {
        String output = run(SchemaAndFilesKt::main);
        assertTrue(output.contains("Created table new_sampledocument (entity set new_sampledocuments)"), output);
        assertTrue(output.contains("Stage stored as 100000001, shown as 'Review'"), output);
        assertTrue(output.contains("Reviewers: [Reviewer (sample)]"), output);
        assertTrue(output.contains("Key new_CodeKey is ACTIVE; upsert by code created 'Upserted by code'"), output);
        assertTrue(output.contains("uploaded 12 MB of 12 MB"), output);
        assertTrue(output.contains("Downloaded sample-contract"), output);
        assertTrue(output.contains("identical: true"), output);
        assertTrue(output.contains("Deleted table new_sampledocument"), output);
    }

    @Test
    void typedModelsSampleUsesTheGeneratedKotlinClasses() {
        String output = run(TypedModelsKt::main);
        assertTrue(output.contains("Schema matches the snapshot the models were generated from (account, contact, new_project)"), output);
        assertTrue(output.contains("Read Contoso (typed): Consulting, state ACTIVE, primary contact true"), output);
        assertTrue(output.contains("Ada works for account true"), output);
        assertTrue(output.contains("Active Contoso accounts: 1; its projects: [Apollo, Gemini, Mercury]; colors of the first: [RED, BLUE]"), output);
    }

    @Test
    void javaTypedModelsSampleUsesTheGeneratedJavaClasses() {
        String output = run(() -> JavaTypedModels.main(new String[0]));
        assertTrue(output.contains("Schema matches the snapshot the models were generated from [account, contact, new_project]"), output);
        assertTrue(output.contains("Read Fabrikam (typed): Accounting, state ACTIVE"), output);
        assertTrue(output.contains("Active Fabrikam accounts: 1; its projects: [Atlas, Zephyr]; employees now 12"), output);
    }
}
