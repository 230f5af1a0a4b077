package dev.dataverse.emulator.internal.fetchxml

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.odata.ExpressionNesting
import org.w3c.dom.Element
import org.w3c.dom.Node
import java.util.Locale

/**
 * Reads FetchXML into a [FetchDocument]. Every element and attribute is checked against the subset the emulator
 * evaluates, so an unsupported one is a 400 naming it rather than silently ignored; harmless hints (`mapping`,
 * `no-lock`, `ui*` attributes of conditions...) are accepted. DTDs and external entities are refused.
 */
internal object FetchXmlReader {
    private val FETCH_ATTRIBUTES = setOf(
        "version", "count", "page", "paging-cookie", "top", "distinct", "aggregate", "mapping", "output-format", "no-lock",
        "returntotalrecordcount", "useraworderby", "latematerialize", "options", "aggregatelimit",
    )
    private val LINK_ATTRIBUTES = setOf("name", "from", "to", "link-type", "alias", "visible", "intersect")
    private val ATTRIBUTE_ATTRIBUTES = setOf("name", "alias", "aggregate", "groupby", "distinct", "dategrouping", "usertimezone")
    private val ORDER_ATTRIBUTES = setOf("attribute", "alias", "descending", "entityname")
    private val FILTER_ATTRIBUTES = setOf("type", "isquickfindfields")
    private val CONDITION_ATTRIBUTES = setOf("attribute", "operator", "value", "entityname", "uiname", "uitype", "uihidden")

    /** Parses [xml]; any problem is a 400 saying what. */
    fun read(xml: String): FetchDocument {
        val root = parse(xml)
        requireShallow(root)
        if (root.tagName != "fetch") throw invalid("the root element must be <fetch>, not <${root.tagName}>")
        checkAttributes(root, FETCH_ATTRIBUTES)
        val children = children(root)
        children.firstOrNull { it.tagName != "entity" }?.let { throw unsupportedElement(it, "fetch") }
        val entity = children.singleOrNull() ?: throw invalid("<fetch> must contain exactly one <entity> element")
        checkAttributes(entity, setOf("name"))
        return FetchDocument(
            entity = entity(entity),
            count = positive(root, "count"),
            page = positive(root, "page"),
            pagingCookie = root.optional("paging-cookie"),
            top = positive(root, "top"),
            distinct = flag(root, "distinct"),
            aggregate = flag(root, "aggregate"),
            returnTotalRecordCount = flag(root, "returntotalrecordcount"),
            rawOrderBy = flag(root, "useraworderby"),
            aggregateLimit = positive(root, "aggregatelimit"),
        )
    }

    private fun entity(element: Element): FetchEntity {
        val attributes = mutableListOf<FetchAttribute>()
        val orders = mutableListOf<FetchOrder>()
        val filters = mutableListOf<FetchFilter>()
        val links = mutableListOf<FetchLink>()
        var all = false
        for (child in children(element)) {
            when (child.tagName) {
                "attribute" -> attributes += attribute(child)
                "all-attributes" -> {
                    checkAttributes(child, emptySet())
                    all = true
                }
                "order" -> orders += order(child)
                "filter" -> filters += filter(child)
                "link-entity" -> links += link(child)
                else -> throw unsupportedElement(child, element.tagName)
            }
        }
        return FetchEntity(required(element, "name"), all, attributes, orders, filters, links)
    }

    private fun link(element: Element): FetchLink {
        checkAttributes(element, LINK_ATTRIBUTES)
        val outer = when (val type = element.optional("link-type") ?: "inner") {
            "inner" -> false
            "outer" -> true
            else -> throw ApiErrors.badRequest("The link-type '$type' is not supported by the emulator; use inner or outer.")
        }
        return FetchLink(entity(element), required(element, "from"), required(element, "to"), outer, element.optional("alias"))
    }

    private fun attribute(element: Element): FetchAttribute {
        checkAttributes(element, ATTRIBUTE_ATTRIBUTES)
        noChildren(element)
        return FetchAttribute(
            name = required(element, "name"),
            alias = element.optional("alias"),
            aggregate = element.optional("aggregate"),
            groupBy = flag(element, "groupby"),
            distinct = flag(element, "distinct"),
            dateGrouping = element.optional("dategrouping"),
        )
    }

