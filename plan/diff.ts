/**
 * Differences between two plans: what `datomic-plan --diff <base.json>` prints, so
 * a pull request can be reviewed without credentials. Resources are matched by
 * `type::name`, as Pulumi matches them (a renamed resource is a removal and an
 * addition, which is what `pulumi up` would do without an alias).
 */
import { stringify } from "safe-stable-stringify";
import type { Plan, PlannedResource } from "./render";
import { withIgnoredChanges } from "./propertyPath";
import { judgeChanges } from "./replacements";
import { count } from "./report";

/** One value that differs; `before` or `after` is absent when the key was added or removed. */
export interface ValueChange {
    /** Where the value is: `parameters.InstanceType`, `tags["aws:cdk"]`, or an output's name. */
    path: string;
    before?: unknown;
    after?: unknown;
}

/** A resource present in both plans whose parent, kind, options or inputs differ. */
export interface ResourceChange {
    type: string;
    name: string;
    parent?: { before?: string; after?: string };
    kind?: { before: string; after: string };
    /** Resource options (`protect`, `retainOnDelete`, `provider ...`...) only in the current or only in the base plan. */
    options: { added: string[]; removed: string[] };
    inputs: ValueChange[];
    /**
     * Why the resource will be replaced rather than updated, when that is known: changed inputs that force
     * replacement, or a new parent (a new URN). Absent when the engine decides.
     */
    replacedBecause?: string[];
    /** Changes AWS or Datomic refuse, or that lose data: shown as loudly as a replacement. */
    hazards?: string[];
    /** Why the engine would refuse the change (a protected resource's replacement). */
    refused?: string;
    /** How a replacement is carried out (`deleteBeforeReplace`). */
    notes?: string[];
}

/** What changed from a base plan to the current one. */
export interface PlanDiff {
    base: { project: string; stack: string };
    current: { project: string; stack: string };
    added: PlannedResource[];
    removed: PlannedResource[];
    changed: ResourceChange[];
    outputs: ValueChange[];
}

/** Compares two plans. Both are sorted the way `toPlan` sorts them, so the result is too. */
export function diffPlans(base: Plan, current: Plan): PlanDiff {
    const key = (resource: PlannedResource) => `${resource.type}::${resource.name}`;
    const baseByKey = new Map(base.resources.map((resource) => [key(resource), resource]));
    const currentKeys = new Set(current.resources.map(key));
    const added: PlannedResource[] = [];
    const changed: ResourceChange[] = [];
    for (const resource of current.resources) {
        const before = baseByKey.get(key(resource));
        if (!before) {
            added.push(resource);
            continue;
        }
        const change = resourceChange(before, resource);
        if (change) {
            changed.push(change);
        }
    }
    return {
        base: { project: base.project, stack: base.stack },
        current: { project: current.project, stack: current.stack },
        added,
        removed: base.resources.filter((resource) => !currentKeys.has(key(resource))),
        changed,
        outputs: valueChanges(base.outputs, current.outputs, ""),
    };
}

/** True when the plans differ in any resource or output. */
export function hasChanges(diff: PlanDiff): boolean {
    return diff.added.length + diff.removed.length + diff.changed.length + diff.outputs.length > 0;
}

function resourceChange(before: PlannedResource, after: PlannedResource): ResourceChange | undefined {
    const ignoreChanges = optionWords(after.options, "ignoreChanges");
    const change: ResourceChange = {
        type: after.type,
        name: after.name,
        options: {
            added: after.options.filter((option) => !before.options.includes(option)),
            removed: before.options.filter((option) => !after.options.includes(option)),
        },
        // The engine copies ignored properties from the old inputs before it diffs: they never change.
        inputs: valueChanges(before.inputs, withIgnoredChanges(before.inputs, after.inputs, ignoreChanges), ""),
    };
    if (before.parent !== after.parent) {
        change.parent = { before: before.parent, after: after.parent };
    }
    if (before.kind !== after.kind) {
        change.kind = { before: before.kind, after: after.kind };
    }
    const verdict = judgeChanges(
        {
            type: after.type,
            replaceOnChanges: optionWords(after.options, "replaceOnChanges"),
            protect: after.options.includes("protect") && before.options.includes("protect"),
            retainOnDelete: after.options.includes("retainOnDelete"),
            deleteBeforeReplace: after.options.includes("deleteBeforeReplace"),
            inputs: after.inputs,
        },
        change.inputs.map((input) => input.path),
    );
    const reasons = [
        ...verdict.replaceBecause,
        ...(change.parent
            ? ["the parent changed, so the URN does: created anew, the old one deleted, unless aliased"]
            : []),
    ];
    if (reasons.length > 0) {
        change.replacedBecause = reasons;
    }
    if (verdict.hazards.length > 0) {
        change.hazards = verdict.hazards;
    }
    if (verdict.refused) {
        change.refused = verdict.refused;
    }
    if (verdict.notes.length > 0) {
        change.notes = verdict.notes;
    }
    const differs =
        change.parent !== undefined ||
        change.kind !== undefined ||
        change.options.added.length + change.options.removed.length + change.inputs.length > 0;
    return differs ? change : undefined;
}

