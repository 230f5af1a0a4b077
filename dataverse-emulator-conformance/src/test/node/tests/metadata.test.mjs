// Table, column and choice definitions (metadata), including global choices, and the CSDL document.
import { test } from "node:test";
import assert from "node:assert/strict";
import { dynamicsWebApi, label, unique } from "./support.mjs";

const api = dynamicsWebApi();

test("Learn, Query table definitions using the Web API: EntityDefinitions by key and with $filter/$select", async () => {
    const account = await api.retrieveEntity({ key: "LogicalName='account'", select: ["LogicalName", "EntitySetName", "PrimaryIdAttribute", "PrimaryNameAttribute"] });
    assert.deepEqual(
        [account.LogicalName, account.EntitySetName, account.PrimaryIdAttribute, account.PrimaryNameAttribute],
        ["account", "accounts", "accountid", "name"],
    );
    const listed = await api.retrieveEntities({ select: ["LogicalName"], filter: "LogicalName eq 'contact'" });
    assert.deepEqual(listed.value.map((e) => e.LogicalName), ["contact"]);
});

test("Learn, Query table definitions using the Web API: attributes, cast to a type, with their option set", async () => {
    const attributes = await api.retrieveAttributes({ entityKey: "LogicalName='account'", select: ["LogicalName"], filter: "LogicalName eq 'name'" });
    assert.deepEqual(attributes.value.map((a) => a.LogicalName), ["name"]);
    const picklists = await api.retrieveAttributes({
        entityKey: "LogicalName='account'",
        castType: "Microsoft.Dynamics.CRM.PicklistAttributeMetadata",
        select: ["LogicalName"],
        expand: [{ property: "OptionSet", select: ["Options"] }],
    });
    const industry = picklists.value.find((a) => a.LogicalName === "industrycode");
    assert.ok(industry, "industrycode is a picklist");
    assert.equal(industry.OptionSet.Options[0].Value, 1);
});

test("Learn, Work with choice columns using the Web API: create, read and list global choices (GlobalOptionSetDefinitions)", async () => {
    const name = `new_${unique("colors").replace(/[^a-z0-9]/gi, "").toLowerCase().slice(0, 30)}`;
    await api.createGlobalOptionSet({
        data: {
            "@odata.type": "Microsoft.Dynamics.CRM.OptionSetMetadata",
            Name: name,
            DisplayName: label("Colors"),
            Description: label("Conformance colors"),
            OptionSetType: "Picklist",
            IsGlobal: true,
            Options: [
                { Value: 727000000, Label: label("Red") },
                { Value: 727000001, Label: label("Green") },
            ],
        },
    });
    const byName = await api.retrieveGlobalOptionSet({ key: `Name='${name}'`, castType: "Microsoft.Dynamics.CRM.OptionSetMetadata", select: ["Name", "Options"] });
    assert.equal(byName.Name, name);
    assert.deepEqual(byName.Options.map((o) => o.Value), [727000000, 727000001]);
    assert.equal(byName.Options[1].Label.UserLocalizedLabel.Label, "Green");
    const all = await api.retrieveGlobalOptionSets({ select: ["Name"] });
    assert.ok(all.value.some((o) => o.Name === name), "the new choice is listed");
    const byId = await api.retrieveGlobalOptionSet({ key: byName.MetadataId, select: ["Name"] });
    assert.equal(byId.Name, name);
    // A choice column of a table that uses the global choice (Learn: "Create a choice column using a global choice").
    const table = await ensureGlobalChoiceTable(name, byName.MetadataId);
    const id = await api.create({ collection: table, data: { new_name: "painted", new_color: 727000001 } });
    const record = await api.retrieve({ collection: table, key: id, select: ["new_color"], includeAnnotations: "OData.Community.Display.V1.FormattedValue" });
    assert.equal(record["new_color@OData.Community.Display.V1.FormattedValue"], "Green");
    await api.deleteGlobalOptionSet({ key: `Name='${name}'` }).catch(() => {}); // in use: the service may refuse, as it should
});

async function ensureGlobalChoiceTable(optionSetName, metadataId) {
    const schemaName = `new_Painted${Math.random().toString(36).slice(2, 8)}`;
    await api.createEntity({
        data: {
            "@odata.type": "Microsoft.Dynamics.CRM.EntityMetadata",
            SchemaName: schemaName,
            DisplayName: label(schemaName),
            DisplayCollectionName: label(`${schemaName}s`),
            OwnershipType: "UserOwned",
            HasActivities: false,
            HasNotes: false,
            IsActivity: false,
            Attributes: [
                { "@odata.type": "Microsoft.Dynamics.CRM.StringAttributeMetadata", SchemaName: "new_Name", MaxLength: 100, FormatName: { Value: "Text" }, DisplayName: label("Name"), RequiredLevel: { Value: "None" }, IsPrimaryName: true },
            ],
        },
    });
    await api.createAttribute({
        entityKey: `LogicalName='${schemaName.toLowerCase()}'`,
        data: {
            "@odata.type": "Microsoft.Dynamics.CRM.PicklistAttributeMetadata",
            SchemaName: "new_Color",
            DisplayName: label("Color"),
            RequiredLevel: { Value: "None" },
            "GlobalOptionSet@odata.bind": `/GlobalOptionSetDefinitions(${metadataId})`,
        },
    });
    const created = await api.retrieveEntity({ key: `LogicalName='${schemaName.toLowerCase()}'`, select: ["EntitySetName"] });
    return created.EntitySetName;
}

test("Learn, Create and update table definitions using the Web API: create a table and a column, then use them", async () => {
    const schemaName = `new_Gadget${Math.random().toString(36).slice(2, 8)}`;
    await api.createEntity({
        data: {
            "@odata.type": "Microsoft.Dynamics.CRM.EntityMetadata",
            SchemaName: schemaName,
            DisplayName: label("Gadget"),
            DisplayCollectionName: label("Gadgets"),
            OwnershipType: "UserOwned",
            HasActivities: false,
            HasNotes: false,
            IsActivity: false,
            Attributes: [
                { "@odata.type": "Microsoft.Dynamics.CRM.StringAttributeMetadata", SchemaName: "new_Name", MaxLength: 100, FormatName: { Value: "Text" }, DisplayName: label("Name"), RequiredLevel: { Value: "None" }, IsPrimaryName: true },
            ],
        },
    });
    const logicalName = schemaName.toLowerCase();
    await api.createAttribute({
        entityKey: `LogicalName='${logicalName}'`,
        data: { "@odata.type": "Microsoft.Dynamics.CRM.IntegerAttributeMetadata", SchemaName: "new_Size", DisplayName: label("Size"), RequiredLevel: { Value: "None" }, MinValue: 0, MaxValue: 100, Format: "None" },
    });
    const entity = await api.retrieveEntity({ key: `LogicalName='${logicalName}'`, select: ["EntitySetName", "PrimaryIdAttribute", "OwnershipType"] });
    assert.equal(entity.PrimaryIdAttribute, `${logicalName}id`);
    const id = await api.create({ collection: entity.EntitySetName, data: { new_name: "g", new_size: 7 } });
    const record = await api.retrieve({ collection: entity.EntitySetName, key: id, select: ["new_size", "_ownerid_value"] });
    assert.equal(record.new_size, 7);
    assert.match(record._ownerid_value, /^[0-9a-f-]{36}$/);
});

test("Learn, Web API service documents: the CSDL $metadata document", async () => {
    const csdl = await api.retrieveCsdlMetadata();
    assert.match(csdl, /<edmx:Edmx/);
    assert.match(csdl, /<EntityType Name="account"/);
});
