/**
 * Property paths as the Pulumi engine reads them in `ignoreChanges` and `replaceOnChanges`
 * (`parameters.ApplicationName`, `tags["aws:team"]`, `triggers[*]`, `ingress[0].cidrBlocks`), and the two
 * operations the engine performs with them (pulumi/pulumi sdk/go/common/resource/properties_path.go:
 * `ParsePropertyPath`, `Contains`, `Reset`).
 */

/** One step of a path: a property or map key, a list index, or `*` (any key or index). */
export type PathSegment = string | number;

/** Splits a path into its segments; throws naming the path when it is malformed. */
export function parsePropertyPath(path: string): PathSegment[] {
    const segments: PathSegment[] = [];
    let at = 0;
    const fail = (why: string): never => {
        throw new Error(`"${path}" is not a property path (${why}); write it as a.b, a[0], a["key"] or a[*]`);
    };
    while (at < path.length) {
        const char = path[at];
        if (char === ".") {
            at++;
        } else if (char === "[") {
            const close = path[at + 1] === '"' ? path.indexOf('"]', at + 2) + 1 : path.indexOf("]", at);
            if (close <= at) {
                fail(`an unclosed [ at ${at}`);
            }
            const inner = path.slice(at + 1, close);
            if (inner.startsWith('"')) {
                segments.push(JSON.parse(inner) as string);
            } else if (inner === "*") {
                segments.push("*");
            } else if (/^\d+$/.test(inner)) {
                segments.push(Number(inner));
            } else {
                fail(`"[${inner}]" is neither an index, a quoted key nor *`);
            }
            at = close + 1;
        } else {
            const end = path.slice(at).search(/[.[]/);
            const name = end === -1 ? path.slice(at) : path.slice(at, at + end);
            segments.push(name);
            at += name.length;
        }
    }
    if (segments.length === 0) {
        fail("it is empty");
    }
    return segments;
}

/** A path as the plans print it: `parameters.InstanceType`, `tags["aws:team"]`, `triggers[0]`. */
export function formatPropertyPath(segments: PathSegment[]): string {
    return segments
        .map((segment, index) => {
            if (typeof segment === "number") {
                return `[${segment}]`;
            }
            if (/^[A-Za-z_$][\w$-]*$/.test(segment)) {
                return index === 0 ? segment : `.${segment}`;
            }
            return `[${JSON.stringify(segment)}]`;
        })
        .join("");
}

/**
 * True when `pattern` contains `path`, as the engine decides whether a changed property matches a
 * `replaceOnChanges` entry: every segment of the pattern equals the path's segment at that place or is
 * `*`, and the path may go deeper. So `triggers[*]` contains `triggers[0]`, but not `triggers` itself.
 */
export function pathContains(pattern: PathSegment[], path: PathSegment[]): boolean {
    if (path.length < pattern.length) {
        return false;
    }
    return pattern.every((segment, index) => segment === "*" || segment === path[index]);
}

/**
 * `current` with the values at `paths` taken from `previous`, as the engine applies `ignoreChanges`
 * before it diffs (step_generator.go `processIgnoreChanges`): a value only in the previous inputs comes
 * back, a value only in the current ones goes. `*` stands for every key or index the previous value has.
 */
export function withIgnoredChanges(
    previous: Record<string, unknown>,
    current: Record<string, unknown>,
    paths: string[],
): Record<string, unknown> {
    const result = structuredCloneLoose(current) as Record<string, unknown>;
    for (const path of paths) {
        let segments: PathSegment[];
        try {
            segments = parsePropertyPath(path);
        } catch {
            continue; // the engine skips a path it cannot parse
        }
        for (const concrete of expandWildcards(previous, segments)) {
            resetAt(previous, result, concrete);
        }
    }
    return result;
}

function expandWildcards(value: unknown, segments: PathSegment[]): PathSegment[][] {
    if (segments.length === 0) {
        return [[]];
    }
    const [head, ...rest] = segments;
    if (head !== "*") {
        return expandWildcards(childOf(value, head), rest).map((tail) => [head, ...tail]);
    }
    const keys: PathSegment[] = Array.isArray(value)
        ? value.map((_, index) => index)
        : isRecord(value)
          ? Object.keys(value)
          : [];
    return keys.flatMap((key) => expandWildcards(childOf(value, key), rest).map((tail) => [key, ...tail]));
}

function resetAt(previous: unknown, current: unknown, segments: PathSegment[]): void {
    const parentPath = segments.slice(0, -1);
    const last = segments[segments.length - 1];
    let container = current;
    for (const segment of parentPath) {
        container = childOf(container, segment);
    }
    if (!isContainer(container)) {
        return;
    }
    const old = parentPath.reduce<unknown>((value, segment) => childOf(value, segment), previous);
    const store = container as Record<string | number, unknown>;
    if (isContainer(old) && last in (old as object)) {
        store[last] = (old as Record<string | number, unknown>)[last];
    } else if (!Array.isArray(container)) {
        delete store[last];
    }
}

function childOf(value: unknown, segment: PathSegment): unknown {
    return isContainer(value) ? (value as Record<string | number, unknown>)[segment] : undefined;
}

function isContainer(value: unknown): boolean {
    return value !== null && typeof value === "object";
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A copy of plain data that keeps class instances (secrets, assets) as they are. */
function structuredCloneLoose(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(structuredCloneLoose);
    }
    if (isRecord(value) && Object.getPrototypeOf(value) === Object.prototype) {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, structuredCloneLoose(item)]));
    }
    return value;
}
