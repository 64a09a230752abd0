/**
 * EDN (https://github.com/edn-format/edn) for the files and tools of Datomic
 * ions: deps.edn, ion-config.edn, ion-dev's arguments and output, and the
 * `EnvironmentMap` parameter of compute and query-group stacks. Parsing and
 * printing are edn-data's; this module maps EDN to plain JSON-like data and back.
 *
 * The plain form: maps become objects whose keys are the key's name (`:app-name`
 * -> `"app-name"`, `:local/root` -> `"local/root"`); keyword *values* become
 * strings that start with a colon (`:staging` -> `":staging"`); symbols become
 * their name; vectors, lists and sets become arrays; `#inst` becomes an ISO
 * string and Clojure's namespaced maps (`#:mvn{:version "1"}`) are expanded.
 * Printing does the reverse, so `{ env: ":staging" }` prints `{:env :staging}`.
 */
import { parseEDNString, toEDNString, toKeyword } from "edn-data";
import type { EDNVal } from "edn-data";

/** EDN text that edn-data cannot read (unbalanced, unterminated or malformed). */
export class EdnSyntaxError extends Error {}

// EDN symbol constituents; `:` and `#` may not start a name (edn-format spec, "symbols" and "keywords").
const NAME_START = "A-Za-z.*+!_?$%&=<>\\-";
const NAME_PART = `[${NAME_START}][${NAME_START}0-9:#]*`;
const KEYWORD_NAME = new RegExp(`^(${NAME_PART}/)?${NAME_PART}$`);

/** Whether `name` can follow `:` as an EDN keyword, e.g. `app-name` or `local/root`. */
export function isKeywordName(name: string): boolean {
    // A name starting with +, - or . may not continue with a digit (it would read as a number).
    return KEYWORD_NAME.test(name) && !/(^|\/)[+\-.][0-9]/.test(name);
}

/** Whether a plain string stands for an EDN keyword (`":staging"`) rather than a string. */
export function isKeywordString(value: string): boolean {
    return value.startsWith(":") && isKeywordName(value.slice(1));
}

/** Every top-level form of `text`, in plain form. Throws {@link EdnSyntaxError} when the text is not EDN. */
export function parseEdnForms(text: string): unknown[] {
    let forms: unknown;
    try {
        // Reading the text as the body of a list yields all its forms; an unterminated form leaves it null.
        forms = parseEDNString(`(${text}\n)`, { mapAs: "doubleArray", listAs: "array", setAs: "array" });
    } catch (e) {
        throw new EdnSyntaxError(`not EDN: ${(e as Error).message}`);
    }
    if (!Array.isArray(forms)) {
        throw new EdnSyntaxError("not EDN: a form is unterminated (unbalanced brackets or an open string)");
    }
    return forms.map(toPlain);
}

/** The one form of `text`, in plain form. Throws {@link EdnSyntaxError} when there is not exactly one. */
export function parseEdn(text: string): unknown {
    const forms = parseEdnForms(text);
    if (forms.length !== 1) {
        throw new EdnSyntaxError(`expected one EDN form, found ${forms.length}`);
    }
    return forms[0];
}

/**
 * The last top-level map in a tool's output, in plain form, or undefined when there is none.
 * Tools print log lines before their result (Maven downloads, warnings); when the whole output
 * does not read as EDN, the result is looked for from each line that starts with `{`, last first.
 */
export function lastEdnMap(output: string): Record<string, unknown> | undefined {
    const candidates = [output];
    const lines = output.split(/\r?\n/);
    for (let i = lines.length - 1; i >= 0; i--) {
        if (lines[i].startsWith("{")) {
            candidates.push(lines.slice(i).join("\n"));
        }
    }
    for (const candidate of candidates) {
        let forms: unknown[];
        try {
            forms = parseEdnForms(candidate);
        } catch {
            continue;
        }
        const map = [...forms].reverse().find(isPlainObject);
        if (map) {
            return map;
        }
    }
    return undefined;
}

/**
 * Why plain data cannot be printed as EDN, or undefined when it can: map keys must be keyword
 * names; values may be strings, finite numbers, booleans, null, arrays and objects.
 * `path` names the value in the message (for example `environmentMap`).
 */
