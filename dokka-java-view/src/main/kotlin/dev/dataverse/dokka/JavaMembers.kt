package dev.dataverse.dokka

import org.jetbrains.dokka.links.DRI
import org.jetbrains.dokka.model.AdditionalModifiers
import org.jetbrains.dokka.model.AnnotationTarget
import org.jetbrains.dokka.model.Annotations
import org.jetbrains.dokka.model.DAnnotation
import org.jetbrains.dokka.model.DClass
import org.jetbrains.dokka.model.DClasslike
import org.jetbrains.dokka.model.DEnum
import org.jetbrains.dokka.model.DFunction
import org.jetbrains.dokka.model.DInterface
import org.jetbrains.dokka.model.DModule
import org.jetbrains.dokka.model.DObject
import org.jetbrains.dokka.model.DProperty
import org.jetbrains.dokka.model.Documentable
import org.jetbrains.dokka.model.ExtraModifiers
import org.jetbrains.dokka.model.JavaModifier
import org.jetbrains.dokka.model.JavaVisibility
import org.jetbrains.dokka.model.WithCompanion
import org.jetbrains.dokka.model.properties.ExtraProperty
import org.jetbrains.dokka.model.properties.PropertyContainer

/**
 * The members of the converted model as Java code sees them:
 * - no annotation of `kotlin.jvm` (`@JvmOverloads`, `@JvmStatic`, `@JvmField`, `@JvmName`, ...): they shape the Java
 *   signatures, which already show their effect, and are no annotation Java code can see on the member;
 * - no private field: Kotlin-as-Java shows every property as a private field next to its getter, but Java code cannot
 *   see private members (`@JvmField`, `const` and object instances stay, as the public fields they are);
 * - an enum's `values()`, `valueOf(String)` and `getEntries()` are `static` (not `final`), and its `name()` and
 *   `ordinal()` are Java's, not the getters of Kotlin's `name` and `ordinal` properties;
 * - objects and companion objects are final classes; a companion has no `INSTANCE` field (Java reaches it through
 *   the outer class's static `Companion` field) and its functions are instance methods, while the `@JvmStatic` ones of
 *   an interface's companion are also static methods of the interface.
 */
internal object JavaMembers {
    fun transform(module: DModule): DModule {
        val rewritten = module.rewrite(
            Members(
                function = { owner, function -> function.withoutKotlinJvmAnnotations().asJavaEnumMember(owner) },
                property = { _, property ->
                    if (property.visibility.values.all { it == JavaVisibility.Private }) null
                    else property.copy(extra = property.extra.withoutKotlinJvmAnnotations())
                },
                classlike = { it.withInterfaceCompanionStatics().withoutKotlinJvmAnnotations() },
            ),
        )
        return rewritten.copy(
            packages = rewritten.packages.map { p ->
                p.copy(classlikes = p.classlikes.filter { c -> c.name?.let(::isJavaName) != false }.map { c -> c.withObjectsAsClasses(null) })
            },
        )
    }

    /**
     * Whether Java code can name a class: a file facade named `@file:JvmName("-Xxx")` (okio's convention for files of
     * Kotlin-only functions) cannot be, so it gets no page.
     */
    private fun isJavaName(name: String): Boolean =
        name.isNotEmpty() && Character.isJavaIdentifierStart(name[0]) && name.all(Character::isJavaIdentifierPart)
}

private val ENUM_STATICS = setOf("values" to 0, "valueOf" to 1, "getEntries" to 0)
private val ENUM_FINAL_METHODS = mapOf("getName" to "name", "getOrdinal" to "ordinal")

private fun DFunction.asJavaEnumMember(owner: Documentable): DFunction {
    if (owner !is DEnum) return this
    if ((name to parameters.size) in ENUM_STATICS) {
        return copy(modifier = sourceSets.associateWith { JavaModifier.Empty }).withModifier(ExtraModifiers.JavaOnlyModifiers.Static)
    }
    val javaName = ENUM_FINAL_METHODS[name]?.takeIf { parameters.isEmpty() } ?: return this
    return copy(name = javaName, dri = dri.copy(callable = dri.callable?.copy(name = javaName)))
}

private fun DFunction.withModifier(modifier: ExtraModifiers): DFunction {
    val current = extra[AdditionalModifiers]?.content.orEmpty()
    return copy(extra = extra + AdditionalModifiers(sourceSets.associateWith { current[it].orEmpty() + modifier }))
}

private fun DFunction.withoutModifier(modifier: ExtraModifiers): DFunction {
    val current = extra[AdditionalModifiers]?.content ?: return this
    return copy(extra = extra + AdditionalModifiers(current.mapValues { (_, modifiers) -> modifiers - modifier }))
}

