package dev.dataverse.dokka

import org.jetbrains.dokka.links.DRI
import org.jetbrains.dokka.links.PointingToCallableParameters
import org.jetbrains.dokka.model.AdditionalModifiers
import org.jetbrains.dokka.model.Annotations
import org.jetbrains.dokka.model.Bound
import org.jetbrains.dokka.model.Contravariance
import org.jetbrains.dokka.model.Covariance
import org.jetbrains.dokka.model.DClass
import org.jetbrains.dokka.model.DClasslike
import org.jetbrains.dokka.model.DFunction
import org.jetbrains.dokka.model.DModule
import org.jetbrains.dokka.model.DParameter
import org.jetbrains.dokka.model.DProperty
import org.jetbrains.dokka.model.DTypeParameter
import org.jetbrains.dokka.model.DefaultValue
import org.jetbrains.dokka.model.DefinitelyNonNullable
import org.jetbrains.dokka.model.Dynamic
import org.jetbrains.dokka.model.ExtraModifiers
import org.jetbrains.dokka.model.FunctionalTypeConstructor
import org.jetbrains.dokka.model.GenericTypeConstructor
import org.jetbrains.dokka.model.Invariance
import org.jetbrains.dokka.model.JavaObject
import org.jetbrains.dokka.model.Nullable
import org.jetbrains.dokka.model.PrimaryConstructorExtra
import org.jetbrains.dokka.model.PrimitiveJavaType
import org.jetbrains.dokka.model.Projection
import org.jetbrains.dokka.model.Star
import org.jetbrains.dokka.model.TypeAliased
import org.jetbrains.dokka.model.TypeConstructor
import org.jetbrains.dokka.model.TypeParameter
import org.jetbrains.dokka.model.UnresolvedBound
import org.jetbrains.dokka.model.Void

/**
 * The types of the Kotlin model as the JVM signatures have them, before Kotlin-as-Java maps the remaining Kotlin
 * classes to their Java counterparts (`kotlin.String` to `String`, `kotlin.Int` in a type argument to `Integer`):
 * - a non-null `Int`, `Long`, `Boolean`, ... parameter, field or return type is a Java primitive; a nullable one or a
 *   type argument stays boxed;
 * - `Unit` returned is `void`;
 * - `Array<T>` is `T[]` and `IntArray`, `ByteArray`, ... are `int[]`, `byte[]`, ..., wherever they occur;
 * - a `vararg` parameter is `T...` rather than its element type;
 * - a suspend function returns `Object` and takes a last `Continuation<? super R> $completion` parameter;
 * - a type parameter bounded by `Any` or `Any?` has no bound (`<T>`);
 * - a class whose constructor has defaults for all its parameters also has the constructor without arguments Kotlin
 *   adds for it;
 * - a function or constructor taking a value class (`kotlin.time.Duration`, ...) is left out: Java sees it under a
 *   mangled name, or not at all;
 * - an inline function with type parameters is left out: Dokka's model does not say whether they are reified, and a
 *   reified one is synthetic in bytecode, so Java cannot call it (every such function of this library is reified;
 *   the docs test compares the pages with what Java sees).
 */
internal object JavaTypes {
    fun transform(module: DModule): DModule {
        val valueClasses = KOTLIN_VALUE_CLASSES + module.valueClasses()
        return module.rewrite(
            Members(
                function = { _, function ->
                    if (function.isInlineGeneric() || function.takesValueClass(valueClasses)) null else function.withJavaTypes()
                },
                property = { _, property -> property.withJavaTypes() },
                typeParameter = { it.withoutAnyBound() },
                classlike = { it.withNoArgumentConstructor() },
            ),
        )
    }
}

/**
 * The standard library's value classes. A function or constructor that takes one is not what Java sees: Kotlin mangles
 * the function's name (`foo-LRDsOJo`), or hides the constructor behind a synthetic one, unless the library gives Java
 * an overload of its own (as `RetryOptions.Builder` does for `kotlin.time.Duration`).
 */
private val KOTLIN_VALUE_CLASSES = setOf(
    DRI("kotlin.time", "Duration"), DRI("kotlin", "Result"),
    DRI("kotlin", "UInt"), DRI("kotlin", "ULong"), DRI("kotlin", "UShort"), DRI("kotlin", "UByte"),
)

