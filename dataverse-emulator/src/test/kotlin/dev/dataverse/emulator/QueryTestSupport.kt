package dev.dataverse.emulator

import java.net.URLDecoder

/** Prefer header asking for the FetchXML paging annotations only. */
val pagingAnnotations: Map<String, String> =
    mapOf("Prefer" to "odata.include-annotations=\"Microsoft.Dynamics.CRM.fetchxmlpagingcookie,Microsoft.Dynamics.CRM.morerecords\"")

/** `GET {set}?fetchXml=<xml>`, as clients send it. */
suspend fun TestClient.fetchXml(set: String, xml: String, headers: Map<String, String> = pagingAnnotations): TestResponse =
    get("$set?fetchXml=${TestClient.encode(xml)}", headers)

/** `GET {set}?sql=<query>`, as clients send it. */
suspend fun TestClient.sql(set: String, sql: String, headers: Map<String, String> = emptyMap()): TestResponse =
    get("$set?sql=${TestClient.encode(sql)}", headers)

/** The inner paging cookie of a `fetchxmlpagingcookie` annotation: its `pagingcookie` attribute URL-decoded twice. */
fun innerPagingCookie(annotation: String): String {
    val encoded = Regex("pagingcookie=\"([^\"]*)\"").find(annotation)!!.groupValues[1]
    return URLDecoder.decode(URLDecoder.decode(encoded, Charsets.UTF_8), Charsets.UTF_8)
}

/** [text] escaped for an XML attribute in single quotes. */
fun xmlAttribute(text: String): String =
    text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;").replace("\"", "&quot;")

/** The `name` of every row. */
fun TestResponse.names(): List<String?> = values.map { it.text("name") }
