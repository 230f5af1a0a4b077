package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/**
 * Which navigation property a reference's key binds (Learn: "Create a table row using the Web API", associate table rows
 * on create; navigation property names from ManyToOneRelationships). The cases the emulator's standard tables do not
 * have: an Owner lookup (its relationship leads to `owner`; it takes a user or a team) and a key that matches two
 * navigation properties ignoring case.
 */
class LookupResolutionSpec : FunSpec({
    val owner = LookupNavigation("ownerid", "ownerid", "owner")
    val customer = listOf(
        LookupNavigation("parentcustomerid", "parentcustomerid_account", "account"),
        LookupNavigation("parentcustomerid", "parentcustomerid_contact", "contact"),
    )

    test("an Owner lookup takes a systemuser or a team, nothing else") {
        LookupResolution.navigationFor("account", "ownerid", "systemuser", listOf(owner)) shouldBe "ownerid"
        LookupResolution.navigationFor("account", "OwnerId", "team", listOf(owner)) shouldBe "ownerid"
        shouldThrow<InvalidInputException> { LookupResolution.navigationFor("account", "ownerid", "contact", listOf(owner)) }
            .message shouldContain "owner (through 'ownerid')"
    }

    test("the polymorphic lookup picks the navigation property of the reference's table; an unknown key is null") {
        LookupResolution.navigationFor("contact", "parentcustomerid", "contact", customer) shouldBe "parentcustomerid_contact"
        LookupResolution.navigationFor("contact", "PARENTCUSTOMERID_ACCOUNT", "account", customer) shouldBe "parentcustomerid_account"
        LookupResolution.navigationFor("contact", "lastname", "account", customer) shouldBe null
    }

    test("an exact navigation property wins; a key matching two navigation properties ignoring case is ambiguous") {
        val twins = listOf(LookupNavigation("new_ref", "new_Ref", "account"), LookupNavigation("new_other", "new_REF", "account"))
        LookupResolution.navigationFor("new_t", "new_REF", "account", twins) shouldBe "new_REF"
        val ambiguous = shouldThrow<InvalidInputException> { LookupResolution.navigationFor("new_t", "new_ref", "account", twins) }
        ambiguous.message shouldContain "ambiguous"
        ambiguous.message shouldContain "'new_Ref', 'new_REF'"
    }
})
