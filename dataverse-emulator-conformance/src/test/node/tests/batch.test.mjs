// $batch: change sets, Content-ID references, GETs, errors, continue-on-error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { dynamicsWebApi, unique } from "./support.mjs";

const api = dynamicsWebApi();

test("Learn, Execute batch operations using the Web API: a change set with a Content-ID reference, and a GET", async () => {
    const lastname = unique("batch");
    api.startBatch();
    api.create({ collection: "contacts", contentId: "1", data: { firstname: "Batch", lastname } });
    api.create({ collection: "accounts", data: { name: unique("batch account"), "primarycontactid@odata.bind": "$1" } });
    api.retrieveMultiple({ collection: "contacts", select: ["lastname"], filter: `lastname eq '${lastname}'` });
    const [contactId, accountId, listed] = await api.executeBatch();
    assert.match(contactId, /^[0-9a-f-]{36}$/);
    assert.match(accountId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(listed.value.map((c) => c.contactid), [contactId]);
    const account = await api.retrieve({ collection: "accounts", key: accountId, select: ["_primarycontactid_value"] });
    assert.equal(account._primarycontactid_value, contactId);
});

test("Learn, Execute batch operations using the Web API: a change set is atomic; without continue-on-error the batch stops", async () => {
    const name = unique("atomic");
    api.startBatch();
    api.create({ collection: "accounts", data: { name } });
    api.update({ collection: "accounts", key: "00000000-0000-0000-0000-0000000000bb", data: { name: "missing" } });
    await assert.rejects(api.executeBatch(), (errors) => Array.isArray(errors) && errors.some((e) => e.status === 404));
    assert.equal(await api.count({ collection: "accounts", filter: `name eq '${name}'` }), 0);
});

test("Learn, Execute batch operations using the Web API: with continue-on-error every operation outside change sets runs", async () => {
    const name = unique("continue");
    api.startBatch();
    api.retrieve({ collection: "accounts", key: "00000000-0000-0000-0000-0000000000cc" });
    api.create({ collection: "accounts", data: { name }, inChangeSet: false });
    const outcome = await api.executeBatch({ continueOnError: true }).catch((errors) => errors);
    assert.ok(Array.isArray(outcome));
    assert.equal(outcome[0].status, 404);
    assert.match(outcome[1], /^[0-9a-f-]{36}$/);
    assert.equal(await api.count({ collection: "accounts", filter: `name eq '${name}'` }), 1);
});

test("DynamicsWebApi: Content-ID as the target of a later request in the change set (updateSingleProperty on $1)", async () => {
    api.startBatch();
    api.create({ collection: "contacts", contentId: "1", data: { firstname: "James", lastname: unique("Doe") } });
    api.updateSingleProperty({ contentId: "$1", fieldValuePair: { lastname: "Bond" } });
    const [id] = await api.executeBatch();
    assert.equal((await api.retrieve({ collection: "contacts", key: id, select: ["lastname"] })).lastname, "Bond");
});
