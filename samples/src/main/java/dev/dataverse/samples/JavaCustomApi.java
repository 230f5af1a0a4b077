package dev.dataverse.samples;

import dev.dataverse.MessageRequest;
import dev.dataverse.MessageResult;
import dev.dataverse.emulator.CustomApi;
import dev.dataverse.emulator.CustomApiBindingType;
import dev.dataverse.emulator.CustomApiParameter;
import dev.dataverse.emulator.CustomApiProperty;
import dev.dataverse.emulator.CustomApiType;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.java.DataverseBlockingClient;
import dev.dataverse.java.DataverseClientBuilder;
import java.util.List;
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
            emulator.registerCustomApi(new CustomApi(
                    "sample_Greet", false, CustomApiBindingType.GLOBAL, null,
                    List.of(new CustomApiParameter("Name", CustomApiType.STRING)),
                    List.of(new CustomApiProperty("Greeting", CustomApiType.STRING)),
                    call -> Map.of("Greeting", "Hello, " + call.getParameters().get("Name") + "!")));
            try (DataverseBlockingClient client = new DataverseClientBuilder().environmentUrl(emulator.getBaseUrl()).token("emulator").buildClient()) {
                MessageResult result = client.messages().execute(MessageRequest.action("sample_Greet").parameter("Name", "Java").build());
                System.out.println("sample_Greet answered: " + result.toRecord().getString("Greeting"));
            }
        }
    }
}
