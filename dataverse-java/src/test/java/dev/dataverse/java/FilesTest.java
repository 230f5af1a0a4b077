package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.ColumnSpec;
import dev.dataverse.FileInfo;
import dev.dataverse.InvalidInputException;
import dev.dataverse.NotFoundException;
import dev.dataverse.PreconditionFailedException;
import dev.dataverse.TableSpec;
import dev.dataverse.TransferProgress;
import dev.dataverse.UploadOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesTest extends EmulatorTestSupport {
    static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    String table;
    UUID recordId;

    @BeforeEach
    void createTableWithFileColumns() {
        table = client.tables().create(TableSpec.builder(TablesTest.uniqueSchemaName("Doc"), "Document")
                .column(ColumnSpec.file("new_Content", "Content", 64 * 1024))
                .column(ColumnSpec.file("new_Thumbnail", "Thumbnail", 1))
                .build()).getLogicalName();
        recordId = records.create(table, values("new_name", "Contract"));
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    @Test
    void uploadsAPathInChunksAndDownloadsItBack() throws Exception {
        byte[] content = randomBytes(9 * MIB + 123, 1);
        Path source = Files.write(dir.resolve("contract.pdf"), content);
        List<TransferProgress> progress = new CopyOnWriteArrayList<>();

        client.files().upload(table, recordId, "new_content", source,
                UploadOptions.builder().onProgress(progress::add).build());

        assertTrue(progress.size() >= 3, "a 9 MB file moves in several chunks: " + progress);
        assertEquals(content.length, progress.get(progress.size() - 1).getTransferredBytes());
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i).getTransferredBytes() > progress.get(i - 1).getTransferredBytes());
        }

        Path target = dir.resolve("copy.pdf");
        FileInfo info = client.files().download(table, recordId, "new_content", target);
        assertEquals("contract.pdf", info.getFileName());
        assertEquals(content.length, info.getSize());
        assertEquals("application/pdf", info.getContentType());
        assertArrayEquals(sha256(content), sha256(Files.readAllBytes(target)));
        assertEquals("contract.pdf", records.get(table, recordId).getString("new_content_name"));
    }

    @Test
    void uploadsAStreamOfUnknownLengthAndDownloadsIntoAStream() throws Exception {
        byte[] content = randomBytes(5 * MIB + 7, 2);

        client.files().upload(table, recordId, "new_content", new ByteArrayInputStream(content), "données.bin",
                UploadOptions.builder().contentType("application/x-custom").build());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FileInfo info = client.files().download(table, recordId, "new_content", out);
        assertArrayEquals(content, out.toByteArray());
        assertEquals("données.bin", info.getFileName());
        assertEquals("application/x-custom", info.getContentType());
    }

    @Test
    void refusesToOverwriteWhenAskedNotTo() throws Exception {
        byte[] first = randomBytes(1000, 3);
        client.files().upload(table, recordId, "new_content", new ByteArrayInputStream(first), "a.txt");

        assertThrows(PreconditionFailedException.class, () -> client.files().upload(table, recordId, "new_content",
                new ByteArrayInputStream(new byte[10]), "b.txt", UploadOptions.builder().overwrite(false).size(10).build()));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals("a.txt", client.files().download(table, recordId, "new_content", out).getFileName());
        assertArrayEquals(first, out.toByteArray());
    }

    @Test
    void checksTheColumnAndItsSizeLimitBeforeSendingContent() throws Exception {
        Path twoKb = Files.write(dir.resolve("big.png"), randomBytes(2048, 4));

        InvalidInputException tooBig = assertThrows(InvalidInputException.class,
                () -> client.files().upload(table, recordId, "new_thumbnail", twoKb));
        assertTrue(tooBig.getMessage().contains("2048"), tooBig.getMessage());

        InvalidInputException notAFile = assertThrows(InvalidInputException.class,
                () -> client.files().upload(table, recordId, "new_name", twoKb));
        assertTrue(notAFile.getMessage().contains("new_name"), notAFile.getMessage());

        assertThrows(NotFoundException.class,
                () -> client.files().download(table, recordId, "new_thumbnail", new ByteArrayOutputStream()));
    }

    @Test
    void deletesAFile() throws Exception {
        client.files().upload(table, recordId, "new_content", new ByteArrayInputStream(new byte[] {1, 2, 3}), "x.bin",
                UploadOptions.builder().size(3).build());

        client.files().delete(table, recordId, "new_content");

        assertThrows(NotFoundException.class,
                () -> client.files().download(table, recordId, "new_content", new ByteArrayOutputStream()));
        assertThrows(NotFoundException.class, () -> client.files().delete(table, recordId, "new_content"));
    }

    @Test
    void theAsyncViewTransfersFilesAndACancelledUploadLeavesTheColumnAsItWas() throws Exception {
        AsyncFileColumns files = client.async().files();
        byte[] original = randomBytes(3 * MIB, 5);
        files.upload(table, recordId, "new_content", new ByteArrayInputStream(original), "v1.bin").get(60, TimeUnit.SECONDS);

        CountDownLatch firstChunkRead = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        InputStream stalling = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (served < 6 * MIB) {
                    int n = Math.min(len, 6 * MIB - served);
                    served += n;
                    return n;
                }
                firstChunkRead.countDown();
                try {
                    never.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                return -1;
            }
        };
        CompletableFuture<Void> upload = files.upload(table, recordId, "new_content", stalling, "v2.bin");
        assertTrue(firstChunkRead.await(60, TimeUnit.SECONDS));
        upload.cancel(true);
        assertTrue(upload.isCancelled());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FileInfo info = files.download(table, recordId, "new_content", out).get(60, TimeUnit.SECONDS);
        assertEquals("v1.bin", info.getFileName());
        assertArrayEquals(original, out.toByteArray());

        ExecutionException invalid = assertThrows(ExecutionException.class,
                () -> files.upload(table, recordId, "new_name", new ByteArrayInputStream(new byte[1]), "x.bin").get(60, TimeUnit.SECONDS));
        assertInstanceOf(InvalidInputException.class, invalid.getCause());
        never.countDown();
    }
}
