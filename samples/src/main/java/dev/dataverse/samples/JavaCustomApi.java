package dev.dataverse.samples;

import dev.dataverse.MessageRequest;
import dev.dataverse.MessageResult;
import dev.dataverse.emulator.CustomApi;
import dev.dataverse.emulator.CustomApiType;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.java.DataverseBlockingClient;
import dev.dataverse.java.DataverseClientBuilder;
import java.util.Map;

/**
 * A custom API of your own, registered in an embedded emulator and called from Java.
 *
 * <p>Run with {@code ./mvnw -q compile exec:java -pl samples -am -Dexec.mainClass=dev.dataverse.samples.JavaCustomApi}.
 */
public final class JavaCustomApi {
    private JavaCustomApi() {
    }

    public static void main(String[] args) {
        try (DataverseEmulator emulator = DataverseEmulator.start()) {
            emulator.registerCustomApi(CustomApi.builder("sample_Greet")
                    .requestParameter("Name", CustomApiType.STRING)
                    .responseProperty("Greeting", CustomApiType.STRING)
                    .handler(call -> Map.of("Greeting", "Hello, " + call.getParameters().get("Name") + "!"))
                    .build());
            try (DataverseBlockingClient client = new DataverseClientBuilder().environmentUrl(emulator.getBaseUrl()).token("emulator").buildClient()) {
                MessageResult result = client.messages().execute(MessageRequest.action("sample_Greet").parameter("Name", "Java").build());
                System.out.println("sample_Greet answered: " + result.toRecord().getString("Greeting"));
            }
        }
    }
}
