// File columns: DynamicsWebApi's chunked upload, its download form, and delete.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { dynamicsWebApi, raw, label, ensureTable } from "./support.mjs";

const api = dynamicsWebApi();
let set;

before(async () => {
    set = await ensureTable(api, "new_Document", [
        { "@odata.type": "Microsoft.Dynamics.CRM.FileAttributeMetadata", SchemaName: "new_File", DisplayName: label("File"), RequiredLevel: { Value: "None" }, MaxSizeInKB: 32768 },
    ]);
});

test("Learn, Use file column data: DynamicsWebApi's chunked upload, then its download form, round-trip the bytes", async () => {
    const id = await api.create({ collection: set, data: { new_name: "doc" } });
    const content = Buffer.from("Welcome to DynamicsWebApi! ".repeat(1000) + "é✓", "utf-8");
    await api.uploadFile({ collection: set, key: id, property: "new_file", fileName: "welcome.txt", data: content });
    // DynamicsWebApi downloads with GET {set}(id)/{column}?size=full and Range, and reads the chunk as Base64 JSON.
    const downloaded = await api.downloadFile({ collection: set, key: id, property: "new_file" });
    assert.equal(downloaded.fileName, "welcome.txt");
    assert.equal(downloaded.fileSize, content.length);
    assert.deepEqual(Buffer.from(downloaded.data), content);
    // The documented single-request download (Learn: "Download a file in a single request using Web API").
    const single = await fetch(`${process.env.DATAVERSE_URL.replace(/\/$/, "")}/api/data/v9.2/${set}(${id})/new_file/$value`, { headers: { Authorization: "Bearer t" }, signal: AbortSignal.timeout(30_000) });
    assert.equal(single.status, 200);
    assert.equal(single.headers.get("x-ms-file-name"), "welcome.txt");
    assert.deepEqual(Buffer.from(await single.arrayBuffer()), content);
});

test("Learn, Use file column data: a file larger than one chunk; the record names the file", async () => {
    const id = await api.create({ collection: set, data: { new_name: "big" } });
    const content = Buffer.alloc(4 * 1024 * 1024 + 12345);
    for (let i = 0; i < content.length; i++) content[i] = (i * 31) % 251;
    await api.uploadFile({ collection: set, key: id, property: "new_file", fileName: "big.bin", data: content });
    const downloaded = await api.downloadFile({ collection: set, key: id, property: "new_file" });
    assert.equal(downloaded.fileSize, content.length);
    assert.ok(Buffer.from(downloaded.data).equals(content), "same bytes");
    const record = await api.retrieve({ collection: set, key: id, select: ["new_file", "new_file_name"] });
    assert.equal(record.new_file_name, "big.bin");
    assert.match(record.new_file, /^[0-9a-f-]{36}$/);
});

test("Learn, Use file column data: delete a file with DELETE on the column; an empty file column is then 404", async () => {
    const id = await api.create({ collection: set, data: { new_name: "gone" } });
    await api.uploadFile({ collection: set, key: id, property: "new_file", fileName: "x.txt", data: Buffer.from("x") });
    await api.deleteRecord({ collection: set, key: id, property: "new_file" });
    const empty = await raw("GET", `${set}(${id})/new_file/$value`);
    assert.equal(empty.status, 404);
});
