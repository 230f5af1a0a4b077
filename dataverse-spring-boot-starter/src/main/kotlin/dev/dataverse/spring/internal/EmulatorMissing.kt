package dev.dataverse.spring.internal

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer
import org.springframework.boot.diagnostics.FailureAnalysis
import org.springframework.context.annotation.Configuration

/**
 * `dataverse.emulator.enabled=true` while `dev.dataverse:dataverse-emulator` is not on the classpath. Startup fails with
 * it instead of quietly skipping the emulator, which would leave the clients pointed at `dataverse.environment-url`: a
 * test meant for the emulator must never write to a real environment.
 */
internal class EmulatorMissingException : IllegalStateException(MESSAGE) {
    companion object {
        const val ARTIFACT = "dev.dataverse:dataverse-emulator"
        const val EMULATOR_CLASS = "dev.dataverse.emulator.DataverseEmulator"
        const val MESSAGE = "'dataverse.emulator.enabled=true' asks for the embedded Dataverse emulator, but $ARTIFACT is not on " +
            "the classpath ($EMULATOR_CLASS cannot be loaded). Add $ARTIFACT (test scope), or remove the property to use " +
            "'dataverse.environment-url'."
    }
}

/**
 * Imported by the auto-configuration: `dataverse.emulator.enabled=true` without the emulator on the classpath fails
 * startup, naming the artifact to add, also when the application defines its own client (the client bean checks too,
 * so that its own errors, such as a missing environment URL, never hide this one).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingClass(EmulatorMissingException.EMULATOR_CLASS)
@ConditionalOnBooleanProperty("dataverse.emulator.enabled")
internal class MissingEmulatorConfiguration {
    init {
        throw EmulatorMissingException()
    }
}

/** Tells, at a failed startup, which dependency to add: Spring Boot prints this instead of the stack trace. */
internal class EmulatorMissingFailureAnalyzer : AbstractFailureAnalyzer<EmulatorMissingException>() {
    override fun analyze(rootFailure: Throwable, cause: EmulatorMissingException): FailureAnalysis = FailureAnalysis(
        "The property 'dataverse.emulator.enabled' is true, but the Dataverse emulator (${EmulatorMissingException.ARTIFACT}) is " +
            "not on the classpath. The clients were not pointed at 'dataverse.environment-url' instead: a test meant for the " +
            "emulator must not reach a real environment.",
        "Add the emulator to the test classpath, with the same version as dataverse-spring-boot-starter:\n\n" +
            "    <dependency>\n" +
            "        <groupId>dev.dataverse</groupId>\n" +
            "        <artifactId>dataverse-emulator</artifactId>\n" +
            "        <scope>test</scope>\n" +
            "    </dependency>\n\n" +
            "(Gradle: testImplementation(\"${EmulatorMissingException.ARTIFACT}\")), or remove 'dataverse.emulator.enabled' " +
            "to connect to 'dataverse.environment-url'.",
        cause,
    )
}
