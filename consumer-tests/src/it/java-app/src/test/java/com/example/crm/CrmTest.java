package com.example.crm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.java.DataverseBlockingClient;
import dev.dataverse.junit.DataverseEmulatorExtension;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application's code against the emulator, through the JUnit extension in the form the library's README shows, in a
 * JVM that sees one CPU.
 */
@ExtendWith(DataverseEmulatorExtension.class)
class CrmTest {

    @Test
    void contactsAreCreatedReadListedAndReadAsynchronously(DataverseBlockingClient client, DataverseEmulator emulator) {
        Crm crm = new Crm(client);
        UUID ada = crm.addContact("Ada", "Lovelace");
        crm.addContact("Alan", "Turing");
        crm.addContact("Grace", "Hopper");

        assertEquals("Ada Lovelace", crm.fullName(ada));
        assertEquals(List.of("Hopper", "Lovelace", "Turing"), crm.lastNames());
        assertEquals("Lovelace", crm.lastNameAsync(ada).join());
        assertEquals(3, emulator.recordCount("contact"));
    }

    @Test
    void contactsAreExportedToAFile(DataverseBlockingClient client, @TempDir Path directory) throws Exception {
        Crm crm = new Crm(client);
        crm.addContact("Grace", "Hopper");
        crm.addContact("Ada", "Lovelace");
        Path file = ContactExport.export(client, directory);
        assertEquals(List.of("Ada,Lovelace", "Grace,Hopper"), Files.readAllLines(file));
    }

    @Test
    void callsStartNoThreadEach(DataverseBlockingClient client) {
        Crm crm = new Crm(client);
        UUID id = crm.addContact("Ada", "Lovelace");
        for (int i = 0; i < 20; i++) {
            crm.fullName(id);
            crm.lastNameAsync(id).join();
        }
        long before = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
        for (int i = 0; i < 200; i++) {
            crm.fullName(id);
            crm.lastNameAsync(id).join();
        }
        long started = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - before;
        assertTrue(started <= 4, started + " threads started over 400 calls");
    }
}
