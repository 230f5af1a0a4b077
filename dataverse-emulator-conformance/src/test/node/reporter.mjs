// A node:test reporter that writes one line per test, for the JUnit run that maps each line to a test result. Fields
// are tab-separated, text fields Base64 (UTF-8) so that no character of a name or message can break a line:
//   status (pass|fail|skip|todo) TAB file TAB durationMs TAB path (Base64 names, comma-separated) TAB message TAB reason
// Suites are reported only when they fail on their own (a failing hook), so that no failure goes unseen.
import path from "node:path";

export default async function* resultLines(source) {
    const stacks = new Map(); // file -> names by nesting level, from test:start (emitted in definition order)
    for await (const event of source) {
        const data = event.data ?? {};
        const file = data.file ? path.basename(data.file) : "(runner)";
        if (event.type === "test:start") {
            const stack = stacks.get(file) ?? [];
            stack.length = data.nesting;
            stack.push(data.name);
            stacks.set(file, stack);
            continue;
        }
        if (event.type !== "test:pass" && event.type !== "test:fail") continue;
        const details = data.details ?? {};
        const isSuite = details.type === "suite";
        if (isSuite && event.type === "test:pass") continue;
        const stack = (stacks.get(file) ?? []).slice(0, data.nesting);
        const status = data.skip !== undefined ? "skip" : data.todo !== undefined ? "todo" : event.type === "test:pass" ? "pass" : "fail";
        const error = details.error;
        const cause = error?.cause ?? error;
        const reason = typeof data.skip === "string" ? data.skip : typeof data.todo === "string" ? data.todo : "";
        const fields = [status, file, String(Math.round(details.duration_ms ?? 0)), [...stack, data.name].map(b64).join(","), b64(error ? describe(cause) : ""), b64(reason)];
        yield fields.join("\t") + "\n";
    }
}

function b64(text) {
    return Buffer.from(String(text ?? ""), "utf-8").toString("base64");
}

function describe(error) {
    if (error == null) return undefined;
    if (typeof error !== "object") return String(error);
    const parts = [error.stack ?? error.message ?? JSON.stringify(error)];
    // DynamicsWebApi's errors carry the service's answer: status, code and message.
    for (const key of ["status", "code", "statusMessage"]) if (error[key] !== undefined && typeof error[key] !== "object") parts.push(`${key}: ${error[key]}`);
    if (Array.isArray(error)) parts.push(JSON.stringify(error.map((e) => ({ status: e.status, code: e.code, message: e.message }))));
    return parts.join("\n");
}
