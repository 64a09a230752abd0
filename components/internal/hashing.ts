/**
 * Content hashes for change detection (deployment triggers, name shortening).
 * Values are serialized with sorted keys (safe-stable-stringify), so a hash
 * changes exactly when the content does, never with key order.
 */
import { createHash } from "crypto";
import { stringify } from "safe-stable-stringify";

/** The SHA-256 of `data`, as lowercase hex. */
export function sha256Hex(data: string | Buffer): string {
    return createHash("sha256").update(data).digest("hex");
}

/** The SHA-256 of a JSON-like value, independent of object key order. */
export function stableJsonHash(value: unknown): string {
    const text = stringify(value);
    if (text === undefined) {
        throw new Error("stableJsonHash: the value has no JSON form");
    }
    return sha256Hex(text);
}