/** The words after `name` in an option such as `replaceOnChanges triggers[*] handler`. */
function optionWords(options: string[], name: string): string[] {
    return options.filter((option) => option.startsWith(`${name} `)).flatMap((option) => option.split(" ").slice(1));
}

/**
 * The differences between two values, descending into maps and lists so that a change deep in a value (one
 * CloudFormation parameter, one tag, one trigger) is reported at its own path, as the engine's detailed
 * diff reports it: `parameters.InstanceType`, `tags["aws:team"]`, `triggers[0]`.
 */
export function valueChanges(before: unknown, after: unknown, path: string): ValueChange[] {
    if (isPlainObject(before) && isPlainObject(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        return keys.flatMap((key) => childChanges(before, after, key, childPath(path, key)));
    }
    if (Array.isArray(before) && Array.isArray(after)) {
        const length = Math.max(before.length, after.length);
        return Array.from({ length }, (_, index) => childChanges(before, after, index, `${path}[${index}]`)).flat();
    }
    return stringify(before) === stringify(after) ? [] : [{ path, before, after }];
}

function childChanges(
    before: Record<string | number, unknown> | unknown[],
    after: Record<string | number, unknown> | unknown[],
    key: string | number,
    inner: string,
): ValueChange[] {
    const old = before as Record<string | number, unknown>;
    const current = after as Record<string | number, unknown>;
    if (!(key in current)) {
        return [{ path: inner, before: old[key] }];
    }
    if (!(key in old)) {
        return [{ path: inner, after: current[key] }];
    }
    return valueChanges(old[key], current[key], inner);
}

function childPath(path: string, key: string): string {
    if (/^[A-Za-z_$][\w$-]*$/.test(key)) {
        return path ? `${path}.${key}` : key;
    }
    return `${path}[${JSON.stringify(key)}]`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The diff as text for a terminal or a pull-request comment; "no changes" when there are none. */
export function renderPlanDiffText(diff: PlanDiff, baseSource = "the base plan"): string {
    const { base, current } = diff;
    const sameStack = base.project === current.project && base.stack === current.stack;
    const lines = [
        sameStack
            ? `Changes to stack "${current.stack}" (project ${current.project}) since ${baseSource}:`
            : `Changes from stack "${base.stack}" (project ${base.project}, ${baseSource}) to stack "${current.stack}" (project ${current.project}):`,
        "",
    ];
    if (!hasChanges(diff)) {
        lines.push("no changes");
        return lines.join("\n") + "\n";
    }
    for (const resource of diff.added) {
        lines.push(`+ ${resource.type}::${resource.name}${resourceNote(resource)}`);
        for (const [name, value] of Object.entries(resource.inputs)) {
            lines.push(`      ${name}: ${showValue(value)}`);
        }
    }
    for (const resource of diff.removed) {
        lines.push(`- ${resource.type}::${resource.name}${resourceNote(resource)}`);
    }
    for (const change of diff.changed) {
        lines.push(`${changeMarker(change)} ${change.type}::${change.name}`);
        if (change.refused) {
            lines.push(`      refused: ${change.refused}`);
        }
        for (const reason of change.replacedBecause ?? []) {
            lines.push(`      replaced: ${reason}`);
        }
        for (const hazard of change.hazards ?? []) {
            lines.push(`      ${hazard}`);
        }
        for (const note of change.notes ?? []) {
            lines.push(`      ${note}`);
        }
        if (change.parent) {
            lines.push(`      parent: ${change.parent.before ?? "(none)"} -> ${change.parent.after ?? "(none)"}`);
        }
        if (change.kind) {
            lines.push(`      kind: ${change.kind.before} -> ${change.kind.after}`);
        }
        for (const option of change.options.added) {
            lines.push(`      + option ${option}`);
        }
        for (const option of change.options.removed) {
            lines.push(`      - option ${option}`);
        }
        for (const input of change.inputs) {
            lines.push(`      ${describeChange(input)}`);
        }
    }
    if (diff.outputs.length > 0) {
        lines.push("", "Outputs:");
        for (const output of diff.outputs) {
            const marker = !("before" in output) ? "+" : !("after" in output) ? "-" : "~";
            lines.push(`  ${marker} ${describeChange(output)}`);
        }
    }
    const replaced = diff.changed.filter((change) => change.replacedBecause).length;
    const loud = [
        ...(diff.changed.some((change) => change.hazards)
            ? [`${diff.changed.filter((c) => c.hazards).length} hazardous`]
            : []),
        ...(diff.changed.some((change) => change.refused)
            ? [`${diff.changed.filter((c) => c.refused).length} refused`]
            : []),
    ];
    lines.push(
        "",
        `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed ` +
            `(${[`${replaced} of them replaced`, ...loud].join(", ")}); ${count(diff.outputs.length, "output")} changed.`,
        "~ updated in place. +- replaced: a property that forces replacement changed. ~! an update AWS or " +
            "Datomic refuses or that loses data. Neither plan read state: with --state, the plan compares with what is deployed.",
    );
    return lines.join("\n") + "\n";
}

/** `+-` for a replacement, `~!` for an update AWS or Datomic refuses, `~` for an update. */
function changeMarker(change: ResourceChange): string {
    if (change.replacedBecause || change.refused) {
        return "+-";
    }
    return change.hazards ? "~!" : "~";
}

function resourceNote(resource: PlannedResource): string {
    const notes = [
        ...(resource.parent ? [`parent ${resource.parent}`] : []),
        ...(resource.kind === "managed" ? [] : [resource.kind]),
        ...resource.options,
    ];
    return notes.length ? `  [${notes.join(", ")}]` : "";
}

function describeChange(change: ValueChange): string {
    if (!("before" in change)) {
        return `${change.path}: (added) ${showValue(change.after)}`;
    }
    if (!("after" in change)) {
        return `${change.path}: ${showValue(change.before)} (removed)`;
    }
    const [before, after] = distinguishable(showValue(change.before, Infinity), showValue(change.after, Infinity));
    return `${change.path}: ${before} -> ${after}`;
}

const MAX_VALUE_LENGTH = 200;
const CONTEXT_BEFORE_DIFFERENCE = 40;

function showValue(value: unknown, max = MAX_VALUE_LENGTH): string {
    const text = value === undefined ? "undefined" : JSON.stringify(value);
    return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/**
 * Two long values shortened so the difference stays visible: the common beginning is elided, then each
 * is cut to the maximum length.
 */
function distinguishable(before: string, after: string): [string, string] {
    if (before.length <= MAX_VALUE_LENGTH && after.length <= MAX_VALUE_LENGTH) {
        return [before, after];
    }
    let common = 0;
    while (common < before.length && common < after.length && before[common] === after[common]) {
        common++;
    }
    const start = Math.max(0, common - CONTEXT_BEFORE_DIFFERENCE);
    const cut = (text: string) => {
        const shown = start > 0 ? `...${text.slice(start)}` : text;
        return shown.length > MAX_VALUE_LENGTH ? `${shown.slice(0, MAX_VALUE_LENGTH - 3)}...` : shown;
    };
    return [cut(before), cut(after)];
}

/** Reads a plan written by `datomic-plan --json`; throws naming the file when it is not one. */
export function parsePlan(text: string, source: string): Plan {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        throw new Error(`${source} is not JSON (${(e as Error).message}); write it with datomic-plan --json <file>`);
    }
    const plan = parsed as Partial<Plan>;
    const resourcesValid =
        Array.isArray(plan?.resources) &&
        plan.resources.every(
            (resource) =>
                typeof resource?.type === "string" &&
                typeof resource.name === "string" &&
                Array.isArray(resource.options) &&
                isPlainObject(resource.inputs),
        );
    if (
        !isPlainObject(plan) ||
        typeof plan.project !== "string" ||
        typeof plan.stack !== "string" ||
        !resourcesValid ||
        !isPlainObject(plan.outputs)
    ) {
        throw new Error(
            `${source} is not a plan (expected project, stack, resources with type, name, options and inputs, ` +
                "and outputs); write it with datomic-plan --json <file>",
        );
    }
    return plan as Plan;
}
