/**
 * The preview against the deployed state as text: the resource tree with the engine's markers
 * (`=` same, `~` update, `+-` replace, `+` create, `-` delete, `>` read), each change with its old and new
 * value (secrets as [secret]), and the summary `pulumi preview` prints.
 */
import * as path from "path";
import { count } from "../report";
import { SECRET_SHOWN, StateChange } from "./compare";
import type { PreviewStep, StatePreview, StepKind } from "./preview";

const MARKERS: Record<StepKind, string> = {
    same: "=",
    update: "~",
    replace: "+-",
    create: "+",
    delete: "-",
    read: ">",
};

const MAX_VALUE_LENGTH = 200;

/** The preview as an indented tree, for a terminal or a pull-request comment. */
export function renderStatePreview(preview: StatePreview, stateSource: string, programDir?: string): string {
    const show = (value: unknown) => shown(value, programDir);
    const lines = [
        `Preview of stack "${preview.stack}" (project ${preview.project}) against its deployed state ` +
            `(${stateSource}), from mocks: no cloud calls were made.`,
        preview.secretsCompared
            ? "Secrets were compared by value (the export has them in plaintext: keep it secret); they are never printed."
            : "Secrets are encrypted in the export: a secret input shows as possibly changed, never printed.",
        "",
    ];
    const children = new Map<string | undefined, PreviewStep[]>();
    const urns = new Set(preview.steps.map((step) => step.urn));
    for (const step of preview.steps) {
        const parent = step.parent && urns.has(step.parent) ? step.parent : undefined;
        children.set(parent, [...(children.get(parent) ?? []), step]);
    }
    const walk = (parent: string | undefined, depth: number) => {
        for (const step of children.get(parent) ?? []) {
            lines.push(...stepLines(step, "  ".repeat(depth), show));
            walk(step.urn, depth + 1);
        }
    };
    walk(undefined, 0);
    if (preview.outputs.length > 0) {
        lines.push("", "Outputs:");
        for (const change of preview.outputs) {
            lines.push(`  ${!("before" in change) ? "+" : !("after" in change) ? "-" : "~"} ${describe(change, show)}`);
        }
    }
    lines.push("", ...summary(preview));
    return lines.join("\n") + "\n";
}

function stepLines(step: PreviewStep, indent: string, show: (value: unknown) => string): string[] {
    const notes = [...(step.aliasOf ? [`alias of ${step.aliasOf}`] : []), ...(step.refused ? ["refused"] : [])];
    const lines = [
        `${indent}${MARKERS[step.step]} ${step.type}  ${step.name}${notes.length ? `  [${notes.join(", ")}]` : ""}`,
    ];
    const detail = (text: string) => lines.push(`${indent}      ${text}`);
    if (step.refused) {
        detail(`refused: ${step.refused}`);
    }
    for (const reason of step.verdict?.replaceBecause ?? []) {
        detail(`replaced: ${reason}`);
    }
    for (const hazard of step.verdict?.hazards ?? []) {
        detail(hazard);
    }
    for (const note of step.verdict?.notes ?? []) {
        detail(note);
    }
    for (const note of step.notes) {
        detail(note);
    }
    for (const change of step.changes) {
        detail(describe(change, show));
    }
    for (const [name, value] of Object.entries(step.inputs ?? {})) {
        detail(`${name}: ${show(value)}`);
    }
    return lines;
}

function describe(change: StateChange, show: (value: unknown) => string): string {
    if (change.uncertain) {
        return `${change.path}: [secret] (encrypted in the state: may have changed)`;
    }
    if (!("before" in change)) {
        return `${change.path}: (added) ${show(change.after)}`;
    }
    if (!("after" in change)) {
        return `${change.path}: ${show(change.before)} (removed)`;
    }
    return `${change.path}: ${show(change.before)} => ${show(change.after)}`;
}

/** The counts as `pulumi preview` prints them, and what the engine would refuse. */
function summary(preview: StatePreview): string[] {
    const counts: Record<StepKind, number> = { same: 0, update: 0, replace: 0, create: 0, delete: 0, read: 0 };
    for (const step of preview.steps) {
        counts[step.step]++;
    }
    const changes = counts.create + counts.update + counts.replace + counts.delete;
    const lines = [
        "Resources:",
        ...(counts.create ? [`    + ${counts.create} to create`] : []),
        ...(counts.update ? [`    ~ ${counts.update} to update`] : []),
        ...(counts.delete ? [`    - ${counts.delete} to delete`] : []),
        ...(counts.replace ? [`    +-${counts.replace} to replace`] : []),
        `    ${changes ? `${count(changes, "change")}. ` : ""}${counts.same + counts.read} unchanged`,
    ];
    const refused = preview.steps.filter((step) => step.refused).length;
    const unchangeable = preview.steps.filter((step) => (step.verdict?.hazards.length ?? 0) > 0).length;
    if (refused > 0) {
        lines.push(`${count(refused, "step")} the engine refuses: pulumi preview and pulumi up would fail.`);
    }
    if (unchangeable > 0) {
        lines.push(`${count(unchangeable, "resource")} with changes AWS or Datomic refuse or that lose data.`);
    }
    return lines;
}

/** A value as JSON (secrets masked by their own toJSON), absolute paths in the program made relative, cut short. */
function shown(value: unknown, programDir: string | undefined): string {
    if (value === SECRET_SHOWN) {
        return SECRET_SHOWN;
    }
    const text =
        JSON.stringify(value, (_, item: unknown) =>
            typeof item === "string" && programDir && item.startsWith(programDir + path.sep)
                ? path.relative(programDir, item).split(path.sep).join("/")
                : item,
        ) ?? "undefined";
    return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 3)}...` : text;
}
