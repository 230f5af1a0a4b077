// Associating and disassociating records through navigation properties ($ref).
import { test } from "node:test";
import assert from "node:assert/strict";
import { dynamicsWebApi, unique } from "./support.mjs";

const api = dynamicsWebApi();

test("Learn, Associate and disassociate table rows using the Web API: collection-valued navigation property", async () => {
    const account = await api.create({ collection: "accounts", data: { name: unique("assoc") } });
    const contact = await api.create({ collection: "contacts", data: { lastname: unique("assoc") } });
    await api.associate({ collection: "accounts", primaryKey: account, relationshipName: "contact_customer_accounts", relatedCollection: "contacts", relatedKey: contact });
    const linked = await api.retrieve({ collection: "contacts", key: contact, select: ["_parentcustomerid_value"] });
    assert.equal(linked._parentcustomerid_value, account);
    await api.disassociate({ collection: "accounts", primaryKey: account, relationshipName: "contact_customer_accounts", relatedKey: contact });
    assert.equal((await api.retrieve({ collection: "contacts", key: contact, select: ["_parentcustomerid_value"] }))._parentcustomerid_value, null);
});

test("Learn, Associate and disassociate table rows using the Web API: single-valued navigation property", async () => {
    const account = await api.create({ collection: "accounts", data: { name: unique("single") } });
    const contact = await api.create({ collection: "contacts", data: { lastname: unique("single") } });
    await api.associateSingleValued({ collection: "accounts", primaryKey: account, navigationProperty: "primarycontactid", relatedCollection: "contacts", relatedKey: contact });
    assert.equal((await api.retrieve({ collection: "accounts", key: account, select: ["_primarycontactid_value"] }))._primarycontactid_value, contact);
    const reference = await api.retrieve({ collection: "accounts", key: account, select: ["primarycontactid/$ref"] });
    assert.equal(reference.id, contact);
    await api.disassociateSingleValued({ collection: "accounts", primaryKey: account, navigationProperty: "primarycontactid" });
    assert.equal((await api.retrieve({ collection: "accounts", key: account, select: ["_primarycontactid_value"] }))._primarycontactid_value, null);
});

test("DynamicsWebApi 2.3.1: associate by Content-ID inside a batch", async () => {
    api.startBatch();
    api.create({ collection: "contacts", contentId: "1", data: { lastname: unique("cid") } });
    api.create({ collection: "accounts", contentId: "2", data: { name: unique("cid") } });
    api.associate({ contentId: "$2", relationshipName: "contact_customer_accounts", relatedKey: "$1" });
    const [contact, account] = await api.executeBatch();
    assert.equal((await api.retrieve({ collection: "contacts", key: contact, select: ["_parentcustomerid_value"] }))._parentcustomerid_value, account);
});
