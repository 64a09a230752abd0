/**
 * Reading and writing Java `.properties` text the way `java.util.Properties`
 * does (`load(Reader)` and `store(Writer)`), which is how the Datomic
 * transactor reads its properties file.
 *
 * Source: the `java.util.Properties#load(Reader)` specification
 * (docs.oracle.com/en/java/javase/21/docs/api/java.base/java/util/Properties.html):
 * natural lines end at `\n`, `\r` or `\r\n`; blank lines and lines whose first
 * non-blank character is `#` or `!` are comments; a line ending in an odd number
 * of backslashes continues on the next line, whose leading blanks are dropped;
 * the key ends at the first unescaped `=`, `:` or blank, and one `=` or `:`
 * (with blanks around it) separates it from the value; `\t \n \r \f \uXXXX`
 * are escapes and a backslash before any other character stands for that character.
 */

/** One key/value pair, in file order. */
export interface PropertyEntry {
    readonly key: string;
    readonly value: string;
    /** 1-based number of the natural line the entry starts on, for messages. */
    readonly line: number;
}

const BLANK = new Set([" ", "\t", "\f"]);

/** Parses properties text into entries, in order (a repeated key appears once per occurrence). */
export function parseJavaPropertyEntries(text: string): PropertyEntry[] {
    const lines = text.split(/\r\n|\r|\n/);
    const entries: PropertyEntry[] = [];
    let index = 0;
    while (index < lines.length) {
        const start = index;
        let logical = dropLeadingBlanks(lines[index++]);
        if (logical === "" || logical.startsWith("#") || logical.startsWith("!")) {
            continue;
        }
        while (endsWithOddBackslashes(logical)) {
            logical = logical.slice(0, -1);
            if (index >= lines.length) {
                break;
            }
            logical += dropLeadingBlanks(lines[index++]);
        }
        const { rawKey, rawValue } = splitKeyAndValue(logical);
        entries.push({ key: unescape(rawKey, start + 1), value: unescape(rawValue, start + 1), line: start + 1 });
    }
    return entries;
}

/** Parses properties text into a map; a repeated key keeps its last value, as `java.util.Properties` does. */
export function parseJavaProperties(text: string): Map<string, string> {
    return new Map(parseJavaPropertyEntries(text).map((entry) => [entry.key, entry.value]));
}

/**
 * Formats one `key=value` line that {@link parseJavaPropertyEntries} (and
 * `java.util.Properties`) reads back as exactly `key` and `value`.
 */
export function formatJavaProperty(key: string, value: string): string {
    return `${escape(key, true)}=${escape(value, false)}`;
}

function dropLeadingBlanks(line: string): string {
    let i = 0;
    while (i < line.length && BLANK.has(line[i])) {
        i++;
    }
    return line.slice(i);
}

function endsWithOddBackslashes(line: string): boolean {
    let count = 0;
    for (let i = line.length - 1; i >= 0 && line[i] === "\\"; i--) {
        count++;
    }
    return count % 2 === 1;
}

function splitKeyAndValue(line: string): { rawKey: string; rawValue: string } {
    let keyEnd = line.length;
    let valueStart = line.length;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (c === "\\") {
            i++;
            continue;
        }
        if (c === "=" || c === ":") {
            keyEnd = i;
            valueStart = i + 1;
            break;
        }
        if (BLANK.has(c)) {
            keyEnd = i;
            let j = i;
            while (j < line.length && BLANK.has(line[j])) {
                j++;
            }
            if (line[j] === "=" || line[j] === ":") {
                j++;
            }
            valueStart = j;
            break;
        }
    }
    return { rawKey: line.slice(0, keyEnd), rawValue: dropLeadingBlanks(line.slice(valueStart)) };
}

const ESCAPES: Record<string, string> = { t: "\t", n: "\n", r: "\r", f: "\f" };

function unescape(raw: string, line: number): string {
    let out = "";
    for (let i = 0; i < raw.length; i++) {
        const c = raw[i];
        if (c !== "\\") {
            out += c;
            continue;
        }
        const next = raw[++i];
        if (next === undefined) {
            break;
        }
        if (next === "u") {
            const hex = raw.slice(i + 1, i + 5);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
                throw new Error(`line ${line}: malformed \\uXXXX escape "\\u${hex}"`);
            }
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
        } else {
            out += ESCAPES[next] ?? next;
        }
    }
    return out;
}

function escape(text: string, isKey: boolean): string {
    let out = "";
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        const code = c.charCodeAt(0);
        if (c === "\\" || (isKey && (c === "=" || c === ":" || c === "#" || c === "!"))) {
            out += `\\${c}`;
        } else if (c === " " && (isKey || i === 0)) {
            out += "\\ ";
        } else if (c === "\t") {
            out += "\\t";
        } else if (c === "\n") {
            out += "\\n";
        } else if (c === "\r") {
            out += "\\r";
        } else if (c === "\f") {
            out += "\\f";
        } else if (code < 0x20 || code > 0x7e) {
            out += `\\u${code.toString(16).padStart(4, "0")}`;
        } else {
            out += c;
        }
    }
    return out;
}