export function ednProblem(value: unknown, path: string): string | undefined {
    if (value === null || typeof value === "string" || typeof value === "boolean") {
        return undefined;
    }
    if (typeof value === "number") {
        return Number.isFinite(value) ? undefined : `${path} is ${value}, which EDN cannot represent`;
    }
    if (Array.isArray(value)) {
        for (const [index, item] of value.entries()) {
            const problem = ednProblem(item, `${path}[${index}]`);
            if (problem) {
                return problem;
            }
        }
        return undefined;
    }
    if (isPlainObject(value)) {
        for (const [key, item] of Object.entries(value)) {
            if (!isKeywordName(key)) {
                return `${path} has the key ${JSON.stringify(key)}, which is not an EDN keyword name (letters, digits and . * + ! - _ ? $ % & = < >, optionally one namespace/ prefix, not starting with a digit)`;
            }
            const problem = item === undefined ? undefined : ednProblem(item, `${path}.${key}`);
            if (problem) {
                return problem;
            }
        }
        return undefined;
    }
    return `${path} is ${describe(value)}; use strings, numbers, booleans, null, arrays or objects`;
}

/**
 * Prints plain data as EDN: objects become maps with keyword keys in sorted order (so the text
 * does not depend on key order), strings such as `":staging"` become keywords, undefined entries
 * are left out. Throws when {@link ednProblem} finds a problem.
 */
export function toEdn(value: unknown, path = "value"): string {
    const problem = ednProblem(value, path);
    if (problem) {
        throw new Error(problem);
    }
    return toEDNString(fromPlain(value));
}

function fromPlain(value: unknown): EDNVal {
    if (typeof value === "string") {
        return isKeywordString(value) ? toKeyword(value.slice(1)) : value;
    }
    if (Array.isArray(value)) {
        return value.map(fromPlain);
    }
    if (isPlainObject(value)) {
        const entries = Object.entries(value)
            .filter(([, item]) => item !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return { map: entries.map(([key, item]) => [toKeyword(key), fromPlain(item)]) };
    }
    return value as EDNVal;
}

function toPlain(value: unknown): unknown {
    if (value === null || typeof value !== "object") {
        return typeof value === "bigint" ? bigintToPlain(value) : value;
    }
    if (value instanceof Date) {
        return value.toISOString();
    }
    if (Array.isArray(value)) {
        return value.map(toPlain);
    }
    const edn = value as Record<string, unknown>;
    if ("map" in edn && Array.isArray(edn.map)) {
        return Object.fromEntries(
            (edn.map as [unknown, unknown][]).map(([key, item]) => [keyName(key), toPlain(item)]),
        );
    }
    if ("key" in edn) {
        return `:${edn.key as string}`;
    }
    if ("sym" in edn) {
        return edn.sym;
    }
    if ("char" in edn) {
        return edn.char;
    }
    if ("tag" in edn) {
        const tag = edn.tag as string;
        const inner = toPlain(edn.val);
        // Clojure prints maps whose keys share a namespace as #:ns{:k v}; expand them to ns/k keys.
        if (tag.startsWith(":") && isPlainObject(inner)) {
            const namespace = tag.slice(1);
            return Object.fromEntries(
                Object.entries(inner).map(([key, item]) => [key.includes("/") ? key : `${namespace}/${key}`, item]),
            );
        }
        return inner;
    }
    throw new EdnSyntaxError(`not EDN: unexpected value ${describe(value)}`);
}

function keyName(key: unknown): string {
    if (key !== null && typeof key === "object" && "key" in key) {
        return (key as { key: string }).key;
    }
    if (typeof key === "string") {
        return key;
    }
    if (key !== null && typeof key === "object" && "sym" in key) {
        return (key as { sym: string }).sym;
    }
    return toEDNString(key as EDNVal);
}

function bigintToPlain(value: bigint): number | string {
    const asNumber = Number(value);
    return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        return false;
    }
    const prototype = Object.getPrototypeOf(value);
    return prototype === Object.prototype || prototype === null;
}

function describe(value: unknown): string {
    if (value === undefined) {
        return "undefined";
    }
    if (typeof value === "object") {
        return `an object of type ${(value as object).constructor?.name ?? "unknown"}`;
    }
    return `a ${typeof value}`;
}
