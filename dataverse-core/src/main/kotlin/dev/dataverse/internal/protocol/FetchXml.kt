package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException
import org.w3c.dom.Document
import org.w3c.dom.Element
import org.xml.sax.ErrorHandler
import org.xml.sax.InputSource
import org.xml.sax.SAXException
import org.xml.sax.SAXParseException
import java.io.StringReader
import java.io.StringWriter
import java.net.URLDecoder
import javax.xml.XMLConstants
import javax.xml.parsers.DocumentBuilder
import javax.xml.parsers.DocumentBuilderFactory
import javax.xml.transform.OutputKeys
import javax.xml.transform.TransformerFactory
import javax.xml.transform.dom.DOMSource
import javax.xml.transform.stream.StreamResult

/**
 * A parsed FetchXML query, and the paging-cookie protocol of the Web API: the service answers
 * `@Microsoft.Dynamics.CRM.fetchxmlpagingcookie` as `<cookie pagenumber="2" pagingcookie="<doubly URL-encoded cookie>" />`,
 * and the next request sets that inner cookie as the `paging-cookie` attribute of `<fetch>`, with `page` incremented.
 * Parsing refuses DTDs and external entities, so a query can never read local files (XXE).
 */
internal class FetchXml private constructor(private val document: Document) {
    private val fetch: Element = document.documentElement

    /** Logical name of the root entity: `<entity name="account">`. */
    val entityName: String = fetch.childElements().firstOrNull { it.tagName == "entity" }?.getAttribute("name")
        ?.takeIf { it.isNotEmpty() } ?: throw InvalidInputException("FetchXML needs an <entity name=\"...\"> element under <fetch>.")

    /** Aggregate queries and `top` queries are answered in one response; the service refuses paging them. */
    val isPageable: Boolean = fetch.getAttribute("aggregate") != "true" && fetch.getAttribute("top").isEmpty()

    /** The query for page [page] (from 1) of [pageSize] records, continuing from [pagingCookie] when the service gave one. */
    fun forPage(page: Int, pageSize: Int, pagingCookie: String?): String {
        val copy = document.cloneNode(true) as Document
        val root = copy.documentElement
        root.setAttribute("page", page.toString())
        root.setAttribute("count", pageSize.toString())
        if (pagingCookie != null) root.setAttribute("paging-cookie", pagingCookie) else root.removeAttribute("paging-cookie")
        return serialize(copy)
    }

    /** The query as given, for aggregate and `top` queries. */
    fun asIs(): String = serialize(document)

    companion object {
        fun parse(xml: String): FetchXml {
            @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
            if (xml == null || xml.isBlank()) throw InvalidInputException("FetchXML cannot be blank.")
            val document = try {
                builder().parse(InputSource(StringReader(xml)))
            } catch (e: SAXException) {
                throw InvalidInputException("FetchXML is not well-formed XML: ${e.message}", e)
            }
            if (document.documentElement.tagName != "fetch") {
                throw InvalidInputException("FetchXML must have <fetch> as its root element, not <${document.documentElement.tagName}>.")
            }
            val fetch = FetchXml(document)
            Identifiers.requireTable(fetch.entityName)
            return fetch
        }

        /**
         * The inner paging cookie from the `fetchxmlpagingcookie` annotation, decoded (it is URL-encoded twice), or
         * `null` when the annotation carries none.
         */
        fun innerPagingCookie(annotation: String?): String? {
            if (annotation.isNullOrBlank()) return null
            val cookie = try {
                builder().parse(InputSource(StringReader(annotation))).documentElement
            } catch (e: SAXException) {
                return null
            }
            val encoded = cookie.getAttribute("pagingcookie").takeIf { it.isNotEmpty() } ?: return null
            return URLDecoder.decode(URLDecoder.decode(encoded, Charsets.UTF_8), Charsets.UTF_8)
        }

        /**
         * A builder that reports errors only by throwing: the JDK's default error handler also prints every fatal error
         * ("[Fatal Error] ... DOCTYPE is disallowed") to stderr, and a library never writes there.
         */
        private fun builder(): DocumentBuilder = factory().newDocumentBuilder().apply { setErrorHandler(ThrowingErrorHandler) }

        private object ThrowingErrorHandler : ErrorHandler {
            override fun warning(exception: SAXParseException) = Unit
            override fun error(exception: SAXParseException): Unit = throw exception
            override fun fatalError(exception: SAXParseException): Unit = throw exception
        }

        private fun factory(): DocumentBuilderFactory = DocumentBuilderFactory.newInstance().apply {
            setFeature("http://apache.org/xml/features/disallow-doctype-decl", true)
            setFeature("http://xml.org/sax/features/external-general-entities", false)
            setFeature("http://xml.org/sax/features/external-parameter-entities", false)
            setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "")
            setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "")
            isXIncludeAware = false
            isExpandEntityReferences = false
            isNamespaceAware = false
        }

        private fun serialize(document: Document): String {
            val transformer = TransformerFactory.newInstance().apply {
                setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "")
                setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "")
            }.newTransformer()
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes")
            return StringWriter().also { transformer.transform(DOMSource(document), StreamResult(it)) }.toString()
        }

        private fun Element.childElements(): List<Element> =
            (0 until childNodes.length).map { childNodes.item(it) }.filterIsInstance<Element>()
    }
}
