package dev.dataverse.spring

import dev.dataverse.DataverseClient

/**
 * Adjusts the client builder after the properties were applied: add policies or instrumentation, set an SSL context.
 * Every bean of this type is applied, in order.
 *
 * ```java
 * @Bean DataverseClientBuilderCustomizer auditHeader() {
 *     return builder -> builder.addPolicy(request -> request.setHeader("x-app-audit", "orders"));
 * }
 * ```
 */
public fun interface DataverseClientBuilderCustomizer {
    /** Called once per context, before the client is built. */
    public fun customize(builder: DataverseClient.Builder)
}