/** Kotlin-as-Java marks the `@JvmStatic` functions of objects static (the annotation itself is gone by now). */
private fun DFunction.isStatic(): Boolean =
    extra[AdditionalModifiers]?.content?.values?.any { ExtraModifiers.JavaOnlyModifiers.Static in it } == true

/**
 * Kotlin-as-Java lifts the `@JvmStatic` functions and the constants of a class's companion into the class, but not
 * those of an interface's companion, which Java sees in the interface too: the functions as static methods (and
 * instance methods of the companion), the constants as static fields (of the companion too).
 */
private fun DClasslike.withInterfaceCompanionStatics(): DClasslike {
    if (this !is DInterface) return this
    val companion = classlikes.filterIsInstance<DObject>().firstOrNull { it.dri == this.companion?.dri } ?: return this
    val staticFunctions = companion.functions.filter { it.isStatic() }.map { function ->
        function.copy(dri = function.dri.copy(classNames = dri.classNames))
    }
    val constants = companion.properties.filter { it.name != OBJECT_INSTANCE && it.isStatic() }
    return copy(
        functions = functions + staticFunctions,
        properties = properties + constants.map { it.copy(dri = it.dri.copy(classNames = dri.classNames)) },
    )
}

private fun DProperty.isStatic(): Boolean =
    extra[AdditionalModifiers]?.content?.values?.any { ExtraModifiers.JavaOnlyModifiers.Static in it } == true

/** Objects as the final classes Java sees; [companionDri] names the companion of the class-like holding this one. */
private fun DClasslike.withObjectsAsClasses(companionDri: DRI?): DClasslike {
    val ownCompanion = (this as? WithCompanion)?.companion?.dri
    fun nested(list: List<DClasslike>) = list.map { it.withObjectsAsClasses(ownCompanion) }
    return when (this) {
        is DClass -> copy(classlikes = nested(classlikes), companion = null)
        is DInterface -> copy(classlikes = nested(classlikes), companion = null)
        is DEnum -> copy(classlikes = nested(classlikes), companion = null)
        is DAnnotation -> copy(classlikes = nested(classlikes), companion = null)
        is DObject -> copy(classlikes = nested(classlikes)).asFinalClass(isCompanion = dri == companionDri)
    }
}

private fun DObject.asFinalClass(isCompanion: Boolean): DClass = DClass(
    dri = dri,
    name = name.orEmpty(),
    constructors = emptyList(),
    functions = if (isCompanion) functions.map { it.withoutModifier(ExtraModifiers.JavaOnlyModifiers.Static) } else functions,
    properties = if (isCompanion) properties.filterNot { it.name == OBJECT_INSTANCE } else properties,
    classlikes = classlikes,
    sources = sources,
    visibility = visibility,
    companion = null,
    generics = emptyList(),
    supertypes = supertypes,
    documentation = documentation,
    expectPresentInSet = expectPresentInSet,
    modifier = sourceSets.associateWith { JavaModifier.Final },
    sourceSets = sourceSets,
    isExpectActual = isExpectActual,
    extra = PropertyContainer.withAll(extra.allOfType<ExtraProperty<DClass>>()),
    typealiases = typealiases,
)

/** The field Kotlin-as-Java gives every object, a companion too. */
private const val OBJECT_INSTANCE = "INSTANCE"

private fun DFunction.withoutKotlinJvmAnnotations(): DFunction = copy(
    extra = extra.withoutKotlinJvmAnnotations(),
    parameters = parameters.map { it.copy(extra = it.extra.withoutKotlinJvmAnnotations()) },
)

private fun DClasslike.withoutKotlinJvmAnnotations(): DClasslike = when (this) {
    is DClass -> copy(extra = extra.withoutKotlinJvmAnnotations())
    is DInterface -> copy(extra = extra.withoutKotlinJvmAnnotations())
    is DObject -> copy(extra = extra.withoutKotlinJvmAnnotations())
    is DEnum -> copy(extra = extra.withoutKotlinJvmAnnotations())
    is DAnnotation -> copy(extra = extra.withoutKotlinJvmAnnotations())
}

internal fun <T : AnnotationTarget> PropertyContainer<T>.withoutKotlinJvmAnnotations(): PropertyContainer<T> {
    val annotations = this[Annotations] ?: return this
    @Suppress("DEPRECATION") // `content` is the one view of the annotations of every scope
    val kept = annotations.content.mapValues { (_, list) -> list.filterNot { it.dri.packageName == "kotlin.jvm" } }
    return this + Annotations(kept)
}
