package com.example.crm;

import dev.dataverse.*;
import dev.dataverse.java.*;
import java.io.*;
import java.nio.file.*;
import java.time.*;
import java.util.*;

/**
 * Writes the contacts to a file. Written with wildcard imports of the library's packages next to the JDK's, as much
 * Java code is: it compiles only if no type of the library is named like one of the JDK's (e.g. {@code Files}).
 */
public final class ContactExport {
    private ContactExport() {
    }

    public static Path export(DataverseBlockingClient client, Path directory) throws IOException {
        List<String> lines = new ArrayList<>();
        ListOptions options = ListOptions.builder().select("firstname", "lastname").build();
        for (DataverseRecord contact : client.records().list("contact", options)) {
            lines.add(contact.getString("firstname") + "," + contact.getString("lastname"));
        }
        Collections.sort(lines);
        Path file = directory.resolve("contacts-" + LocalDate.now() + ".csv");
        return Files.write(file, lines);
    }
}
