package dev.dataverse.emulator

/** A `Label` as metadata payloads carry it, in English (1033). */
fun metadataLabel(text: String) =
    """{"@odata.type":"Microsoft.Dynamics.CRM.Label","LocalizedLabels":[{"@odata.type":"Microsoft.Dynamics.CRM.LocalizedLabel","Label":"$text","LanguageCode":1033}]}"""

/** The `EntityMetadata` payload of a user-owned table [schema] whose primary name column is [primary], plus [extra] attributes. */
fun tableMetadata(schema: String, primary: String = "new_Name", extra: String = "") = """
    {"@odata.type":"Microsoft.Dynamics.CRM.EntityMetadata","SchemaName":"$schema","DisplayName":${metadataLabel(schema)},
     "DisplayCollectionName":${metadataLabel(schema + "s")},"OwnershipType":"UserOwned","HasActivities":false,"HasNotes":true,"IsActivity":false,
     "Attributes":[{"@odata.type":"Microsoft.Dynamics.CRM.StringAttributeMetadata","SchemaName":"$primary","DisplayName":${metadataLabel("Name")},
       "RequiredLevel":{"Value":"None"},"MaxLength":200,"FormatName":{"Value":"Text"},"IsPrimaryName":true}$extra]}
""".trimIndent()
