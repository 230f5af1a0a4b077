package dev.dataverse.dokka

import org.jetbrains.dokka.CoreExtensions
import org.jetbrains.dokka.kotlinAsJava.KotlinAsJavaPlugin
import org.jetbrains.dokka.model.DModule
import org.jetbrains.dokka.plugability.DokkaContext
import org.jetbrains.dokka.plugability.DokkaPlugin
import org.jetbrains.dokka.plugability.DokkaPluginApiPreview
import org.jetbrains.dokka.plugability.Extension
import org.jetbrains.dokka.plugability.PluginApiPreviewAcknowledgement
import org.jetbrains.dokka.transformers.documentation.DocumentableTransformer
import org.jetbrains.dokka.validity.PreGenerationChecker

/**
 * Completes Dokka's Kotlin-as-Java view, so that the -javadoc jars show the declarations Java code compiles against.
 *
 * Kotlin-as-Java turns properties into getters and moves top-level declarations into their `...Kt` classes, but it
 * still shows `Unit` return types, boxed types for Kotlin's primitives, `Array<T>`, a vararg as its element type,
 * suspend functions without their continuation, `@JvmOverloads()` and the other Kotlin JVM annotations, and every
 * property as a private field. This plugin fixes the types before Kotlin-as-Java converts the model
 * ([JavaTypes]) and the members after it ([JavaMembers]).
 *
 * It also empties the output directory before Dokka writes ([FreshOutput]): Dokka writes over a previous run's pages
 * without removing those that no longer exist, and the -javadoc jar is made of that directory.
 *
 * Dokka loads it from its `dokkaPlugins`, next to `kotlin-as-java-plugin`, which it requires.
 */
public class JavaViewPlugin : DokkaPlugin() {
    private val kotlinAsJava by lazy { plugin<KotlinAsJavaPlugin>() }

    /** Java types, on the Kotlin model, where nullability and Kotlin's own types can still be told apart. */
    public val javaTypes: Extension<DocumentableTransformer, *, *> by extending {
        CoreExtensions.documentableTransformer with ModuleTransformer(JavaTypes::transform) order {
            before(kotlinAsJava.kotlinAsJavaDocumentableTransformer)
        }
    }

    /** Java members, after Kotlin-as-Java (and its `@JvmName` pass) have read the annotations this removes. */
    public val javaMembers: Extension<DocumentableTransformer, *, *> by extending {
        CoreExtensions.documentableTransformer with ModuleTransformer(JavaMembers::transform) order {
            after(kotlinAsJava.kotlinAsJavaDocumentableTransformer, kotlinAsJava.jvmNameTransformer)
        }
    }

    /** Runs first in the generation, before anything is written. */
    public val freshOutput: Extension<PreGenerationChecker, *, *> by extending {
        CoreExtensions.preGenerationCheck providing ::FreshOutput
    }

    @OptIn(DokkaPluginApiPreview::class)
    override fun pluginApiPreviewAcknowledgement(): PluginApiPreviewAcknowledgement = PluginApiPreviewAcknowledgement
}

private class ModuleTransformer(private val transform: (DModule) -> DModule) : DocumentableTransformer {
    override fun invoke(original: DModule, context: DokkaContext): DModule = transform(original)
}
