package dev.dataverse.emulator.internal.metadata

import dev.dataverse.emulator.internal.odata.ValueKind

/**
 * A metadata type (`EntityMetadata`, `StringAttributeMetadata`, ...): the structural properties it adds to its
 * base type, with the kind `$filter` treats each as (null for complex values such as labels), and its
 * navigation properties. `$select`, `$filter` and `$expand` are checked against these.
 */
internal class MetadataType(
    val name: String,
    private val base: MetadataType?,
    private val ownProperties: Map<String, ValueKind?>,
    private val ownNavigations: Set<String> = emptySet(),
) {
    /** The qualified name used in `@odata.type` and error messages. */
    val qualifiedName: String get() = "Microsoft.Dynamics.CRM.$name"

    /** Every structural property, inherited ones first. */
    val properties: Map<String, ValueKind?> = (base?.properties ?: emptyMap()) + ownProperties

    /** Every navigation property, inherited ones included. */
    val navigations: Set<String> = (base?.navigations ?: emptySet()) + ownNavigations

    /** Whether this type is [other] or derives from it. */
    fun isA(other: MetadataType): Boolean = this === other || base?.isA(other) == true
}

/** The metadata types the emulator serves. */
internal object MetadataTypes {
    private val S = ValueKind.STRING
    private val B = ValueKind.BOOLEAN
    private val I = ValueKind.INT32
    private val G = ValueKind.GUID

    val ENTITY = MetadataType(
        "EntityMetadata", null,
        linkedMapOf(
            "MetadataId" to G, "LogicalName" to S, "SchemaName" to S, "EntitySetName" to S, "LogicalCollectionName" to S,
            "CollectionSchemaName" to S, "PrimaryIdAttribute" to S, "PrimaryNameAttribute" to S, "DisplayName" to null,
            "DisplayCollectionName" to null, "Description" to null, "ObjectTypeCode" to I, "IsCustomEntity" to B,
            "IsPrivate" to B, "IsActivity" to B, "IsIntersect" to B, "IsManaged" to B, "OwnershipType" to S,
            "HasNotes" to B, "HasActivities" to B, "TableType" to S, "ChangeTrackingEnabled" to B,
        ),
        setOf("Attributes", "Keys", "OneToManyRelationships", "ManyToOneRelationships", "ManyToManyRelationships"),
    )

    val ATTRIBUTE = MetadataType(
        "AttributeMetadata", null,
        linkedMapOf(
            "MetadataId" to G, "LogicalName" to S, "SchemaName" to S, "EntityLogicalName" to S, "AttributeType" to S,
            "AttributeTypeName" to null, "DisplayName" to null, "Description" to null, "IsPrimaryId" to B,
            "IsPrimaryName" to B, "IsValidForCreate" to B, "IsValidForUpdate" to B, "IsValidForRead" to B,
            "IsCustomAttribute" to B, "IsManaged" to B, "RequiredLevel" to null, "AttributeOf" to S, "ColumnNumber" to I,
        ),
    )

    private val ENUM_ATTRIBUTE = MetadataType("EnumAttributeMetadata", ATTRIBUTE, mapOf("DefaultFormValue" to I), setOf("OptionSet"))

    val STRING = MetadataType(
        "StringAttributeMetadata", ATTRIBUTE,
        mapOf("MaxLength" to I, "Format" to S, "FormatName" to null, "DatabaseLength" to I),
    )
    val MEMO = MetadataType("MemoAttributeMetadata", ATTRIBUTE, mapOf("MaxLength" to I, "Format" to S))
    val INTEGER = MetadataType("IntegerAttributeMetadata", ATTRIBUTE, mapOf("MinValue" to I, "MaxValue" to I, "Format" to S))
    val BIG_INT = MetadataType("BigIntAttributeMetadata", ATTRIBUTE, mapOf("MinValue" to ValueKind.INT64, "MaxValue" to ValueKind.INT64))
    val MONEY = MetadataType(
        "MoneyAttributeMetadata", ATTRIBUTE,
        mapOf("MinValue" to ValueKind.DECIMAL, "MaxValue" to ValueKind.DECIMAL, "Precision" to I, "PrecisionSource" to I),
    )
    val DECIMAL = MetadataType(
        "DecimalAttributeMetadata", ATTRIBUTE,
        mapOf("MinValue" to ValueKind.DECIMAL, "MaxValue" to ValueKind.DECIMAL, "Precision" to I),
    )
    val BOOLEAN = MetadataType("BooleanAttributeMetadata", ATTRIBUTE, mapOf("DefaultValue" to B), setOf("OptionSet"))
    val PICKLIST = MetadataType("PicklistAttributeMetadata", ENUM_ATTRIBUTE, emptyMap(), setOf("GlobalOptionSet"))
    val STATE = MetadataType("StateAttributeMetadata", ENUM_ATTRIBUTE, emptyMap())
    val STATUS = MetadataType("StatusAttributeMetadata", ENUM_ATTRIBUTE, emptyMap())
    val LOOKUP = MetadataType("LookupAttributeMetadata", ATTRIBUTE, mapOf("Targets" to null))
    val DATE_TIME = MetadataType("DateTimeAttributeMetadata", ATTRIBUTE, mapOf("Format" to S, "DateTimeBehavior" to null))
    val UNIQUE_IDENTIFIER = MetadataType("UniqueIdentifierAttributeMetadata", ATTRIBUTE, emptyMap())
    val DOUBLE = MetadataType(
        "DoubleAttributeMetadata", ATTRIBUTE,
        mapOf("MinValue" to ValueKind.DECIMAL, "MaxValue" to ValueKind.DECIMAL, "Precision" to I),
    )
    val MULTI_SELECT_PICKLIST = MetadataType("MultiSelectPicklistAttributeMetadata", ENUM_ATTRIBUTE, emptyMap())
    val FILE = MetadataType("FileAttributeMetadata", ATTRIBUTE, mapOf("MaxSizeInKB" to I))
    val IMAGE = MetadataType(
        "ImageAttributeMetadata", ATTRIBUTE,
        mapOf("MaxSizeInKB" to I, "MaxHeight" to I, "MaxWidth" to I, "IsPrimaryImage" to B, "CanStoreFullImage" to B),
    )