/** The value classes the module declares. */
private fun DModule.valueClasses(): Set<DRI> {
    val result = mutableSetOf<DRI>()
    fun visit(classlike: DClasslike) {
        val modifiers = (classlike as? DClass)?.extra?.get(AdditionalModifiers).all()
        if (ExtraModifiers.KotlinOnlyModifiers.Value in modifiers || ExtraModifiers.KotlinOnlyModifiers.Inline in modifiers) {
            result += classlike.dri
        }
        classlike.classlikes.forEach(::visit)
    }
    packages.forEach { it.classlikes.forEach(::visit) }
    return result
}

/**
 * The constructor Kotlin adds without arguments when every parameter of the primary constructor has a default value:
 * Java sees it, Dokka does not (with `@JvmOverloads`, Kotlin-as-Java already shows every overload, this one included).
 */
private fun DClasslike.withNoArgumentConstructor(): DClasslike {
    if (this !is DClass || constructors.any { it.parameters.isEmpty() }) return this
    val allDefaults = constructors.firstOrNull { constructor ->
        constructor.extra[PrimaryConstructorExtra] != null && constructor.parameters.isNotEmpty() &&
            constructor.parameters.all { it.extra[DefaultValue] != null } && !constructor.hasJvmOverloads()
    } ?: return this
    val noArguments = allDefaults.copy(
        parameters = emptyList(),
        dri = allDefaults.dri.copy(callable = allDefaults.dri.callable?.copy(params = emptyList())),
    )
    return copy(constructors = constructors + noArguments)
}

@Suppress("DEPRECATION") // `content` is the one view of the annotations of every scope
private fun DFunction.hasJvmOverloads(): Boolean = extra[Annotations]?.content?.values?.flatten()
    ?.any { it.dri.packageName == "kotlin.jvm" && it.dri.classNames == "JvmOverloads" } == true

private fun DFunction.takesValueClass(valueClasses: Set<DRI>): Boolean =
    parameters.any { parameter -> parameter.type.topLevelDri()?.withoutCallable() in valueClasses }

private fun Bound.topLevelDri(): DRI? = when (this) {
    is TypeConstructor -> dri
    is Nullable -> inner.topLevelDri()
    is DefinitelyNonNullable -> inner.topLevelDri()
    is TypeAliased -> inner.topLevelDri()
    else -> null
}

private fun DRI.withoutCallable(): DRI = DRI(packageName, classNames)

private val PRIMITIVES = mapOf(
    "Int" to "int", "Long" to "long", "Short" to "short", "Byte" to "byte",
    "Boolean" to "boolean", "Char" to "char", "Float" to "float", "Double" to "double",
)

private val PRIMITIVE_ARRAYS = PRIMITIVES.entries.associate { (kotlin, java) -> "${kotlin}Array" to "$java[]" }

/** The Java names of the Kotlin classes that keep their simple name otherwise (`kotlin.String` is `String`). */
private val BOXED_NAMES = mapOf("Int" to "Integer", "Char" to "Character", "Any" to "Object", "Nothing" to "Void")

private fun Projection.isKotlin(name: String): Boolean =
    this is TypeConstructor && dri.packageName == "kotlin" && dri.classNames == name

private fun DFunction.isInlineGeneric(): Boolean =
    generics.isNotEmpty() && hasModifier(ExtraModifiers.KotlinOnlyModifiers.Inline)

internal fun DFunction.withJavaTypes(): DFunction {
    val javaParameters = parameters.map { it.withJavaTypes() }
    val javaGenerics = generics.map { it.withoutAnyBound() }
    if (!hasModifier(ExtraModifiers.KotlinOnlyModifiers.Suspend)) {
        return copy(type = type.asJavaReturnType(), parameters = javaParameters, generics = javaGenerics)
    }
    val continuation = DParameter(
        dri = dri.copy(target = PointingToCallableParameters(parameters.size)),
        name = "\$completion",
        documentation = emptyMap(),
        expectPresentInSet = null,
        type = GenericTypeConstructor(
            DRI("kotlin.coroutines", "Continuation"),
            listOf(Contravariance(type.withJavaArrays())),
        ),
        sourceSets = sourceSets,
    )
    return copy(type = JavaObject(), parameters = javaParameters + continuation, generics = javaGenerics)
}

internal fun DProperty.withJavaTypes(): DProperty = copy(
    type = type.asJavaValueType(),
    getter = getter?.withJavaTypes(),
    setter = setter?.withJavaTypes(),
)

