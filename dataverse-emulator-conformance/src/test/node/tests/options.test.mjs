// Request options: impersonation, bypassing custom logic, duplicate detection, tag, no-cache.
import { test } from "node:test";
import { randomUUID } from "node:crypto";
import assert from "node:assert/strict";
import { dynamicsWebApi, raw, unique } from "./support.mjs";

const api = dynamicsWebApi();

async function secondUser() {
    const aad = randomUUID();
    const id = await api.create({ collection: "systemusers", data: { fullname: unique("Impersonated"), azureactivedirectoryobjectid: aad } });
    return { id, aad };
}

test("Learn, Impersonate another user using the Web API: MSCRMCallerID makes the record created by that user, on behalf of the caller", async () => {
    const me = await api.callFunction({ name: "WhoAmI" });
    const other = await secondUser();
    const id = await api.create({ collection: "accounts", data: { name: unique("impersonated") }, impersonate: other.id });
    const record = await api.retrieve({ collection: "accounts", key: id, select: ["_createdby_value", "_createdonbehalfby_value", "_ownerid_value"] });
    assert.equal(record._createdby_value, other.id);
    assert.equal(record._createdonbehalfby_value, me.UserId);
    assert.equal(record._ownerid_value, other.id);
});

test("Learn, Impersonate another user using the Web API: CallerObjectId (Microsoft Entra object id) — DynamicsWebApi's impersonateAAD", async () => {
    const other = await secondUser();
    const asOther = dynamicsWebApi({ impersonateAAD: other.aad });
    const me = await asOther.callFunction({ name: "WhoAmI" });
    assert.equal(me.UserId, other.id);
});

test("Learn, Bypass custom business logic / Optional parameters: the headers DynamicsWebApi sends are accepted", async () => {
    const id = await api.create({ collection: "accounts", data: { name: unique("bypass") }, bypassCustomPluginExecution: true, tag: "conformance", noCache: true });
    assert.match(id, /^[0-9a-f-]{36}$/);
    const withDetection = await api.create({ collection: "accounts", data: { name: unique("detect") }, duplicateDetection: true });
    assert.match(withDetection, /^[0-9a-f-]{36}$/);
});

test("Learn, Compose HTTP requests and handle errors: If-None-Match: null on any request only defeats caching", async () => {
    const id = await api.create({ collection: "accounts", data: { name: unique("nocache") } });
    const read = await raw("GET", `accounts(${id})?$select=name`, { headers: { "If-None-Match": "null" } });
    assert.equal(read.status, 200);
});
