package dev.dataverse.dokka

import org.jetbrains.dokka.model.DAnnotation
import org.jetbrains.dokka.model.DClass
import org.jetbrains.dokka.model.DClasslike
import org.jetbrains.dokka.model.DEnum
import org.jetbrains.dokka.model.DFunction
import org.jetbrains.dokka.model.DInterface
import org.jetbrains.dokka.model.DModule
import org.jetbrains.dokka.model.DObject
import org.jetbrains.dokka.model.DPackage
import org.jetbrains.dokka.model.DProperty
import org.jetbrains.dokka.model.DTypeParameter
import org.jetbrains.dokka.model.Documentable

/**
 * Rewrites of the members of a documentation model: every function (constructors included), property and type
 * parameter of every package and class-like, nested ones and companions too. [function] and [property] may drop a
 * member by returning null; [classlike] sees each class-like after its members were rewritten.
 */
internal class Members(
    val function: (owner: Documentable, function: DFunction) -> DFunction? = { _, f -> f },
    val property: (owner: Documentable, property: DProperty) -> DProperty? = { _, p -> p },
    val typeParameter: (DTypeParameter) -> DTypeParameter = { it },
    val classlike: (DClasslike) -> DClasslike = { it },
)

internal fun DModule.rewrite(members: Members): DModule = copy(packages = packages.map { it.rewrite(members) })

internal fun DPackage.rewrite(members: Members): DPackage = copy(
    functions = functions.mapNotNull { members.function(this, it) },
    properties = properties.mapNotNull { members.property(this, it) },
    classlikes = classlikes.map { it.rewrite(members) },
)

internal fun DClasslike.rewrite(members: Members): DClasslike {
    val owner = this
    fun functions(list: List<DFunction>) = list.mapNotNull { members.function(owner, it) }
    fun properties(list: List<DProperty>) = list.mapNotNull { members.property(owner, it) }
    fun classlikes(list: List<DClasslike>) = list.map { it.rewrite(members) }
    fun companion(companion: DObject?) = companion?.rewrite(members) as DObject?
    fun generics(list: List<DTypeParameter>) = list.map(members.typeParameter)

    val rewritten = when (this) {
        is DClass -> copy(
            constructors = functions(constructors),
            functions = functions(functions),
            properties = properties(properties),
            classlikes = classlikes(classlikes),
            companion = companion(companion),
            generics = generics(generics),
        )
        is DInterface -> copy(
            functions = functions(functions),
            properties = properties(properties),
            classlikes = classlikes(classlikes),
            companion = companion(companion),
            generics = generics(generics),
        )
        is DObject -> copy(
            functions = functions(functions),
            properties = properties(properties),
            classlikes = classlikes(classlikes),
        )
        is DEnum -> copy(
            entries = entries.map { entry ->
                entry.copy(
                    functions = entry.functions.mapNotNull { members.function(entry, it) },
                    properties = entry.properties.mapNotNull { members.property(entry, it) },
                    classlikes = classlikes(entry.classlikes),
                )
            },
            constructors = functions(constructors),
            functions = functions(functions),
            properties = properties(properties),
            classlikes = classlikes(classlikes),
            companion = companion(companion),
        )
        is DAnnotation -> copy(
            constructors = functions(constructors),
            functions = functions(functions),
            properties = properties(properties),
            classlikes = classlikes(classlikes),
            companion = companion(companion),
            generics = generics(generics),
        )
    }
    return members.classlike(rewritten)
}
