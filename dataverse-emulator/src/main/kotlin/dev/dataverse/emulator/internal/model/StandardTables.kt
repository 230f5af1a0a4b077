package dev.dataverse.emulator.internal.model

import java.math.BigDecimal
import java.util.UUID

/**
 * The `account`, `contact` and `systemuser` tables every Dataverse environment has, with the columns clients use most.
 * The emulator's one user (the caller WhoAmI names) is a `systemuser` record: the owner of user-owned records.
 */
internal object StandardTables {

    /** The standard tables, in the order they are registered. */
    fun all(): List<TableDefinition> = listOf(account(), contact(), systemUser())

    /** The logical name of the users table, which `ownerid` lookups point at. */
    const val SYSTEM_USER: String = "systemuser"

    /** The `systemuser` column holding the user's Microsoft Entra object id. */
    const val AAD_OBJECT_ID: String = "azureactivedirectoryobjectid"

    private fun systemUser(): TableDefinition {
        val columns = ColumnFactory(SYSTEM_USER)
        return TableDefinition(
            logicalName = SYSTEM_USER,
            schemaName = "SystemUser",
            entitySetName = "systemusers",
            primaryIdAttribute = "systemuserid",
            primaryNameAttribute = "fullname",
            displayName = "User",
            displayCollectionName = "Users",
            metadataId = StableIds.of("table", SYSTEM_USER),
            objectTypeCode = 8,
            ownershipType = "BusinessOwned",
            columns = listOf(
                columns.primaryId("systemuserid", "SystemUserId", "User"),
                columns.text("fullname", "FullName", "Full Name", 200),
                columns.text("internalemailaddress", "InternalEMailAddress", "Primary Email", 100, "Email"),
                // The user's Microsoft Entra object id: what `CallerObjectId` impersonation looks users up by.
                columns.column(AAD_OBJECT_ID, "AzureActiveDirectoryObjectId", ColumnType.UNIQUE_IDENTIFIER, "Azure AD Object ID"),
            ) + columns.systemColumns(),
        )
    }

    /**
     * The `ownerid` column of a user-owned table [table]: an owner lookup to `systemuser` whose one-to-many relationship
     * is `user_<table>`, as the service names it.
     */
    fun ownerColumn(table: String): ColumnDefinition =
        ColumnFactory(table).lookup("ownerid", "OwnerId", "Owner", listOf(LookupTarget(SYSTEM_USER, "ownerid", "user_$table")))
            .copy(type = ColumnType.OWNER)

    private val activeInactiveStates = listOf(
        OptionDefinition(0, "Active", defaultStatus = 1),
        OptionDefinition(1, "Inactive", defaultStatus = 2),
    )

    private val activeInactiveStatuses = listOf(
        OptionDefinition(1, "Active", state = 0),
        OptionDefinition(2, "Inactive", state = 1),
    )

    private val industries = listOf(
        "Accounting",
        "Agriculture and Non-petrol Natural Resource Extraction",
        "Broadcasting Printing and Publishing",
        "Brokers",
        "Building Supply Retail",
        "Business Services",
        "Consulting",
        "Consumer Services",
        "Design, Direction and Creative Management",
        "Distributors, Dispatchers and Processors",
        "Doctor's Offices and Clinics",
        "Durable Manufacturing",
        "Eating and Drinking Places",
        "Entertainment Retail",
        "Equipment Rental and Leasing",
        "Financial",
        "Food and Tobacco Processing",
        "Inbound Capital Intensive Processing",
        "Inbound Repair and Services",
        "Insurance",
        "Legal Services",
        "Non-Durable Merchandise Retail",
        "Outbound Consumer Service",
        "Petrochemical Extraction and Distribution",
        "Service Retail",
        "SIG Affiliations",
        "Social Services",
        "Special Outbound Trade Contractors",
        "Specialty Realty",
        "Transportation",
        "Utility Creation and Distribution",
        "Vehicle Retail",
        "Wholesale",
    ).mapIndexed { index, label -> OptionDefinition(index + 1, label) }

