/**
 * Plans as data and as text: the resource tree of a mock run, with each
 * resource's type, name, parent, options and inputs.
 */
import { createHash } from "crypto";
import * as path from "path";
import { AssetDescription, RecordedResource, Secret, UNKNOWN } from "./recorded";
import { count } from "./report";
import type { ProgramRun } from "./runProgram";

/** One resource of a plan. */
export interface PlannedResource {
    type: string;
    name: string;
    /** `type::name` of the parent, when there is one inside the program. */
    parent?: string;
    /** "managed", "read" (looked up or referenced) or "component". */
    kind: "managed" | "read" | "component";
    /** Resource options that matter for review. */
    options: string[];
    inputs: Record<string, unknown>;
    /** Inputs whose value came, in whole or in part, from the fixtures rather than from the program. */
    fromFixtures?: string[];
}

/** A plan: what `datomic-plan --json` writes and `--diff` compares. */
export interface Plan {
    project: string;
    stack: string;
    resources: PlannedResource[];
    /** Provider functions called, with how many times. */
    lookups: Record<string, number>;
    outputs: Record<string, unknown>;
    /** Outputs whose value came from the fixtures. */
    outputsFromFixtures?: string[];
}

/**
 * The plan of a run: resources in the order the program constructed them, so plans read like the program
 * and diff cleanly. Paths under the program directory (asset and archive paths, for example) are shown
 * relative to it, so a plan is the same on every checkout. Values the fixtures supplied are marked.
 */
export function toPlan(run: ProgramRun): Plan {
    const masked = (value: unknown) => maskedValue(value, run.programDir);
    const byUrn = new Map(run.resources.map((resource) => [resource.urn, resource]));
    const key = (resource: RecordedResource) => `${resource.type}::${resource.name}`;
    const position = programPositions(run);
    const fromFixtures = fixtureMarker(run);
    const resources = run.resources
        .map((resource, index) => ({ resource, at: position.get(key(resource)) ?? run.resources.length + index }))
        .sort((a, b) => a.at - b.at)
        .map(({ resource }): PlannedResource => {
            const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
            const inputs = masked(resource.custom ? resource.inputs : {}) as Record<string, unknown>;
            const marked = Object.keys(inputs).filter((name) => fromFixtures(inputs[name]));
            return {
                type: resource.type,
                name: resource.name,
                ...(parent ? { parent: key(parent) } : {}),
                kind: resource.read ? "read" : resource.custom ? "managed" : "component",
                options: optionsOf(resource, byUrn),
                inputs,
                ...(marked.length ? { fromFixtures: marked } : {}),
            };
        });
    const lookups: Record<string, number> = {};
    for (const call of run.calls) {
        lookups[call.token] = (lookups[call.token] ?? 0) + 1;
    }
    const outputs = masked(run.outputs) as Record<string, unknown>;
    const outputsFromFixtures = Object.keys(outputs).filter((name) => fromFixtures(outputs[name]));
    return {
        project: run.project,
        stack: run.stack,
        resources,
        lookups: Object.fromEntries(Object.entries(lookups).sort(([a], [b]) => a.localeCompare(b))),
        outputs,
        ...(outputsFromFixtures.length ? { outputsFromFixtures } : {}),
    };
}

/** Each resource's place in the program: the order of construction, else the order of registration. */
function programPositions(run: ProgramRun): Map<string, number> {
    const positions = new Map<string, number>();
    (run.constructionOrder ?? []).forEach((key, index) => {
        if (!positions.has(key)) {
            positions.set(key, index);
        }
    });
    return positions;
}

/** Fixture values shorter than this ("cloud", "alb", "true") are too common to tell apart from the program's. */
const MIN_FIXTURE_VALUE_LENGTH = 6;

/**
 * Whether a value contains a string the fixtures supplied (a stack reference output, a lookup result),
 * ignoring strings the stack's own settings also contain (a region, an account id).
 */
function fixtureMarker(run: ProgramRun): (value: unknown) => boolean {
    const settings = JSON.stringify(run.config ?? {});
    const supplied = (run.fixtureValues ?? []).filter(
        (value) => value.length >= MIN_FIXTURE_VALUE_LENGTH && value !== UNKNOWN && !settings.includes(value),
    );
    const contains = (value: unknown): boolean => {
        if (typeof value === "string") {
            return supplied.some((fixture) => value.includes(fixture));
        }
        if (Array.isArray(value)) {
            return value.some(contains);
        }
        return value !== null && typeof value === "object" && Object.values(value).some(contains);
    };
    return supplied.length ? contains : () => false;
}

/** Pulumi's markers: what the engine would do with each resource of a new stack. */
function markerOf(resource: PlannedResource): string {
    if (resource.kind === "read") {
        return ">";
    }
    return resource.options.some((option) => option.startsWith("import ")) ? "=" : "+";
}