internal fun DParameter.withJavaTypes(): DParameter {
    val javaType = type.asJavaValueType()
    return copy(
        type = if (hasModifier(ExtraModifiers.KotlinOnlyModifiers.VarArg)) UnresolvedBound(javaType.javaText() + "...") else javaType,
    )
}

internal fun DTypeParameter.withoutAnyBound(): DTypeParameter =
    copy(bounds = bounds.filterNot { bound -> bound.isKotlin("Any") || (bound is Nullable && bound.inner.isKotlin("Any")) })

/** A return type: `Unit` is `void`, otherwise as [asJavaValueType]. */
internal fun Bound.asJavaReturnType(): Bound = if (isKotlin("Unit")) Void else asJavaValueType()

/** A parameter, field or return type: a non-null Kotlin primitive is the Java primitive; arrays as [withJavaArrays]. */
internal fun Bound.asJavaValueType(): Bound = when {
    this is TypeAliased -> inner.asJavaValueType()
    this is GenericTypeConstructor && dri.packageName == "kotlin" && dri.classNames in PRIMITIVES ->
        PrimitiveJavaType(PRIMITIVES.getValue(dri.classNames!!))
    else -> withJavaArrays()
}

/** Every `Array<T>` and primitive array in this type, type arguments included, written as a Java array. */
internal fun Bound.withJavaArrays(): Bound = when (this) {
    is GenericTypeConstructor -> when {
        isKotlin("Array") -> UnresolvedBound(arrayElement(projections.singleOrNull()) + "[]")
        dri.packageName == "kotlin" && dri.classNames in PRIMITIVE_ARRAYS -> UnresolvedBound(PRIMITIVE_ARRAYS.getValue(dri.classNames!!))
        else -> copy(projections = projections.map { it.withJavaArrays() })
    }
    is FunctionalTypeConstructor -> copy(projections = projections.map { it.withJavaArrays() })
    is Nullable -> Nullable(inner.withJavaArrays())
    is DefinitelyNonNullable -> DefinitelyNonNullable(inner.withJavaArrays())
    is TypeAliased -> copy(inner = inner.withJavaArrays())
    else -> this
}

private fun Projection.withJavaArrays(): Projection = when (this) {
    is Bound -> withJavaArrays()
    is Covariance<*> -> Covariance(inner.withJavaArrays())
    is Contravariance<*> -> Contravariance(inner.withJavaArrays())
    is Invariance<*> -> Invariance(inner.withJavaArrays())
    Star -> this
}

/** `String` for `Array<String>` and `Array<out String>`, `Object` for `Array<*>`. */
private fun arrayElement(argument: Projection?): String = when (argument) {
    null, Star -> "Object"
    is Covariance<*> -> argument.inner.withJavaArrays().javaText()
    is Contravariance<*> -> argument.inner.withJavaArrays().javaText()
    is Invariance<*> -> argument.inner.withJavaArrays().javaText()
    is Bound -> argument.withJavaArrays().javaText()
}

/** The type as Java source would spell it with simple names, for the types this plugin renders as text. */
internal fun Projection.javaText(): String = when (this) {
    is Nullable -> inner.javaText()
    is DefinitelyNonNullable -> inner.javaText()
    is TypeAliased -> inner.javaText()
    is TypeConstructor -> {
        val simpleName = dri.classNames.orEmpty()
        val name = if (dri.packageName == "kotlin") BOXED_NAMES[simpleName] ?: simpleName else simpleName
        if (projections.isEmpty()) name else projections.joinToString(", ", "$name<", ">") { it.javaText() }
    }
    is TypeParameter -> name
    is Covariance<*> -> "? extends " + inner.javaText()
    is Contravariance<*> -> "? super " + inner.javaText()
    is Invariance<*> -> inner.javaText()
    Star -> "?"
    is PrimitiveJavaType -> name
    is UnresolvedBound -> name
    is JavaObject, Dynamic -> "Object"
    Void -> "void"
}

private fun DFunction.hasModifier(modifier: ExtraModifiers): Boolean = modifier in extra[AdditionalModifiers].all()

private fun DParameter.hasModifier(modifier: ExtraModifiers): Boolean = modifier in extra[AdditionalModifiers].all()

private fun AdditionalModifiers?.all(): Set<ExtraModifiers> = this?.content?.values?.flatten()?.toSet().orEmpty()
