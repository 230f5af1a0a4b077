// FetchXML through the Web API: paging with cookies, the last page, fetchAll, aggregates.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { dynamicsWebApi, raw, unique } from "./support.mjs";

const api = dynamicsWebApi();
const tag = unique("fx");

before(async () => {
    for (let i = 0; i < 7; i++) await api.create({ collection: "contacts", data: { firstname: tag, lastname: `L${i}`, jobtitle: i % 2 ? "odd" : "even" } });
});

const fetchXml = (count) =>
    `<fetch count="${count}"><entity name="contact"><attribute name="lastname"/><filter><condition attribute="firstname" operator="eq" value="${tag}"/></filter><order attribute="lastname"/></entity></fetch>`;

const pagingAnnotations = { Prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.fetchxmlpagingcookie,Microsoft.Dynamics.CRM.morerecords"' };

test("Learn, Page results using FetchXml: more pages carry a paging cookie and morerecords; the last page carries neither", async () => {
    const first = await raw("GET", `contacts?fetchXml=${encodeURIComponent(fetchXml(3).replace("<fetch ", '<fetch page="1" '))}`, { headers: pagingAnnotations });
    assert.equal(first.status, 200);
    assert.equal(first.json["@Microsoft.Dynamics.CRM.morerecords"], true);
    assert.match(first.json["@Microsoft.Dynamics.CRM.fetchxmlpagingcookie"], /^<cookie pagenumber="2" pagingcookie="[^"]+"/);
    const last = await raw("GET", `contacts?fetchXml=${encodeURIComponent(fetchXml(3).replace("<fetch ", '<fetch page="3" '))}`, { headers: pagingAnnotations });
    assert.equal(last.json.value.length, 1);
    // Learn's last-page response has neither annotation, and its sample code stops when morerecords is absent.
    assert.equal("@Microsoft.Dynamics.CRM.morerecords" in last.json, false);
    assert.equal("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie" in last.json, false);
});

test("DynamicsWebApi: fetch returns PagingInfo to pass on; fetchAll reads every page once", async () => {
    const first = await api.fetch({ collection: "contacts", fetchXml: fetchXml(3), includeAnnotations: "Microsoft.Dynamics.CRM.fetchxmlpagingcookie" });
    assert.equal(first.value.length, 3);
    assert.equal(first.PagingInfo.nextPage, 2);
    const second = await api.fetch({ collection: "contacts", fetchXml: fetchXml(3), includeAnnotations: "Microsoft.Dynamics.CRM.fetchxmlpagingcookie", pageNumber: 2, pagingCookie: first.PagingInfo.cookie });
    assert.deepEqual(second.value.map((r) => r.lastname), ["L3", "L4", "L5"]);
    const all = await api.fetchAll({ collection: "contacts", fetchXml: fetchXml(2), includeAnnotations: "Microsoft.Dynamics.CRM.fetchxmlpagingcookie" });
    assert.deepEqual(all.value.map((r) => r.lastname), ["L0", "L1", "L2", "L3", "L4", "L5", "L6"]);
});

test("Learn, Aggregate data using FetchXml: count grouped by a column", async () => {
    const xml = `<fetch aggregate="true"><entity name="contact"><attribute name="jobtitle" groupby="true" alias="title"/><attribute name="contactid" aggregate="count" alias="n"/><filter><condition attribute="firstname" operator="eq" value="${tag}"/></filter><order alias="title"/></entity></fetch>`;
    const result = await api.fetch({ collection: "contacts", fetchXml: xml });
    assert.deepEqual(result.value.map((r) => [r.title, r.n]), [["even", 4], ["odd", 3]]);
});