    private fun order(element: Element): FetchOrder {
        checkAttributes(element, ORDER_ATTRIBUTES)
        noChildren(element)
        val order = FetchOrder(element.optional("attribute"), element.optional("alias"), element.optional("entityname"), flag(element, "descending"))
        if ((order.attribute == null) == (order.alias == null)) throw invalid("an <order> needs either an attribute or an alias")
        return order
    }

    private fun filter(element: Element): FetchFilter {
        checkAttributes(element, FILTER_ATTRIBUTES)
        val or = when (val type = element.optional("type") ?: "and") {
            "and" -> false
            "or" -> true
            else -> throw invalid("the filter type '$type' is not valid; use and or or")
        }
        val criteria = children(element).map { child ->
            when (child.tagName) {
                "condition" -> condition(child)
                "filter" -> filter(child)
                else -> throw unsupportedElement(child, "filter")
            }
        }
        return FetchFilter(or, criteria)
    }

    private fun condition(element: Element): FetchCondition {
        if (element.hasAttribute("valueof")) throw ApiErrors.badRequest("Conditions comparing two columns (valueof) are not supported by the emulator.")
        checkAttributes(element, CONDITION_ATTRIBUTES)
        val values = children(element).map { child ->
            if (child.tagName != "value") throw unsupportedElement(child, "condition")
            checkAttributes(child, emptySet())
            child.textContent
        }
        val attribute = element.optional("value")
        if (attribute != null && values.isNotEmpty()) throw invalid("a <condition> cannot have both a value attribute and <value> elements")
        return FetchCondition(required(element, "attribute"), required(element, "operator"), listOfNotNull(attribute) + values, element.optional("entityname"))
    }

    /** Refuses documents nested deeper than the reader recurses safely; walks the tree with its own stack. */
    private fun requireShallow(root: Element) {
        val pending = ArrayDeque<Pair<Node, Int>>()
        pending.addLast(root to 1)
        while (pending.isNotEmpty()) {
            val (node, depth) = pending.removeLast()
            ExpressionNesting.check(depth, "FetchXML document")
            var child = node.firstChild
            while (child != null) {
                if (child is Element) pending.addLast(child to depth + 1)
                child = child.nextSibling
            }
        }
    }

    private fun parse(xml: String): Element = SafeXml.parse(xml) { message -> throw invalid("it is not well-formed XML ($message)") }

    private fun children(element: Element): List<Element> {
        val nodes = element.childNodes
        return (0 until nodes.length).map { nodes.item(it) }.mapNotNull { node ->
            when {
                node is Element -> node
                node.nodeType == Node.TEXT_NODE && node.textContent.isNotBlank() ->
                    throw invalid("<${element.tagName}> cannot contain text ('${node.textContent.trim()}')")
                else -> null
            }
        }
    }

    private fun noChildren(element: Element) {
        children(element).firstOrNull()?.let { throw unsupportedElement(it, element.tagName) }
    }

    private fun checkAttributes(element: Element, allowed: Set<String>) {
        val attributes = element.attributes
        for (index in 0 until attributes.length) {
            val name = attributes.item(index).nodeName
            if (name !in allowed) throw ApiErrors.badRequest("The attribute '$name' of <${element.tagName}> is not supported by the emulator.")
        }
    }

    private fun Element.optional(name: String): String? = if (hasAttribute(name)) getAttribute(name) else null

    private fun required(element: Element, name: String): String =
        element.optional(name)?.takeIf { it.isNotBlank() } ?: throw invalid("<${element.tagName}> needs a '$name' attribute")

    private fun flag(element: Element, name: String): Boolean = when (element.optional(name)?.lowercase(Locale.ROOT)) {
        null, "false", "0" -> false
        "true", "1" -> true
        else -> throw invalid("the '$name' attribute of <${element.tagName}> must be true or false, not '${element.getAttribute(name)}'")
    }

    private fun positive(element: Element, name: String): Int? {
        val text = element.optional(name) ?: return null
        return text.trim().toIntOrNull()?.takeIf { it > 0 }
            ?: throw invalid("the '$name' attribute of <fetch> must be a positive whole number, not '$text'")
    }

    private fun unsupportedElement(element: Element, parent: String) =
        ApiErrors.badRequest("The element <${element.tagName}> inside <$parent> is not supported by the emulator.")

    private fun invalid(reason: String) = ApiErrors.badRequest("The FetchXML is not valid: $reason.")
}
