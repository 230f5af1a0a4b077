package dev.dataverse.emulator.internal.fetchxml

import org.w3c.dom.Element
import org.xml.sax.ErrorHandler
import org.xml.sax.InputSource
import org.xml.sax.SAXException
import org.xml.sax.SAXParseException
import java.io.StringReader
import javax.xml.XMLConstants
import javax.xml.parsers.DocumentBuilderFactory

/** Parses XML text from requests with DTDs and external entities refused, so a query can never read local files (XXE). */
internal object SafeXml {

    /** The root element of [xml]; when it is not well-formed, [onError] receives the parser's message and throws. */
    fun parse(xml: String, onError: (String) -> Nothing): Element {
        val factory = DocumentBuilderFactory.newInstance().apply {
            setFeature("http://apache.org/xml/features/disallow-doctype-decl", true)
            setFeature("http://xml.org/sax/features/external-general-entities", false)
            setFeature("http://xml.org/sax/features/external-parameter-entities", false)
            setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "")
            setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "")
            isXIncludeAware = false
            isExpandEntityReferences = false
            isNamespaceAware = false
        }
        val builder = factory.newDocumentBuilder().apply { setErrorHandler(SilentErrors) }
        return try {
            builder.parse(InputSource(StringReader(xml))).documentElement
        } catch (e: SAXException) {
            onError(e.message ?: "unreadable XML")
        }
    }

    /** Escapes [text] for an XML attribute value in double quotes. */
    fun escapeAttribute(text: String): String =
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")

    /** Fails on errors without the parser's default printing to standard error. */
    private object SilentErrors : ErrorHandler {
        override fun warning(exception: SAXParseException) = Unit

        override fun error(exception: SAXParseException): Unit = throw exception

        override fun fatalError(exception: SAXParseException): Unit = throw exception
    }
}
