package dev.dataverse.internal.protocol

/** Paths of the metadata Web API, relative to the API root; names must already be validated logical names. */
internal object MetadataPaths {
    /** `EntityDefinitions(LogicalName='account')`. */
    fun entity(table: String): String = "EntityDefinitions(LogicalName=${ODataLiterals.quote(table)})"

    /** `EntityDefinitions(LogicalName='account')/Attributes(LogicalName='name')`. */
    fun attribute(table: String, column: String): String = entity(table) + "/Attributes(LogicalName=${ODataLiterals.quote(column)})"
}
