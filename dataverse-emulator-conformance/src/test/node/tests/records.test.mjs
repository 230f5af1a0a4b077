// Records: create, retrieve, update, upsert, delete, single properties, owners, alternate keys.
import { test } from "node:test";
import { randomUUID } from "node:crypto";
import assert from "node:assert/strict";
import { dynamicsWebApi, raw, unique, apiUrl, createAlternateKey, ensureTable, integerColumn } from "./support.mjs";

const api = dynamicsWebApi();
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

test("Learn, Create a table row using the Web API: create answers 204 with OData-EntityId, which DynamicsWebApi turns into the id", async () => {
    const id = await api.create({ collection: "accounts", data: { name: unique("create") } });
    assert.match(id, GUID);
    const created = await raw("POST", "accounts", { body: { name: unique("create-raw") } });
    assert.equal(created.status, 204);
    assert.match(created.headers.get("OData-EntityId"), /\/api\/data\/v9\.2\/accounts\([0-9a-f-]{36}\)$/);
});

test("Learn, Create a table row using the Web API: create with data returned answers 201 with the selected columns", async () => {
    const name = unique("represented");
    const record = await api.create({ collection: "accounts", data: { name }, returnRepresentation: true, select: ["name", "accountid"] });
    assert.equal(record.name, name);
    assert.match(record.accountid, GUID);
    assert.match(record["@odata.etag"], /^W\/"\d+"$/);
});

test("Learn, Retrieve a table row using the Web API: $select, and the primary key is always returned", async () => {
    const name = unique("retrieve");
    const id = await api.create({ collection: "accounts", data: { name, telephone1: "555-0100" } });
    const record = await api.retrieve({ collection: "accounts", key: id, select: ["name"] });
    assert.equal(record.name, name);
    assert.equal(record.accountid, id);
    assert.equal(record.telephone1, undefined);
});

test("Learn, Update and delete table rows using the Web API: update sends If-Match: * and never creates", async () => {
    const id = await api.create({ collection: "accounts", data: { name: unique("update") } });
    assert.equal(await api.update({ collection: "accounts", key: id, data: { telephone1: "555-0101" } }), true);
    assert.equal((await api.retrieve({ collection: "accounts", key: id, select: ["telephone1"] })).telephone1, "555-0101");
    await assert.rejects(
        api.update({ collection: "accounts", key: "00000000-0000-0000-0000-0000000000aa", data: { name: "nobody" } }),
        (error) => error.status === 404,
    );
});

test("Learn, Update and delete table rows using the Web API: update with data returned answers 200 with the record", async () => {
    const id = await api.create({ collection: "accounts", data: { name: unique("update-returned") } });
    const record = await api.update({ collection: "accounts", key: id, data: { name: "renamed" }, returnRepresentation: true, select: ["name"] });
    assert.equal(record.name, "renamed");
});

test("Learn, Perform conditional operations using the Web API: a stale ETag is 412 (DynamicsWebApi's legacy mode answers false)", async () => {
    const legacy = dynamicsWebApi({ propagateErrors: false });
    const id = await legacy.create({ collection: "accounts", data: { name: unique("etag") } });
    const read = await legacy.retrieve({ collection: "accounts", key: id, select: ["name"] });
    await legacy.update({ collection: "accounts", key: id, data: { name: "changed" } });
    assert.equal(await legacy.update({ collection: "accounts", key: id, data: { name: "stale" }, ifmatch: read["@odata.etag"] }), false);
    await assert.rejects(api.update({ collection: "accounts", key: id, data: { name: "stale" }, ifmatch: read["@odata.etag"] }), (error) => error.status === 412);
});

test("Learn, Update and delete table rows using the Web API: upsert by id creates, then updates; If-None-Match: * prevents the update", async () => {
    const id = randomUUID();
    await api.upsert({ collection: "accounts", key: id, data: { name: "upserted" } });
    await api.upsert({ collection: "accounts", key: id, data: { name: "upserted again" } });
    assert.equal((await api.retrieve({ collection: "accounts", key: id, select: ["name"] })).name, "upserted again");
    const legacy = dynamicsWebApi({ propagateErrors: false });
    assert.equal(await legacy.upsert({ collection: "accounts", key: id, data: { name: "blocked" }, ifnonematch: "*" }), null);
    assert.equal((await api.retrieve({ collection: "accounts", key: id, select: ["name"] })).name, "upserted again");
});

test("Learn, Update and delete table rows using the Web API: update and delete a single property value", async () => {
    const id = await api.create({ collection: "accounts", data: { name: unique("single"), description: "to be removed" } });
    await api.updateSingleProperty({ collection: "accounts", key: id, fieldValuePair: { name: "single renamed" } });
    await api.deleteRecord({ collection: "accounts", key: id, property: "description" });
    const record = await api.retrieve({ collection: "accounts", key: id, select: ["name", "description"] });
    assert.equal(record.name, "single renamed");
    assert.equal(record.description, null);
});

test("Learn, Update and delete table rows using the Web API: delete answers 204; the record is then 404", async () => {
    const id = await api.create({ collection: "accounts", data: { name: unique("delete") } });
    assert.equal(await api.deleteRecord({ collection: "accounts", key: id }), true);
    await assert.rejects(api.retrieve({ collection: "accounts", key: id }), (error) => error.status === 404 && error.code === "0x80040217");
});

