package dev.dataverse.dokka

import org.jetbrains.dokka.DokkaSourceSetID
import org.jetbrains.dokka.DokkaSourceSetImpl
import org.jetbrains.dokka.links.Callable
import org.jetbrains.dokka.links.DRI
import org.jetbrains.dokka.model.AdditionalModifiers
import org.jetbrains.dokka.model.Annotations
import org.jetbrains.dokka.model.Bound
import org.jetbrains.dokka.model.Contravariance
import org.jetbrains.dokka.model.Covariance
import org.jetbrains.dokka.model.DClass
import org.jetbrains.dokka.model.DFunction
import org.jetbrains.dokka.model.DModule
import org.jetbrains.dokka.model.DPackage
import org.jetbrains.dokka.model.DParameter
import org.jetbrains.dokka.model.DProperty
import org.jetbrains.dokka.model.DefaultValue
import org.jetbrains.dokka.model.ExtraModifiers
import org.jetbrains.dokka.model.GenericTypeConstructor
import org.jetbrains.dokka.model.IntegerConstant
import org.jetbrains.dokka.model.JavaModifier
import org.jetbrains.dokka.model.JavaObject
import org.jetbrains.dokka.model.JavaVisibility
import org.jetbrains.dokka.model.KotlinModifier
import org.jetbrains.dokka.model.KotlinVisibility
import org.jetbrains.dokka.model.Nullable
import org.jetbrains.dokka.model.PrimaryConstructorExtra
import org.jetbrains.dokka.model.PrimitiveJavaType
import org.jetbrains.dokka.model.Projection
import org.jetbrains.dokka.model.UnresolvedBound
import org.jetbrains.dokka.model.Void
import org.jetbrains.dokka.model.properties.PropertyContainer
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** Each rule of the Java view, on a hand-made Dokka model (the real output is checked by dataverse-junit's JavadocJarsTest). */
class JavaViewTest {
    private val sourceSet = DokkaSourceSetImpl(sourceSetID = DokkaSourceSetID("m", "jvm"))
    private val owner = DRI("p", "Api")

    private fun kotlin(name: String, vararg arguments: Projection): GenericTypeConstructor =
        GenericTypeConstructor(DRI("kotlin", name), arguments.toList())

    private fun parameter(name: String, type: Bound, vararg modifiers: ExtraModifiers, default: Long? = null) = DParameter(
        dri = owner, name = name, documentation = emptyMap(), expectPresentInSet = null, type = type, sourceSets = setOf(sourceSet),
        extra = PropertyContainer.withAll(
            AdditionalModifiers(mapOf(sourceSet to modifiers.toSet())),
            default?.let { DefaultValue(mapOf(sourceSet to IntegerConstant(it))) },
        ),
    )

    private fun function(
        name: String,
        type: Bound,
        vararg parameters: DParameter,
        modifiers: Set<ExtraModifiers> = emptySet(),
        annotations: List<String> = emptyList(),
        constructor: Boolean = false,
    ) = DFunction(
        dri = owner.copy(callable = Callable(name, null, emptyList())), name = name, isConstructor = constructor,
        parameters = parameters.toList(), documentation = emptyMap(), expectPresentInSet = null, sources = emptyMap(),
        visibility = mapOf(sourceSet to KotlinVisibility.Public), type = type, generics = emptyList(), receiver = null,
        modifier = mapOf(sourceSet to KotlinModifier.Final), sourceSets = setOf(sourceSet), isExpectActual = false,
        extra = PropertyContainer.withAll(
            AdditionalModifiers(mapOf(sourceSet to modifiers)),
            Annotations(mapOf(sourceSet to annotations.map { Annotations.Annotation(DRI("kotlin.jvm", it), emptyMap()) })),
        ),
    )

    private fun classWith(functions: List<DFunction> = emptyList(), properties: List<DProperty> = emptyList(), constructors: List<DFunction> = emptyList()) =
        DClass(
            dri = owner, name = "Api", constructors = constructors, functions = functions, properties = properties,
            classlikes = emptyList(), sources = emptyMap(), visibility = mapOf(sourceSet to JavaVisibility.Public), companion = null,
            generics = emptyList(), supertypes = emptyMap(), documentation = emptyMap(), expectPresentInSet = null,
            modifier = mapOf(sourceSet to JavaModifier.Final), sourceSets = setOf(sourceSet), isExpectActual = false,
        )

    private fun module(api: DClass) = DModule(
        name = "m",
        packages = listOf(
            DPackage(DRI("p"), emptyList(), emptyList(), listOf(api), emptyList(), emptyMap(), null, setOf(sourceSet)),
        ),
        documentation = emptyMap(), sourceSets = setOf(sourceSet),
    )

    private fun DModule.api(): DClass = packages.single().classlikes.single() as DClass

    @Test
    fun unitIsVoidAndNonNullPrimitivesArePrimitive() {
        val api = JavaTypes.transform(
            module(classWith(listOf(function("count", kotlin("Int"), parameter("flag", kotlin("Boolean")), parameter("limit", Nullable(kotlin("Long")))),
                function("delete", kotlin("Unit"))))),
        ).api()

        val count = api.functions.single { it.name == "count" }
        assertEquals(PrimitiveJavaType("int"), count.type)
        assertEquals(PrimitiveJavaType("boolean"), count.parameters[0].type)
        assertEquals(Nullable(kotlin("Long")), count.parameters[1].type, "a nullable Long stays boxed")
        assertEquals(Void, api.functions.single { it.name == "delete" }.type)
    }

    @Test
    fun arraysAndVarargsAreJavaArrays() {
        val api = JavaTypes.transform(
            module(classWith(listOf(function("names", kotlin("Array", Covariance(kotlin("String"))),
                parameter("bytes", kotlin("ByteArray")), parameter("columns", kotlin("String"), ExtraModifiers.KotlinOnlyModifiers.VarArg))))),
        ).api().functions.single()

        assertEquals(UnresolvedBound("String[]"), api.type)
        assertEquals(UnresolvedBound("byte[]"), api.parameters[0].type)
        assertEquals(UnresolvedBound("String..."), api.parameters[1].type)
    }

    @Test
    fun aSuspendFunctionReturnsObjectAndTakesItsContinuation() {
        val load = JavaTypes.transform(
            module(classWith(listOf(function("load", kotlin("Int"), parameter("table", kotlin("String")),
                modifiers = setOf(ExtraModifiers.KotlinOnlyModifiers.Suspend))))),
        ).api().functions.single()

        assertEquals(JavaObject(), load.type)
        assertEquals(listOf("table", "\$completion"), load.parameters.map { it.name })
        assertEquals(
            GenericTypeConstructor(DRI("kotlin.coroutines", "Continuation"), listOf(Contravariance(kotlin("Int")))),
            load.parameters[1].type,
            "the continuation's type argument stays the Kotlin type, boxed as Java sees it",
        )
    }

    @Test
    fun leavesOutWhatJavaCannotCall() {
        val reified = function("decode", kotlin("Any"), modifiers = setOf(ExtraModifiers.KotlinOnlyModifiers.Inline))
            .let { it.copy(generics = listOf(org.jetbrains.dokka.model.DTypeParameter(
                org.jetbrains.dokka.model.Invariance(org.jetbrains.dokka.model.TypeParameter(owner, "T")), emptyMap(), null, emptyList(), setOf(sourceSet)))) }
        val takesDuration = function("wait", kotlin("Unit"), parameter("timeout", GenericTypeConstructor(DRI("kotlin.time", "Duration"), emptyList())))
        val api = JavaTypes.transform(module(classWith(listOf(reified, takesDuration, function("kept", kotlin("Unit")))))).api()

        assertEquals(listOf("kept"), api.functions.map { it.name })
    }

    @Test
    fun aConstructorWithDefaultsForAllParametersHasANoArgumentOne() {
        val primary = function("Api", kotlin("Unit"), parameter("size", kotlin("Int"), default = 10), constructor = true)
            .let { it.copy(extra = it.extra + PrimaryConstructorExtra) }
        val secondary = function("Api", kotlin("Unit"), parameter("name", kotlin("String"), default = 1), constructor = true)

        assertEquals(listOf(1, 0), JavaTypes.transform(module(classWith(constructors = listOf(primary)))).api().constructors.map { it.parameters.size })
        assertEquals(listOf(1), JavaTypes.transform(module(classWith(constructors = listOf(secondary)))).api().constructors.map { it.parameters.size },
            "Kotlin adds no constructor for a secondary one")
    }

    @Test
    fun noKotlinJvmAnnotationsNoPrivateFields() {
        val annotated = function("of", kotlin("Unit"), annotations = listOf("JvmStatic", "JvmOverloads"))
        val privateField = DProperty(
            dri = owner, name = "id", documentation = emptyMap(), expectPresentInSet = null, sources = emptyMap(),
            visibility = mapOf(sourceSet to JavaVisibility.Private), type = kotlin("String"), receiver = null, setter = null,
            getter = null, modifier = mapOf(sourceSet to JavaModifier.Final), sourceSets = setOf(sourceSet), generics = emptyList(),
            isExpectActual = false,
        )
        val publicField = privateField.copy(name = "MAX", visibility = mapOf(sourceSet to JavaVisibility.Public))
        val api = JavaMembers.transform(module(classWith(listOf(annotated), listOf(privateField, publicField)))).api()

        @Suppress("DEPRECATION")
        assertTrue(api.functions.single().extra[Annotations]!!.content.values.flatten().isEmpty())
        assertEquals(listOf("MAX"), api.properties.map { it.name })
    }
}
