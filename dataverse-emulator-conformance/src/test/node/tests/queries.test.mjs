// Queries: $select, $filter, $orderby, $top, $expand, $count, paging with odata.maxpagesize, annotations, long URLs.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { dynamicsWebApi, raw, unique } from "./support.mjs";

const api = dynamicsWebApi();
const tag = unique("q");
const names = [];

before(async () => {
    for (let i = 0; i < 12; i++) {
        const name = `${tag} ${String(i).padStart(2, "0")}`;
        names.push(name);
        await api.create({ collection: "accounts", data: { name, numberofemployees: i * 10, industrycode: (i % 3) + 1 } });
    }
});

const mine = `startswith(name,'${tag}')`;

test("Learn, Query data using the Web API: $select, $filter and $orderby", async () => {
    const result = await api.retrieveMultiple({ collection: "accounts", select: ["name", "numberofemployees"], filter: `${mine} and numberofemployees ge 50`, orderBy: ["numberofemployees desc"] });
    assert.deepEqual(result.value.map((r) => r.numberofemployees), [110, 100, 90, 80, 70, 60, 50]);
    assert.equal(result.value[0].industrycode, undefined);
});

test("Learn, Page results using OData: odata.maxpagesize pages with @odata.nextLink; the last page has none", async () => {
    const first = await api.retrieveMultiple({ collection: "accounts", select: ["name"], filter: mine, orderBy: ["name"], maxPageSize: 5 });
    assert.equal(first.value.length, 5);
    assert.ok(first.oDataNextLink, "a next link on the first page");
    const second = await api.retrieveMultiple({ collection: "accounts", maxPageSize: 5 }, first.oDataNextLink);
    assert.deepEqual(second.value.map((r) => r.name), names.slice(5, 10));
    const third = await api.retrieveMultiple({ collection: "accounts", maxPageSize: 5 }, second.oDataNextLink);
    assert.deepEqual(third.value.map((r) => r.name), names.slice(10));
    assert.equal(third.oDataNextLink, undefined);
    // DynamicsWebApi's retrieveAll follows the links (its documented "Retrieve All records").
    const all = await api.retrieveAll({ collection: "accounts", select: ["name"], filter: mine, orderBy: ["name"], maxPageSize: 4 });
    assert.deepEqual(all.value.map((r) => r.name), names);
});

test("Learn, Query data using the Web API (Limit the number of rows): $top", async () => {
    const result = await api.retrieveMultiple({ collection: "accounts", select: ["name"], filter: mine, orderBy: ["name"], top: 3 });
    assert.deepEqual(result.value.map((r) => r.name), names.slice(0, 3));
});

test("Learn, Count rows using OData: $count=true and /$count", async () => {
    const counted = await api.retrieveMultiple({ collection: "accounts", select: ["name"], filter: mine, count: true });
    assert.equal(counted.oDataCount, 12);
    // DynamicsWebApi.count with a filter sends $count=true; without one it GETs accounts/$count (text/plain).
    assert.equal(await api.count({ collection: "accounts", filter: mine }), 12);
    const all = await api.count({ collection: "accounts" });
    assert.equal(typeof all, "number");
    assert.ok(all >= 12);
    const plain = await raw("GET", "accounts/$count");
    assert.match(plain.headers.get("Content-Type"), /^text\/plain/);
    assert.equal(await api.countAll({ collection: "accounts", filter: mine, maxPageSize: 5 }), 12);
});

test("Learn, Select columns (Web API): formatted values of choices come with odata.include-annotations", async () => {
    const result = await api.retrieveMultiple({ collection: "accounts", select: ["name", "industrycode"], filter: `${mine} and industrycode eq 1`, includeAnnotations: "OData.Community.Display.V1.FormattedValue" });
    assert.equal(result.value.length, 4);
    for (const record of result.value) {
        assert.equal(record.industrycode, 1);
        assert.equal(record["industrycode@OData.Community.Display.V1.FormattedValue"], "Accounting");
        assert.equal(record.industrycode_Formatted, "Accounting"); // DynamicsWebApi's own alias of the annotation
    }
});

test("Learn, Join tables using OData: $expand of a single-valued and of a collection-valued navigation property", async () => {
    const account = await api.create({ collection: "accounts", data: { name: unique("expand") } });
    const contact = await api.create({ collection: "contacts", data: { firstname: "Exp", lastname: unique("and"), "parentcustomerid_account@odata.bind": `/accounts(${account})` } });
    await api.update({ collection: "accounts", key: account, data: { "primarycontactid@odata.bind": `/contacts(${contact})` } });
    const record = await api.retrieve({
        collection: "accounts",
        key: account,
        select: ["name"],
        expand: [{ property: "primarycontactid", select: ["firstname"] }, { property: "contact_customer_accounts", select: ["lastname"] }],
    });
    assert.equal(record.primarycontactid.firstname, "Exp");
    assert.deepEqual(record.contact_customer_accounts.map((c) => c.contactid), [contact]);
});

test("DynamicsWebApi: a GET longer than 2,000 characters goes inside $batch, and answers as the GET would", async () => {
    // DynamicsWebApi documents this conversion; Learn (Query data using the Web API, URL length limitations) documents
    // sending long queries in $batch.
    const long = `${mine} and (${Array.from({ length: 60 }, (_, i) => `name ne 'not-${i}-${"x".repeat(20)}'`).join(" and ")})`;
    const result = await api.retrieveMultiple({ collection: "accounts", select: ["name"], filter: long, orderBy: ["name"] });
    assert.deepEqual(result.value.map((r) => r.name), names);
});

test("Learn, Filter rows using OData: string functions and escaped quotes", async () => {
    const name = `${tag} O'Neil & Sons`;
    await api.create({ collection: "accounts", data: { name } });
    const result = await api.retrieveMultiple({ collection: "accounts", select: ["name"], filter: `contains(name,'O''Neil & Sons') and ${mine}` });
    assert.deepEqual(result.value.map((r) => r.name), [name]);
});

test("Learn, Use SQL to query data by using the Dataverse Web API (preview): a SELECT through the sql query option", async () => {
    const sql = `SELECT a.name AS account_name FROM account AS a WHERE a.name LIKE '${tag} 0%' ORDER BY a.name`;
    const result = await api.retrieveMultiple({ collection: "accounts", queryParams: [`sql=${encodeURIComponent(sql)}`] });
    assert.deepEqual(result.value.map((r) => r.account_name), names.slice(0, 10));
    assert.equal(result.value[0]["account_name@OData.Community.Display.V1.AttributeName"], "name");
});

test("Learn, Use SQL to query data by using the Dataverse Web API (preview): TOP and OFFSET ... FETCH are not supported", async () => {
    // The Web API page is followed where Learn's pages disagree (its SDK-for-Python page shows TOP).
    const top = await raw("GET", `accounts?sql=${encodeURIComponent("SELECT TOP 1 name FROM account")}`);
    assert.equal(top.status, 400);
    const offset = await raw("GET", `accounts?sql=${encodeURIComponent("SELECT name FROM account ORDER BY name OFFSET 1 ROWS FETCH NEXT 1 ROWS ONLY")}`);
    assert.equal(offset.status, 400);
});
