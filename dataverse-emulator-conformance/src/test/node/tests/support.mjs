// Shared by every conformance check: the emulator's address, DynamicsWebApi clients, and raw HTTP for the few checks of
// headers the client does not expose. Nothing here knows how the emulator works inside: it is reached like a service.
import { DynamicsWebApi } from "dynamics-web-api";

/** The emulator's base URL (`http://127.0.0.1:<port>`), given by the test that started it. */
export const serverUrl = (() => {
    const url = process.env.DATAVERSE_URL;
    if (!url) throw new Error("DATAVERSE_URL is not set: start the emulator and point this variable at it.");
    return url.replace(/\/$/, "");
})();

export const apiUrl = `${serverUrl}/api/data/v9.2/`;

/** A token the emulator accepts (any non-empty bearer token, unless it was started with --token). */
export const token = process.env.DATAVERSE_TOKEN || "conformance-token";

/**
 * A DynamicsWebApi client configured as its README shows for Node.js: a server URL and a token callback. Errors are
 * propagated (`propagateErrors`, the behaviour 2.5.0 makes standard) unless [config] says otherwise.
 */
export function dynamicsWebApi(config = {}) {
    return new DynamicsWebApi({ serverUrl, onTokenRefresh: async () => token, propagateErrors: true, timeout: REQUEST_TIMEOUT_MS, ...config });
}

/** No request waits longer than this: a stuck emulator fails its check instead of hanging the build. */
const REQUEST_TIMEOUT_MS = 30_000;

/** One raw request to the Web API (path relative to the API root), for checks of headers and statuses. */
export async function raw(method, path, { headers = {}, body } = {}) {
    const response = await fetch(path.startsWith("http") ? path : apiUrl + path, {
        method,
        headers: {
            Authorization: `Bearer ${token}`,
            Accept: "application/json",
            "OData-MaxVersion": "4.0",
            "OData-Version": "4.0",
            ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
            ...headers,
        },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await response.text();
    let json;
    try {
        json = text ? JSON.parse(text) : undefined;
    } catch {
        json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
}

/** A name unique to this run, so that checks never see each other's records. */
export function unique(prefix) {
    return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A label as metadata payloads carry it. */
export function label(text) {
    return {
        "@odata.type": "Microsoft.Dynamics.CRM.Label",
        LocalizedLabels: [{ "@odata.type": "Microsoft.Dynamics.CRM.LocalizedLabel", Label: text, LanguageCode: 1033 }],
    };
}

/** Polls [probe] until it returns a truthy value; fails after [timeoutMs]. For state the service builds in the background. */
export async function eventually(description, probe, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await probe();
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`Gave up waiting until ${description}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

/**
 * Creates an alternate key through `EntityDefinitions(LogicalName='<table>')/Keys`, as a user does on a fresh org
 * (Learn: "Define alternate keys using the Web API"), and waits until its index is Active: the service builds it in the
 * background (Learn: "Define alternate keys to reference rows", EntityKeyIndexStatus).
 */
export async function createAlternateKey(client, table, schemaName, columns) {
    const keys = { collection: "EntityDefinitions", key: `LogicalName='${table}'`, navigationProperty: "Keys" };
    await client.create({ ...keys, data: { SchemaName: schemaName, KeyAttributes: columns, DisplayName: label(schemaName) } });
    await eventually(`key ${schemaName} is Active`, async () => {
        const found = await client.retrieveMultiple({ ...keys, select: ["SchemaName", "EntityKeyIndexStatus"] });
        const key = found.value.find((k) => k.SchemaName === schemaName);
        if (key?.EntityKeyIndexStatus === "Failed") throw new Error(`key ${schemaName} failed`);
        return key?.EntityKeyIndexStatus === "Active";
    });
}

/**
 * Creates a user-owned custom table [schemaName] (e.g. `new_Widget`) with a primary name column `<prefix>_name` and
 * the attribute definitions in [attributes] (Learn: "Create and update table definitions using the Web API"), unless a
 * table of that name exists. Returns its entity set name.
 */
export async function ensureTable(client, schemaName, attributes = [], extra = {}) {
    const logicalName = schemaName.toLowerCase();
    const prefix = logicalName.substring(0, logicalName.indexOf("_"));
    const existing = await client.retrieveMultiple({ collection: "EntityDefinitions", select: ["EntitySetName"], filter: `LogicalName eq '${logicalName}'` });
    if (existing.value.length) return existing.value[0].EntitySetName;
    await client.createEntity({
        data: {
            "@odata.type": "Microsoft.Dynamics.CRM.EntityMetadata",
            SchemaName: schemaName,
            DisplayName: label(schemaName),
            DisplayCollectionName: label(`${schemaName}s`),
            Description: label(`Conformance table ${schemaName}`),
            OwnershipType: "UserOwned",
            HasActivities: false,
            HasNotes: false,
            IsActivity: false,
            ...extra,
            Attributes: [
                {
                    "@odata.type": "Microsoft.Dynamics.CRM.StringAttributeMetadata",
                    SchemaName: `${prefix}_Name`,
                    AttributeType: "String",
                    AttributeTypeName: { Value: "StringType" },
                    RequiredLevel: { Value: "None", CanBeChanged: true },
                    MaxLength: 100,
                    FormatName: { Value: "Text" },
                    DisplayName: label("Name"),
                    IsPrimaryName: true,
                },
                ...attributes,
            ],
        },
    });
    const created = await client.retrieveMultiple({ collection: "EntityDefinitions", select: ["EntitySetName"], filter: `LogicalName eq '${logicalName}'` });
    return created.value[0].EntitySetName;
}

/** An integer column definition (Learn: "Create and update column definitions using the Web API"). */
export function integerColumn(schemaName) {
    return {
        "@odata.type": "Microsoft.Dynamics.CRM.IntegerAttributeMetadata",
        SchemaName: schemaName,
        AttributeType: "Integer",
        AttributeTypeName: { Value: "IntegerType" },
        RequiredLevel: { Value: "None", CanBeChanged: true },
        Format: "None",
        MinValue: -2147483648,
        MaxValue: 2147483647,
        DisplayName: label(schemaName),
    };
}
