/**
 * Plans as data and as text: the resource tree of a mock run, with each
 * resource's type, name, parent, options and inputs.
 */
import type { ProgramRun } from "./runProgram";
import { RecordedResource, Secret, UNKNOWN } from "./recorder";

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
}

/** A plan: what `datomic-plan --json` writes and `--diff` compares. */
export interface Plan {
    project: string;
    stack: string;
    resources: PlannedResource[];
    /** Provider functions called, with how many times. */
    lookups: Record<string, number>;
    outputs: Record<string, unknown>;
}

/** The plan of a run: resources sorted by parent path, then type and name, so plans diff cleanly. */
export function toPlan(run: ProgramRun): Plan {
    const byUrn = new Map(run.resources.map((resource) => [resource.urn, resource]));
    const key = (resource: RecordedResource) => `${resource.type}::${resource.name}`;
    const path = (resource: RecordedResource): string => {
        const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
        return parent ? `${path(parent)} > ${key(resource)}` : key(resource);
    };
    const resources = [...run.resources]
        .sort((a, b) => path(a).localeCompare(path(b)))
        .map((resource): PlannedResource => {
            const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
            return {
                type: resource.type,
                name: resource.name,
                ...(parent ? { parent: key(parent) } : {}),
                kind: resource.read ? "read" : resource.custom ? "managed" : "component",
                options: optionsOf(resource, byUrn),
                inputs: masked(resource.custom ? resource.inputs : {}) as Record<string, unknown>,
            };
        });
    const lookups: Record<string, number> = {};
    for (const call of run.calls) {
        lookups[call.token] = (lookups[call.token] ?? 0) + 1;
    }
    return {
        project: run.project,
        stack: run.stack,
        resources,
        lookups: Object.fromEntries(Object.entries(lookups).sort(([a], [b]) => a.localeCompare(b))),
        outputs: masked(run.outputs) as Record<string, unknown>,
    };
}

/** The plan as an indented tree for a terminal or a pull-request comment. */
export function renderPlanText(plan: Plan): string {
    const lines = [
        `Plan of stack "${plan.stack}" (project ${plan.project}), from mocks: no cloud calls were made.`,
        "",
    ];
    const children = new Map<string | undefined, PlannedResource[]>();
    for (const resource of plan.resources) {
        const siblings = children.get(resource.parent) ?? [];
        siblings.push(resource);
        children.set(resource.parent, siblings);
    }
    const walk = (parent: string | undefined, depth: number) => {
        for (const resource of children.get(parent) ?? []) {
            const indent = "  ".repeat(depth);
            const marker = resource.kind === "read" ? "=" : "+";
            const options = resource.options.length ? `  [${resource.options.join(", ")}]` : "";
            lines.push(`${indent}${marker} ${resource.type}  ${resource.name}${options}`);
            for (const [name, value] of Object.entries(resource.inputs)) {
                lines.push(`${indent}      ${name}: ${shortValue(value)}`);
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
        lines.push(`  ${name}: ${shortValue(value)}`);
    }
    const counts = { managed: 0, read: 0, component: 0 };
    for (const resource of plan.resources) {
        counts[resource.kind]++;
    }
    const lookups = Object.values(plan.lookups).reduce((sum, count) => sum + count, 0);
    lines.push(
        "",
        `${plan.resources.length} resources: ${counts.managed} managed, ${counts.component} components, ${counts.read} read; ${lookups} lookups.`,
        `"${UNKNOWN}" marks values AWS assigns when the resources are created.`,
    );
    return lines.join("\n") + "\n";
}

function optionsOf(resource: RecordedResource, byUrn: Map<string, RecordedResource>): string[] {
    const options: string[] = [];
    if (resource.protect) options.push("protect");
    if (resource.retainOnDelete) options.push("retainOnDelete");
    if (resource.deleteBeforeReplace) options.push("deleteBeforeReplace");
    if (resource.importId && !resource.read) options.push(`import ${resource.importId}`);
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

/** Plain data with secrets masked: plans are printed and posted to pull requests. */
function masked(value: unknown): unknown {
    if (value instanceof Secret) {
        return "[secret]";
    }
    if (Array.isArray(value)) {
        return value.map(masked);
    }
    if (value !== null && typeof value === "object") {
        if (Object.getPrototypeOf(value) !== Object.prototype) {
            // Assets, archives and resource references: show what they are, not their internals.
            const path = (value as { path?: unknown }).path;
            return `[${value.constructor.name}${typeof path === "string" ? ` ${path}` : ""}]`;
        }
        return Object.fromEntries(
            Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, masked(item)]),
        );
    }
    return value;
}

function shortValue(value: unknown): string {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}
