package dev.dataverse.dokka

import org.jetbrains.dokka.plugability.DokkaContext
import org.jetbrains.dokka.validity.PreGenerationChecker
import org.jetbrains.dokka.validity.PreGenerationCheckerOutput

/**
 * Empties Dokka's output directory before the generation writes into it, so that it holds this run's pages only:
 * Dokka overwrites the pages it writes but leaves those of a previous run that no longer exist (a renamed class, a
 * member now hidden), which would otherwise end up in the -javadoc jar. It is a pre-generation check because that is
 * the step Dokka runs before any other; it fails the generation when something cannot be removed.
 */
internal class FreshOutput(private val context: DokkaContext) : PreGenerationChecker {
    override fun invoke(): PreGenerationCheckerOutput {
        val output = context.configuration.outputDir
        val left = output.listFiles().orEmpty().filterNot { it.deleteRecursively() }
        return PreGenerationCheckerOutput(
            result = left.isEmpty(),
            messages = left.map { "Cannot remove $it from a previous run; remove it or run `clean`." },
        )
    }
}