test("Learn, Select columns (Web API), lookup property data: user-owned account has _ownerid_value, a systemuser by default", async () => {
    const me = await api.callFunction({ name: "WhoAmI" });
    const id = await api.create({ collection: "accounts", data: { name: unique("owned") } });
    const record = await api.retrieve({ collection: "accounts", key: id, select: ["name", "_ownerid_value"], includeAnnotations: "*" });
    assert.equal(record._ownerid_value, me.UserId);
    assert.equal(record["_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"], "systemuser");
    assert.equal(record["_ownerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty"], "ownerid");
    const contact = await api.create({ collection: "contacts", data: { lastname: unique("owned") } });
    assert.equal((await api.retrieve({ collection: "contacts", key: contact, select: ["_ownerid_value"] }))._ownerid_value, me.UserId);
});

test("DynamicsWebApi (Retrieve a related table row using a single-valued navigation property; a reference with /$ref): both answer", async () => {
    const contact = await api.create({ collection: "contacts", data: { firstname: "Nav", lastname: unique("prop") } });
    const account = await api.create({ collection: "accounts", data: { name: unique("nav"), "primarycontactid@odata.bind": `contacts(${contact})` } });
    // DynamicsWebApi documents both forms: select ["/primarycontactid", ...] and select ["primarycontactid/$ref"].
    const related = await api.retrieve({ collection: "accounts", key: account, select: ["/primarycontactid", "firstname", "contactid"] });
    assert.equal(related.contactid, contact);
    assert.equal(related.firstname, "Nav");
    const reference = await api.retrieve({ collection: "accounts", key: account, select: ["primarycontactid/$ref"] });
    assert.equal(reference.id, contact);
    assert.equal(reference.collection, "contacts");
});

test("Learn, Retrieve a table row using the Web API: standard tables have no alternate keys until one is added", async () => {
    // "By default, there are no alternate keys configured for entities. Alternate keys will only be available if the
    // organization or a solution adds them."
    for (const table of ["account", "contact"]) {
        const keys = await api.retrieveMultiple({ collection: "EntityDefinitions", key: `LogicalName='${table}'`, navigationProperty: "Keys" });
        assert.deepEqual(keys.value.map((k) => k.SchemaName), [], `${table} keys`);
    }
    await assert.rejects(api.retrieve({ collection: "accounts", key: "accountnumber='NO-KEY'" }), (error) => error.status === 400);
});

test("Learn, Use Upsert to Create or Update a record: by alternate key, OData-EntityId names the record by that key", async () => {
    // The page's own example: a table with a two-column alternate key, records named example_records(example_key1=2,example_key2=2).
    const set = await keyedTable();
    const n = Math.floor(Math.random() * 1_000_000_000);
    const key = `new_key1=${n},new_key2=2`;
    // DynamicsWebApi returns the id only when OData-EntityId ends with one; by key there is none to return.
    assert.equal(await api.upsert({ collection: set, key, data: { new_name: "2:2" } }), undefined);
    const updated = await raw("PATCH", `${set}(${key})`, { headers: { "If-None-Match": "null" }, body: { new_name: "2:2 Updated" } });
    assert.equal(updated.status, 204);
    assert.equal(updated.headers.get("OData-EntityId"), `${apiUrl}${set}(${key})`);
    // "Create with upsert and return=representation preference": 201 then 200, with only the primary id selected.
    const other = `new_key1=${n},new_key2=3`;
    const prefer = { Prefer: "return=representation", "If-None-Match": "null" };
    const first = await raw("PATCH", `${set}(${other})?$select=new_keyedrecordid`, { headers: prefer, body: { new_name: "3:3" } });
    assert.equal(first.status, 201);
    assert.match(first.json.new_keyedrecordid, GUID);
    assert.match(first.json["@odata.etag"], /^W\/"\d+"$/);
    const second = await raw("PATCH", `${set}(${other})?$select=new_keyedrecordid`, { headers: prefer, body: { new_name: "3:3 Updated" } });
    assert.equal(second.status, 200);
    assert.equal(second.json.new_keyedrecordid, first.json.new_keyedrecordid);
    const record = await api.retrieve({ collection: set, key, select: ["new_name", "new_key1", "new_key2"] });
    assert.deepEqual([record.new_name, record.new_key1, record.new_key2], ["2:2 Updated", n, 2]);
});

test("Learn, Use Upsert to Create or Update a record: the body's key values create the record; on update they are ignored", async () => {
    const set = await keyedTable();
    const n = Math.floor(Math.random() * 1_000_000_000);
    // "The server uses any alternate key values set in the body of the request to create the new record, even if the
    // data is different than the values specified by the alternate keys in the URL."
    await api.upsert({ collection: set, key: `new_key1=${n},new_key2=1`, data: { new_name: "body key", new_key2: 5 } });
    await assert.rejects(api.retrieve({ collection: set, key: `new_key1=${n},new_key2=1` }), (error) => error.status === 404);
    assert.equal((await api.retrieve({ collection: set, key: `new_key1=${n},new_key2=5`, select: ["new_name"] })).new_name, "body key");
    // "The server removes the data set in the body of the request for those alternate key values in the URL."
    await api.upsert({ collection: set, key: `new_key1=${n},new_key2=5`, data: { new_name: "updated", new_key2: 6 } });
    assert.equal((await api.retrieve({ collection: set, key: `new_key1=${n},new_key2=5`, select: ["new_name"] })).new_name, "updated");
    await assert.rejects(api.retrieve({ collection: set, key: `new_key1=${n},new_key2=6` }), (error) => error.status === 404);
});

/** The table with a two-column alternate key that the upsert checks use, created (with its key) on first use. */
async function keyedTable() {
    const set = await ensureTable(api, "new_KeyedRecord", [integerColumn("new_Key1"), integerColumn("new_Key2")]);
    const keys = await api.retrieveMultiple({ collection: "EntityDefinitions", key: "LogicalName='new_keyedrecord'", navigationProperty: "Keys" });
    if (!keys.value.length) await createAlternateKey(api, "new_keyedrecord", "new_Key1Key2", ["new_key1", "new_key2"]);
    return set;
}
