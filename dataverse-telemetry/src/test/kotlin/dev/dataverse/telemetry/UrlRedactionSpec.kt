package dev.dataverse.telemetry

import dev.dataverse.telemetry.internal.UrlRedaction
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class UrlRedactionSpec : FunSpec({
    val root = "https://contoso.crm.dynamics.com/api/data/v9.2"

    test("query values are redacted, their names kept") {
        UrlRedaction.redact("$root/accounts?\$select=name&\$filter=name%20eq%20'Contoso'&\$top=5") shouldBe
            "$root/accounts?\$select=REDACTED&\$filter=REDACTED&\$top=REDACTED"
    }

    test("record ids stay, alternate-key values go, with quotes, commas and parentheses inside literals") {
        UrlRedaction.redact("$root/accounts(00000000-0000-0000-0000-000000000001)") shouldBe "$root/accounts(00000000-0000-0000-0000-000000000001)"
        UrlRedaction.redact("$root/accounts(accountnumber='A,(1)''x',region=5)/name") shouldBe "$root/accounts(accountnumber=REDACTED,region=REDACTED)/name"
        UrlRedaction.redact("$root/accounts('secret')") shouldBe "$root/accounts(REDACTED)"
        UrlRedaction.redact("$root/contacts(parentid=00000000-0000-0000-0000-000000000002)") shouldBe
            "$root/contacts(parentid=00000000-0000-0000-0000-000000000002)"
    }

    test("functions without parameters stay; an unbalanced parenthesis redacts the rest; fragments are dropped") {
        UrlRedaction.redact("$root/WhoAmI()") shouldBe "$root/WhoAmI()"
        UrlRedaction.redact("$root/accounts(name='open") shouldBe "$root/accounts(REDACTED"
        UrlRedaction.redact("$root/accounts#frag") shouldBe "$root/accounts"
    }
})
