/**
 * A plan against the deployed state: during the run, the mocks answer a resource the state has (and whose
 * inputs the engine would keep or update) with its deployed id and outputs; after the run, every resource
 * gets the step the engine would take, and every deployed resource the program no longer has is deleted.
 */
import type { DeployedAnswer, RecordedResource, Registration } from "../recorded";
import { AssetDescription, Secret, UNKNOWN } from "../recorded";
import { withIgnoredChanges } from "../propertyPath";
import type { Verdict } from "../replacements";
import type { ProgramRun } from "../runProgram";
import { Checkpoint, EncryptedSecret, SIGNATURE, StateResource } from "./checkpoint";
import { compareWithDeployed, StateChange, stateChanges } from "./compare";
import { UrnMatcher } from "./urns";

/** The engine's step for one resource. */
export type StepKind = "same" | "update" | "replace" | "create" | "delete" | "read";

/** One line of the preview. */
export interface PreviewStep {
    readonly step: StepKind;
    readonly type: string;
    readonly name: string;
    /** The engine's URN. */
    readonly urn: string;
    /** The engine URN of the parent, when it has one in the program or the state. */
    readonly parent?: string;
    /** The deployed URN it was found under, when that is an alias. */
    readonly aliasOf?: string;
    readonly changes: StateChange[];
    readonly verdict?: Verdict;
    /** Why the engine refuses the step. */
    readonly refused?: string;
    /** Notes for a reviewer: a retained deletion, an encrypted secret. */
    readonly notes: string[];
    /** The inputs of a created resource. */
    readonly inputs?: Record<string, unknown>;
}

/** The whole preview. */
export interface StatePreview {
    readonly project: string;
    readonly stack: string;
    readonly steps: PreviewStep[];
    /** The stack's outputs that differ from the deployed ones. */
    readonly outputs: StateChange[];
    /** True when the export had plaintext secrets, so secrets were compared. */
    readonly secretsCompared: boolean;
}

/**
 * Outputs a provider computes anew when the resource is updated, so a preview shows them unknown:
 * a CloudFormation stack's `outputs` (terraform-provider-aws cloudformation/stack.go:
 * `customdiff.ComputedIf("outputs", stackHasActualChanges)`).
 */
const RECOMPUTED_ON_UPDATE: Record<string, string[]> = { "aws:cloudformation/stack:Stack": ["outputs"] };

const ROOT_STACK = "pulumi:pulumi:Stack";

/** The state, indexed for one run: answers the mocks, then builds the preview. */
export class DeployedState {
    private readonly byUrn: Map<string, StateResource>;
    private readonly matcher: UrnMatcher;

    constructor(private readonly checkpoint: Checkpoint) {
        this.byUrn = new Map(checkpoint.resources.map((resource) => [resource.urn, resource]));
        this.matcher = new UrnMatcher(checkpoint.project, checkpoint.stack, new Set(this.byUrn.keys()));
    }

    /** The mocks' answer for a registration: deployed id and outputs unless the engine would create or replace it. */
    public readonly deployed = (registration: Registration): DeployedAnswer | undefined => {
        const { matched } = this.matcher.match(registration);
        const old = matched ? this.byUrn.get(matched) : undefined;
        if (!old?.custom || old.id === undefined) {
            return undefined;
        }
        const { step } = compareWithDeployed(old, registration);
        if (step === "replace") {
            return undefined;
        }
        const outputs = mockValues(old.outputs) as Record<string, unknown>;
        if (step === "update") {
            // The engine sends the provider the new inputs with ignored properties at their deployed values.
            const inputs = withIgnoredChanges(old.inputs, registration.inputs, registration.ignoreChanges);
            for (const [key, value] of Object.entries(inputs)) {
                outputs[key] = mockValue(value);
            }
            for (const key of RECOMPUTED_ON_UPDATE[registration.type] ?? []) {
                delete outputs[key];
            }
        }
        return { id: old.id, outputs: dropUnknown(outputs) };
    };

    /** Every resource's step, in the program's order, then the deletions. */
    public preview(run: ProgramRun): StatePreview {
        const seen = new Set<string>();
        const steps = run.resources.map((resource) => {
            const match = this.matcher.match(resource);
            if (match.matched) {
                seen.add(match.matched);
            }
            const parent = resource.parent ? this.matcher.known(resource.parent)?.urn : undefined;
            return this.stepOf(resource, match.urn, match.matched, parent);
        });
        const deletions = this.checkpoint.resources
            .filter((old) => !seen.has(old.urn) && !old.external && !isImplicit(old))
            .map((old) => deletionOf(old));
        const root = this.checkpoint.resources.find((resource) => resource.type === ROOT_STACK);
        return {
            project: this.checkpoint.project,
            stack: this.checkpoint.stack,
            steps: [...steps, ...deletions],
            outputs: stateChanges(root?.outputs ?? {}, run.outputs, ""),
            secretsCompared: this.checkpoint.plaintextSecrets,
        };
    }

    private stepOf(resource: RecordedResource, urn: string, matched: string | undefined, parent?: string): PreviewStep {
        const base = { type: resource.type, name: resource.name, urn, ...(parent ? { parent } : {}) };
        const old = matched ? this.byUrn.get(matched) : undefined;
        if (resource.read) {
            return { ...base, step: "read", changes: [], notes: [] };
        }
        if (!old) {
            return { ...base, step: "create", changes: [], notes: [], inputs: resource.custom ? resource.inputs : {} };
        }
        const comparison = compareWithDeployed(old, resource);
        const notes = comparison.changes.some((change) => change.uncertain)
            ? ["a secret is encrypted in the state: it may have changed (export with --show-secrets to compare)"]
            : [];
        return {
            ...base,
            step: comparison.step,
            ...(matched !== urn ? { aliasOf: matched } : {}),
            changes: comparison.changes,
            ...(comparison.verdict ? { verdict: comparison.verdict } : {}),
            ...(comparison.verdict?.refused ? { refused: comparison.verdict.refused } : {}),
            notes,
        };
    }
}

function deletionOf(old: StateResource): PreviewStep {
    const name = old.urn.slice(old.urn.lastIndexOf("::") + 2);
    return {
        step: "delete",
        type: old.type,
        name,
        urn: old.urn,
        ...(old.parent && !old.parent.includes(`::${ROOT_STACK}::`) ? { parent: old.parent } : {}),
        changes: [],
        ...(old.protect
            ? {
                  refused:
                      "the engine refuses to delete a protected resource (pulumi state unprotect it first, " +
                      "knowing what it holds)",
              }
            : {}),
        notes: old.retainOnDelete ? ["retainOnDelete: removed from the stack, left in AWS"] : [],
    };
}

/** The root stack and the default providers, which the engine manages itself. */
function isImplicit(old: StateResource): boolean {
    const name = old.urn.slice(old.urn.lastIndexOf("::") + 2);
    return old.type === ROOT_STACK || (old.type.startsWith("pulumi:providers:") && name.startsWith("default"));
}

/** A recorded or deployed value as the mock monitor serializes it: secrets signed, unknowns left out. */
function mockValue(value: unknown): unknown {
    if (value instanceof Secret) {
        return { [SIGNATURE.key]: SIGNATURE.secret, value: mockValue(value.value) };
    }
    if (value instanceof EncryptedSecret || value instanceof AssetDescription || value === UNKNOWN) {
        return undefined;
    }
    return Array.isArray(value) ? value.map(mockValue) : isPlain(value) ? mockValues(value) : value;
}

function mockValues(values: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, mockValue(value)]));
}

function dropUnknown(values: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

function isPlain(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;
}