/** The distinct inputs a function was called with, and how many calls had them. */
export interface LookupCalls {
    inputs: Record<string, unknown>;
    count: number;
}

/**
 * The run's lookups by function (sorted), each with its distinct inputs in the order first called:
 * secrets masked and paths relative, as in the plan.
 */
export function lookupCallsOf(run: ProgramRun): Record<string, LookupCalls[]> {
    const byFunction: Record<string, LookupCalls[]> = {};
    for (const call of run.calls) {
        const inputs = maskedValue(call.inputs, run.programDir) as Record<string, unknown>;
        const calls = (byFunction[call.token] ??= []);
        const key = JSON.stringify(inputs);
        const same = calls.find((known) => JSON.stringify(known.inputs) === key);
        if (same) {
            same.count++;
        } else {
            calls.push({ inputs, count: 1 });
        }
    }
    return Object.fromEntries(Object.entries(byFunction).sort(([a], [b]) => a.localeCompare(b)));
}

/** How the text plan is printed. */
export interface PlanTextOptions {
    /** Print every value whole; by default a value longer than a line is cut to {@link SHORT_VALUE_LENGTH}. */
    wide?: boolean;
    /** The inputs of each lookup ({@link lookupCallsOf}); without them, lookups are listed with counts only. */
    lookupCalls?: Record<string, LookupCalls[]>;
}

/** The plan as an indented tree for a terminal or a pull-request comment. */
export function renderPlanText(plan: Plan, options: PlanTextOptions = {}): string {
    let cutValues = false;
    const shortValue = (value: unknown) => {
        const shown = shownValue(value, options.wide ?? false);
        cutValues ||= shown.length < (typeof value === "string" ? value : JSON.stringify(value)).length;
        return shown;
    };
    const lines = [
        `Plan of stack "${plan.stack}" (project ${plan.project}), from mocks: no cloud calls were made and no state was read,`,
        "so every resource the program manages is shown as created (+); > reads an existing resource, = imports one.",
        "",
    ];
    const children = new Map<string | undefined, PlannedResource[]>();
    for (const resource of plan.resources) {
        const siblings = children.get(resource.parent) ?? [];
        siblings.push(resource);
        children.set(resource.parent, siblings);
    }
    const fixtureNote = "  (from fixtures)";
    const walk = (parent: string | undefined, depth: number) => {
        for (const resource of children.get(parent) ?? []) {
            const indent = "  ".repeat(depth);
            const options = resource.options.length ? `  [${resource.options.join(", ")}]` : "";
            lines.push(`${indent}${markerOf(resource)} ${resource.type}  ${resource.name}${options}`);
            for (const [name, value] of Object.entries(resource.inputs)) {
                const note = resource.fromFixtures?.includes(name) ? fixtureNote : "";
                lines.push(`${indent}      ${name}: ${shortValue(value)}${note}`);
            }
            walk(`${resource.type}::${resource.name}`, depth + 1);
        }
    };
    walk(undefined, 0);
    const known = new Set(plan.resources.map((resource) => `${resource.type}::${resource.name}`));
    // Resources whose parent is outside the recorded tree (the root stack) are printed at the top level.
    for (const parent of children.keys()) {
        if (parent !== undefined && !known.has(parent)) {
            walk(parent, 0);
        }
    }
    lines.push("", "Outputs:");
    for (const [name, value] of Object.entries(plan.outputs)) {
        const note = plan.outputsFromFixtures?.includes(name) ? fixtureNote : "";
        lines.push(`  ${name}: ${shortValue(value)}${note}`);
    }
    lines.push(...lookupLines(plan, options.lookupCalls, shortValue));
    const counts = { managed: 0, read: 0, component: 0 };
    for (const resource of plan.resources) {
        counts[resource.kind]++;
    }
    const lookups = Object.values(plan.lookups).reduce((sum, n) => sum + n, 0);
    lines.push(
        "",
        `${count(plan.resources.length, "resource")}: ${counts.managed} managed, ${count(counts.component, "component")}, ` +
            `${counts.read} read; ${count(lookups, "lookup")}.`,
        `"${UNKNOWN}" marks values AWS assigns when the resources are created; ` +
            `"(from fixtures)" marks values taken from the fixture file, not from the program.`,
    );
    if (!options.wide && cutValues) {
        lines.push(`Values longer than ${SHORT_VALUE_LENGTH} characters end in "..."; --wide prints them whole.`);
    }
    return lines.join("\n") + "\n";
}

