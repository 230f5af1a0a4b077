// Change tracking: delta links, changes and deletions, the count of a delta.
import { test } from "node:test";
import assert from "node:assert/strict";
import { dynamicsWebApi, raw, unique } from "./support.mjs";

const api = dynamicsWebApi();

test("Learn, Use change tracking to synchronize data with external systems: a delta link, then only what changed", async () => {
    const tag = unique("ct");
    const first = await api.retrieveAll({ collection: "accounts", select: ["name"], trackChanges: true });
    assert.ok(first.oDataDeltaLink, "the initial request ends with a delta link");
    const created = await api.create({ collection: "accounts", data: { name: `${tag} new` } });
    const doomed = await api.create({ collection: "accounts", data: { name: `${tag} doomed` } });
    const second = await api.retrieveMultiple({ collection: "accounts", trackChanges: true }, first.oDataDeltaLink);
    const ids = second.value.map((r) => r.accountid ?? r.id);
    assert.ok(ids.includes(created) && ids.includes(doomed), "both creations are changes");
    await api.deleteRecord({ collection: "accounts", key: doomed });
    await api.update({ collection: "accounts", key: created, data: { name: `${tag} renamed` } });
    const third = await api.retrieveMultiple({ collection: "accounts", trackChanges: true }, second.oDataDeltaLink);
    const renamed = third.value.find((r) => r.accountid === created);
    assert.equal(renamed.name, `${tag} renamed`);
    const deleted = third.value.find((r) => r.id === doomed);
    assert.equal(deleted.reason, "deleted");
    assert.match(deleted["@odata.context"], /\$metadata#accounts\/\$deletedEntity$/);
    assert.ok(third.oDataDeltaLink, "another delta link");
});

test("Learn, Use change tracking to synchronize data with external systems: the number of changes in a delta ($count)", async () => {
    const start = await api.retrieveAll({ collection: "contacts", select: ["lastname"], trackChanges: true });
    const token = new URL(start.oDataDeltaLink).searchParams.get("$deltatoken");
    for (let i = 0; i < 3; i++) await api.create({ collection: "contacts", data: { lastname: unique("delta") } });
    // GET [Organization URI]/api/data/v9.2/accounts/$count?$deltatoken=919042%2108%2f22%2f2017%2008%3a10%3a44
    const counted = await raw("GET", `contacts/$count?$deltatoken=${encodeURIComponent(token)}`);
    assert.equal(counted.status, 200);
    assert.ok(Number(counted.text) >= 3, `the delta counts the 3 new contacts (got ${counted.text})`);
    assert.equal(await api.count({ collection: "contacts", queryParams: [`$deltatoken=${encodeURIComponent(token)}`] }), Number(counted.text));
});

test("Learn, Use change tracking to synchronize data with external systems: $filter, $orderby and $top are not supported", async () => {
    await assert.rejects(api.retrieveMultiple({ collection: "accounts", select: ["name"], filter: "name ne null", trackChanges: true }), (error) => error.status === 400);
});
