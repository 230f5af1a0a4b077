// Dataverse search: the 2.0 endpoints (query, suggest, autocomplete) and the 1.0 endpoints that Learn says remain available.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { dynamicsWebApi, unique } from "./support.mjs";

const v2 = dynamicsWebApi({ searchApi: { version: "2.0" } });
const v1 = dynamicsWebApi(); // DynamicsWebApi's default Search API version is 1.0
const word = unique("Zephyrine").replace(/-/g, "").toLowerCase().slice(0, 24);

before(async () => {
    await v1.create({ collection: "accounts", data: { name: `${word} Traders` } });
    await v1.create({ collection: "contacts", data: { firstname: word, lastname: "Sullivan" } });
});

test("Learn, Dataverse Search query (2.0): POST /api/search/v2.0/query answers a response string with Value and Count", async () => {
    const result = await v2.query({ query: { search: word, count: true, entities: ["account", "contact"] } });
    assert.equal(typeof result.response, "object", "DynamicsWebApi parses the 'response' string");
    assert.equal(result.response.Count, 2);
    const names = result.response.Value.map((hit) => hit.EntityName).sort();
    assert.deepEqual(names, ["account", "contact"]);
    for (const hit of result.response.Value) assert.match(hit.Id, /^[0-9a-f-]{36}$/);
});

test("Learn, Dataverse Search suggest and autocomplete (2.0)", async () => {
    const suggested = await v2.suggest({ query: { search: word.slice(0, 6), entities: ["account"] } });
    assert.ok(suggested.response.Value.some((s) => s.Text.includes("{crmhit}")), "suggestions carry crmhit highlights");
    const completed = await v2.autocomplete({ query: { search: word.slice(0, 6), entities: ["account"] } });
    assert.match(completed.response.Value, /\{crmhit\}/);
});

test("Learn, Dataverse native search 1.0: POST /api/search/v1.0/query answers value, facets and totalrecordcount", async () => {
    const result = await v1.query({ query: { search: word, returnTotalRecordCount: true, entities: ["account", "contact"] } });
    assert.equal(result.totalrecordcount, 2);
    const entityNames = result.value.map((hit) => hit["@search.entityname"]).sort();
    assert.deepEqual(entityNames, ["account", "contact"]);
    for (const hit of result.value) {
        assert.match(hit["@search.objectid"], /^[0-9a-f-]{36}$/);
        assert.equal(typeof hit["@search.score"], "number");
        assert.equal(typeof hit["@search.highlights"], "object");
    }
    // totalrecordcount is -1 unless it was asked for.
    const uncounted = await v1.query({ query: { search: word } });
    assert.equal(uncounted.totalrecordcount, -1);
});

test("Learn, Dataverse native search 1.0: suggest and autocomplete", async () => {
    const suggested = await v1.suggest({ query: { search: word.slice(0, 6) } });
    assert.ok(suggested.value.length >= 1);
    assert.match(suggested.value[0].text, /\{crmhit\}/);
    assert.equal(typeof suggested.value[0].document["@search.objectid"], "string");
    const completed = await v1.autocomplete({ query: { search: word.slice(0, 6) } });
    assert.match(completed.value, /\{crmhit\}/);
});
