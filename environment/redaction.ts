/**
 * Keeps secret configuration out of messages. A problem found in a secret key (`pulumi config set
 * --secret`, or a `secure:` value anywhere inside a map) names the key and what is allowed, never the
 * value: the engine prints errors in the terminal, CI logs and pull-request comments.
 */

/** Shown in place of a secret value. */
export const REDACTED = "[secret]";

/** Strings shorter than this are too common ("t3", "dev") to be told apart from the message's own words. */
const MIN_SECRET_LENGTH = 4;

/** Every string inside `value` (map values, list items, nested), as text and as JSON would quote it. */
function secretStrings(value: unknown): string[] {
    if (typeof value === "string") {
        return value.length >= MIN_SECRET_LENGTH ? [value, JSON.stringify(value).slice(1, -1)] : [];
    }
    if (typeof value === "number" || typeof value === "boolean") {
        return secretStrings(String(value));
    }
    if (value !== null && typeof value === "object") {
        return Object.values(value).flatMap(secretStrings);
    }
    return [];
}

/**
 * `problems` with every string of the secret keys' values replaced by {@link REDACTED}: a message
 * that quotes a secret setting (`"<value>" differs from ...`, `(got ...)`) keeps its sense, not the value.
 */
export function redactSecretValues(
    problems: string[],
    values: Record<string, unknown>,
    secretKeys: string[],
): string[] {
    // Longest first, so a secret that contains a shorter one is replaced whole.
    const secrets = [...new Set(secretKeys.flatMap((key) => secretStrings(values[key])))].sort(
        (a, b) => b.length - a.length,
    );
    return problems.map((problem) => secrets.reduce((text, secret) => text.split(secret).join(REDACTED), problem));
}
