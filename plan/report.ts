/**
 * The failure report of a plan: every error a run captured, once each, with the
 * resources and inputs it was found in. Missing fixture answers come first:
 * they are what to fix, and every value computed from them fails too.
 */
import { MissingLookupError } from "./fixtures";
import type { ProgramRun } from "./runProgram";

/** How many resources to name under one error before summing up the rest. */
const MAX_PLACES = 5;

/** The SDK's prefix for the input an error was found in (runtime/rpc.js), possibly repeated. */
const PROPERTY_PREFIXES = /^(error serializing property "[^"]*": )+/;

/** The SDK's prefix for a failed read (runtime/resource.js), which names the resource. */
const READ_FAILED = /^failed to read resource #.*? '([^']*)' \[([^\]]*)\]: /;

interface ReportedError {
    message: string;
    error: Error;
    /** `type name (input path)` of each resource it was found in. */
    places: string[];
}

/** The report as text, for stderr. `verbose` adds stacks. */
export function renderFailure(run: Pick<ProgramRun, "stack" | "errors" | "inputFailures">, verbose = false): string {
    const reported = new Map<string, ReportedError>();
    const entry = (error: Error) => {
        const message = error.message.replace(PROPERTY_PREFIXES, "").replace(READ_FAILED, "");
        const found = reported.get(message) ?? { message, error, places: [] };
        reported.set(message, found);
        return found;
    };
    for (const error of run.errors) {
        const found = entry(error);
        const owner = resourceOf(error) ?? readOf(error);
        if (owner && !found.places.includes(owner)) {
            found.places.push(owner);
        }
    }
    for (const failure of run.inputFailures ?? []) {
        const place = `${failure.type} ${failure.name}${failure.property ? ` (input ${failure.property})` : ""}`;
        const found = entry(failure.error);
        if (!found.places.includes(place)) {
            found.places.push(place);
        }
    }
    const all = [...reported.values()];
    const missing = all.filter((item) => item.error instanceof MissingLookupError || isMissingAnswer(item.message));
    const others = all.filter((item) => !missing.includes(item));
    const lines: string[] = [];
    const list = (items: ReportedError[]) => {
        for (const item of items) {
            const text = verbose ? (item.error.stack ?? item.message) : item.message;
            lines.push(`  - ${text.split("\n").join("\n    ")}`);
            for (const place of item.places.slice(0, MAX_PLACES)) {
                lines.push(`      in ${place}`);
            }
            if (item.places.length > MAX_PLACES) {
                lines.push(`      and ${count(item.places.length - MAX_PLACES, "more resource")}`);
            }
        }
    };
    if (missing.length > 0) {
        lines.push(`datomic-plan: stack "${run.stack}" makes lookups that no fixture answers:`);
        list(missing);
    }
    if (others.length > 0) {
        lines.push(`datomic-plan: the program failed for stack "${run.stack}":`);
        list(others);
    }
    return lines.join("\n") + "\n";
}

/** A missing answer, as the mock monitor passes it on: wrapped in the SDK's own invoke error. */
function isMissingAnswer(message: string): boolean {
    return /No fixture answers /.test(message);
}

/** `type name` of the resource a `pulumi.ResourceError` names. */
function resourceOf(error: Error): string | undefined {
    const resource = (error as { resource?: { __pulumiType?: unknown; __name?: unknown } }).resource;
    if (resource && typeof resource.__pulumiType === "string" && typeof resource.__name === "string") {
        return `${resource.__pulumiType} ${resource.__name}`;
    }
    return undefined;
}

/** `type name` of the resource a failed read names. */
function readOf(error: Error): string | undefined {
    const found = READ_FAILED.exec(error.message);
    return found ? `${found[2]} ${found[1]}` : undefined;
}

/** "1 resource", "2 resources". */
export function count(n: number, noun: string): string {
    return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