/** The lookups section: each function with how often it was called and, when known, with what. */
function lookupLines(
    plan: Plan,
    calls: Record<string, LookupCalls[]> | undefined,
    shortValue: (value: unknown) => string,
): string[] {
    const tokens = Object.keys(plan.lookups);
    if (tokens.length === 0) {
        return [];
    }
    const lines = ["", "Lookups, by function (answered by the fixtures or built in):"];
    for (const token of tokens) {
        lines.push(`  ${token}  x${plan.lookups[token]}`);
        for (const call of calls?.[token] ?? []) {
            const entries = Object.entries(call.inputs);
            const text = entries.length
                ? entries.map(([name, value]) => `${name}: ${shortValue(value)}`).join(", ")
                : "(no inputs)";
            lines.push(`      ${text}${call.count > 1 ? `  x${call.count}` : ""}`);
        }
    }
    return lines;
}

function optionsOf(resource: RecordedResource, byUrn: Map<string, RecordedResource>): string[] {
    const options: string[] = [];
    if (resource.protect) options.push("protect");
    if (resource.retainOnDelete) options.push("retainOnDelete");
    if (resource.deleteBeforeReplace) options.push("deleteBeforeReplace");
    if (resource.importId && !resource.read) options.push(`import ${resource.importId}`);
    if (resource.provider && resource.custom && !resource.type.startsWith("pulumi:providers:")) {
        options.push(`provider ${providerName(resource.provider, byUrn)}`);
    }
    const timeouts = resource.customTimeouts;
    if (timeouts && (timeouts.create || timeouts.update || timeouts.delete)) {
        options.push(`timeouts ${[timeouts.create, timeouts.update, timeouts.delete].map((t) => t ?? "-").join("/")}`);
    }
    if (resource.ignoreChanges.length) options.push(`ignoreChanges ${resource.ignoreChanges.join(" ")}`);
    if (resource.replaceOnChanges.length) options.push(`replaceOnChanges ${resource.replaceOnChanges.join(" ")}`);
    const explicit = resource.dependencies
        .filter((urn) => urn !== resource.parent)
        .map((urn) => byUrn.get(urn))
        .filter((dependency): dependency is RecordedResource => dependency !== undefined)
        .map((dependency) => dependency.name)
        .sort();
    if (explicit.length) options.push(`after ${[...new Set(explicit)].join(" ")}`);
    return options;
}

/** The name of the provider a reference (`<urn>::<id>`) points to. */
function providerName(reference: string, byUrn: Map<string, RecordedResource>): string {
    const urn = reference.slice(0, reference.lastIndexOf("::"));
    return byUrn.get(urn)?.name ?? urn.slice(urn.lastIndexOf("::") + 2);
}

/** Plain data with secrets masked (plans are printed and posted to pull requests) and paths made relative. */
function maskedValue(value: unknown, programDir: string | undefined): unknown {
    const masked = (item: unknown) => maskedValue(item, programDir);
    if (value instanceof Secret) {
        return "[secret]";
    }
    if (typeof value === "string") {
        return programDir ? relativePath(value, programDir) : value;
    }
    if (Array.isArray(value)) {
        return value.map(masked);
    }
    if (value !== null && typeof value === "object") {
        if (Object.getPrototypeOf(value) !== Object.prototype) {
            return describeObject(value, masked);
        }
        return Object.fromEntries(
            Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, masked(item)]),
        );
    }
    return value;
}

/** Assets, archives and resource references: what they are and where their content comes from, not their internals. */
function describeObject(value: object, masked: (item: unknown) => unknown): string {
    if (!(value instanceof AssetDescription)) {
        return `[${value.constructor.name}]`;
    }
    if (value.path !== undefined) {
        return `[${value.kind} ${String(masked(value.path))}]`;
    }
    if (value.uri !== undefined) {
        return `[${value.kind} ${value.uri}]`;
    }
    if (value.text !== undefined) {
        return `[${value.kind} sha256:${createHash("sha256").update(value.text).digest("hex").slice(0, 12)}]`;
    }
    const members = Object.entries(value.assets ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, member]) => `${name}: ${describeObject(member, masked).slice(1, -1)}`);
    return `[${value.kind} ${members.join(", ")}]`;
}

/** `text` relative to the program directory when it is an absolute path inside it. */
function relativePath(text: string, programDir: string): string {
    if (!path.isAbsolute(text) || (text !== programDir && !text.startsWith(programDir + path.sep))) {
        return text;
    }
    return path.relative(programDir, text).split(path.sep).join("/") || ".";
}

/** Values longer than this are cut in the text plan, unless it is printed wide. */
export const SHORT_VALUE_LENGTH = 160;

function shownValue(value: unknown, wide: boolean): string {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return wide || text.length <= SHORT_VALUE_LENGTH ? text : `${text.slice(0, SHORT_VALUE_LENGTH - 3)}...`;
}