    private fun account(): TableDefinition {
        val columns = ColumnFactory("account")
        return TableDefinition(
            logicalName = "account",
            schemaName = "Account",
            entitySetName = "accounts",
            primaryIdAttribute = "accountid",
            primaryNameAttribute = "name",
            displayName = "Account",
            displayCollectionName = "Accounts",
            metadataId = UUID.fromString("70816501-edb9-4740-a16c-6a5efbc05d84"),
            objectTypeCode = 1,
            // A guess: Learn names only Audit among system tables with change tracking on; account and contact have it on
            // here so that syncs can be tried on the seeded tables without changing their schema first.
            changeTrackingEnabled = true,
            columns = listOf(
                columns.primaryId("accountid", "AccountId", "Account"),
                columns.text("name", "Name", "Account Name", 160),
                columns.text("accountnumber", "AccountNumber", "Account Number", 20),
                columns.text("telephone1", "Telephone1", "Main Phone", 50, "Phone"),
                columns.text("emailaddress1", "EMailAddress1", "Email", 100, "Email"),
                columns.text("websiteurl", "WebSiteURL", "Website", 200, "Url"),
                columns.memo("description", "Description", "Description", 2000),
                columns.money("revenue", "Revenue", "Annual Revenue", BigDecimal.ZERO, BigDecimal("100000000000000")),
                columns.integer("numberofemployees", "NumberOfEmployees", "Number of Employees", 0, 1_000_000_000),
                columns.boolean("creditonhold", "CreditOnHold", "Credit Hold", "Yes", "No"),
                columns.choice("industrycode", "IndustryCode", "Industry", industries),
                columns.state(activeInactiveStates),
                columns.status(activeInactiveStatuses),
                columns.lookup(
                    "primarycontactid", "PrimaryContactId", "Primary Contact",
                    listOf(LookupTarget("contact", "primarycontactid", "account_primary_contact")),
                ),
                columns.lookup(
                    "parentaccountid", "ParentAccountId", "Parent Account",
                    listOf(LookupTarget("account", "parentaccountid", "account_parent_account")),
                ),
                // User-owned, as on every org (Learn: "Select columns (Web API)", lookup property data: _ownerid_value).
                ownerColumn("account"),
            ) + columns.systemColumns(),
            // No alternate key: "By default, there are no alternate keys configured for entities. Alternate keys will only
            // be available if the organization or a solution adds them." (Learn: "Retrieve a table row using the Web
            // API", Retrieve using an alternate key). Users create one (e.g. on accountnumber) as on a fresh org.
        )
    }

    private fun contact(): TableDefinition {
        val columns = ColumnFactory("contact")
        return TableDefinition(
            logicalName = "contact",
            schemaName = "Contact",
            entitySetName = "contacts",
            primaryIdAttribute = "contactid",
            primaryNameAttribute = "fullname",
            displayName = "Contact",
            displayCollectionName = "Contacts",
            metadataId = UUID.fromString("608861bc-50a4-4c5f-a02c-21fe1943e2cf"),
            objectTypeCode = 2,
            // A guess: Learn names only Audit among system tables with change tracking on; account and contact have it on
            // here so that syncs can be tried on the seeded tables without changing their schema first.
            changeTrackingEnabled = true,
            columns = listOf(
                columns.primaryId("contactid", "ContactId", "Contact"),
                columns.text("firstname", "FirstName", "First Name", 50),
                columns.text("lastname", "LastName", "Last Name", 50),
                columns.text("fullname", "FullName", "Full Name", 160).readOnly(),
                columns.text("emailaddress1", "EMailAddress1", "Email", 100, "Email"),
                columns.text("telephone1", "Telephone1", "Business Phone", 50, "Phone"),
                columns.text("jobtitle", "JobTitle", "Job Title", 100),
                columns.dateOnly("birthdate", "BirthDate", "Birthday"),
                columns.state(activeInactiveStates),
                columns.status(activeInactiveStatuses),
                columns.lookup(
                    "parentcustomerid", "ParentCustomerId", "Company Name",
                    listOf(
                        LookupTarget("account", "parentcustomerid_account", "contact_customer_accounts"),
                        LookupTarget("contact", "parentcustomerid_contact", "contact_customer_contacts"),
                    ),
                ),
                ownerColumn("contact"),
            ) + columns.systemColumns(),
            composedColumns = listOf(ComposedColumn("fullname", listOf("firstname", "lastname"))),
        )
    }
}