    val KEY = MetadataType(
        "EntityKeyMetadata", null,
        linkedMapOf(
            "MetadataId" to G, "LogicalName" to S, "SchemaName" to S, "EntityLogicalName" to S, "KeyAttributes" to null,
            "EntityKeyIndexStatus" to S, "DisplayName" to null, "IsManaged" to B,
        ),
    )

    val RELATIONSHIP = MetadataType(
        "RelationshipMetadataBase", null,
        linkedMapOf(
            "MetadataId" to G, "SchemaName" to S, "RelationshipType" to S, "IsCustomRelationship" to B, "IsManaged" to B,
            "IsValidForAdvancedFind" to B, "SecurityTypes" to S,
        ),
    )
    val ONE_TO_MANY = MetadataType(
        "OneToManyRelationshipMetadata", RELATIONSHIP,
        linkedMapOf(
            "ReferencedEntity" to S, "ReferencedAttribute" to S, "ReferencingEntity" to S, "ReferencingAttribute" to S,
            "ReferencedEntityNavigationPropertyName" to S, "ReferencingEntityNavigationPropertyName" to S,
            "IsHierarchical" to B, "CascadeConfiguration" to null,
        ),
    )
    val MANY_TO_MANY = MetadataType(
        "ManyToManyRelationshipMetadata", RELATIONSHIP,
        linkedMapOf(
            "Entity1LogicalName" to S, "Entity2LogicalName" to S, "IntersectEntityName" to S, "Entity1IntersectAttribute" to S,
            "Entity2IntersectAttribute" to S, "Entity1NavigationPropertyName" to S, "Entity2NavigationPropertyName" to S,
        ),
    )

    /** The relationship type a `Microsoft.Dynamics.CRM.<Type>` cast segment names, or null. */
    fun relationshipCast(segment: String): MetadataType? = listOf(ONE_TO_MANY, MANY_TO_MANY).firstOrNull { it.qualifiedName == segment }

    val OPTION_SET_BASE = MetadataType(
        "OptionSetMetadataBase", null,
        linkedMapOf(
            "MetadataId" to G, "Name" to S, "IsGlobal" to B, "OptionSetType" to S, "DisplayName" to null,
            "Description" to null, "IsCustomOptionSet" to B, "IsManaged" to B,
        ),
    )
    val OPTION_SET = MetadataType("OptionSetMetadata", OPTION_SET_BASE, mapOf("Options" to null))
    val BOOLEAN_OPTION_SET = MetadataType("BooleanOptionSetMetadata", OPTION_SET_BASE, mapOf("TrueOption" to null, "FalseOption" to null))

    private val attributeTypes = listOf(
        ATTRIBUTE, ENUM_ATTRIBUTE, STRING, MEMO, INTEGER, BIG_INT, MONEY, DECIMAL, BOOLEAN, PICKLIST, STATE, STATUS, LOOKUP,
        DATE_TIME, UNIQUE_IDENTIFIER, DOUBLE, MULTI_SELECT_PICKLIST, FILE, IMAGE,
    )

    /** The attribute type a `Microsoft.Dynamics.CRM.<Type>` cast segment names, or null. */
    fun attributeCast(segment: String): MetadataType? = attributeTypes.firstOrNull { it.qualifiedName == segment }
}
