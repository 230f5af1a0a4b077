// Elastic tables: partitions, session tokens, the create answer, unsupported joins.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { dynamicsWebApi, raw, unique, ensureTable, apiUrl } from "./support.mjs";

const api = dynamicsWebApi();
let set;

before(async () => {
    // Learn, Create elastic tables using code: TableType "Elastic" on EntityMetadata.
    set = await ensureTable(api, "contoso_SensorData", [
        { "@odata.type": "Microsoft.Dynamics.CRM.IntegerAttributeMetadata", SchemaName: "contoso_Value", DisplayName: { LocalizedLabels: [{ Label: "Value", LanguageCode: 1033 }] }, RequiredLevel: { Value: "None" }, MinValue: 0, MaxValue: 1000, Format: "None" },
    ], { TableType: "Elastic" });
});

test("Learn, Use elastic tables using code: create answers x-ms-session-token and OData-EntityId naming the record by its id", async () => {
    const device = unique("device");
    const created = await raw("POST", set, { body: { contoso_name: "reading", contoso_value: 40, partitionid: device, ttlinseconds: 86400 } });
    assert.equal(created.status, 204);
    assert.ok(created.headers.get("x-ms-session-token"), "a session token");
    // Learn's create response: OData-EntityId: [Organization URI]/api/data/v9.2/sensordata(7eb682f1-ca75-e511-80d4-00155d2a68d1)
    assert.match(created.headers.get("OData-EntityId"), /\([0-9a-f-]{36}\)$/);
    const id = await api.create({ collection: set, data: { contoso_name: "via client", partitionid: device } });
    assert.match(id, /^[0-9a-f-]{36}$/, "DynamicsWebApi reads the id of an elastic create");
});

test("Learn, Use elastic tables using code: update by the partitioned key answers both headers; MSCRM.SessionToken reads the write", async () => {
    const device = unique("device");
    const id = await api.create({ collection: set, data: { contoso_name: "r", contoso_value: 1, partitionid: device } });
    const key = `contoso_sensordataid=${id},partitionid='${device}'`;
    const updated = await raw("PATCH", `${set}(${key})`, { headers: { "If-Match": "*" }, body: { contoso_value: 60 } });
    assert.equal(updated.status, 204);
    const token = updated.headers.get("x-ms-session-token");
    assert.ok(token, "a session token on update");
    assert.equal(updated.headers.get("OData-EntityId"), `${apiUrl}${set}(${key})`);
    const read = await api.retrieve({ collection: set, key, select: ["contoso_value"], headers: { "MSCRM.SessionToken": token } });
    assert.equal(read.contoso_value, 60);
});

test("Learn, Use elastic tables using code: GET and DELETE with the partitionId parameter (DynamicsWebApi's partitionId)", async () => {
    const device = unique("device");
    const id = await api.create({ collection: set, data: { contoso_name: "p", contoso_value: 2, partitionid: device } });
    const read = await api.retrieve({ collection: set, key: id, partitionId: device, select: ["contoso_value"] });
    assert.equal(read.contoso_value, 2);
    const listed = await api.retrieveMultiple({ collection: set, partitionId: device, select: ["contoso_value"] });
    assert.deepEqual(listed.value.map((r) => r.contoso_value), [2]);
    await api.deleteRecord({ collection: set, key: id, partitionId: device });
    await assert.rejects(api.retrieve({ collection: set, key: id, partitionId: device }), (error) => error.status === 404);
});

test("Learn, Use elastic tables using code: an inner link-entity is refused with 0x80048d0b, Link entities are not supported", async () => {
    const xml = `<fetch><entity name="contoso_sensordata"><attribute name="contoso_value"/><link-entity name="systemuser" from="systemuserid" to="ownerid" link-type="inner"><attribute name="fullname"/></link-entity></entity></fetch>`;
    await assert.rejects(api.fetch({ collection: set, fetchXml: xml }), (error) => error.code === "0x80048d0b");
    const outer = xml.replace('link-type="inner"', 'link-type="outer"');
    const result = await api.fetch({ collection: set, fetchXml: outer });
    assert.ok(Array.isArray(result.value));
});
