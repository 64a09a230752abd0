/**
 * A registration compared with its deployed self, as the engine diffs them: ignoreChanges first, then each
 * changed property path, then the shared replacement rules (`plan/replacements.ts`). Secrets are compared by
 * value when the export has them in plaintext and are never printed; an encrypted secret may have changed.
 */
import { stringify } from "safe-stable-stringify";
import { withIgnoredChanges } from "../propertyPath";
import { AssetDescription, Registration, Secret, UNKNOWN } from "../recorded";
import { judgeChanges, Verdict } from "../replacements";
import { EncryptedSecret, StateResource } from "./checkpoint";

/** How secrets appear in a change. */
export const SECRET_SHOWN = "[secret]";

/** One property that differs from the deployed inputs. */
export interface StateChange {
    /** `parameters.InstanceType`, `tags["aws:team"]`, `triggers[0]`. */
    path: string;
    before?: unknown;
    after?: unknown;
    /** A secret the export kept encrypted: it may or may not have changed. */
    uncertain?: boolean;
}

/** What the engine would do with a registration that exists in the state. */
export interface Comparison {
    readonly step: "same" | "update" | "replace";
    readonly changes: StateChange[];
    /** For an update or a replacement: why, hazards and refusals. */
    readonly verdict?: Verdict;
}

/**
 * The terraform bridge records in `__defaults` the inputs its provider filled with schema defaults
 * (pulumi/pulumi-terraform-bridge, the `__defaults` meta key): the program never wrote them.
 */
const DEFAULTS_KEY = "__defaults";

/** Compares a registration with the deployed resource it matched. */
export function compareWithDeployed(old: StateResource, registration: Registration): Comparison {
    if (!registration.custom) {
        return { step: "same", changes: [] };
    }
    const deployedInputs = withoutProviderDefaults(old.inputs, registration.inputs);
    const inputs = withIgnoredChanges(deployedInputs, registration.inputs, registration.ignoreChanges);
    const changes = stateChanges(deployedInputs, inputs, "");
    if (changes.length === 0) {
        return { step: "same", changes };
    }
    const verdict = judgeChanges(
        {
            type: registration.type,
            replaceOnChanges: registration.replaceOnChanges,
            // The engine refuses a replacement only when the old and the new resource are both protected.
            protect: registration.protect && old.protect,
            retainOnDelete: registration.retainOnDelete,
            deleteBeforeReplace: registration.deleteBeforeReplace,
            inputs: registration.inputs,
        },
        changes.filter((change) => !change.uncertain).map((change) => change.path),
    );
    return { step: verdict.step, changes, verdict };
}

function withoutProviderDefaults(
    deployed: Record<string, unknown>,
    current: Record<string, unknown>,
): Record<string, unknown> {
    const defaults = Array.isArray(deployed[DEFAULTS_KEY]) ? (deployed[DEFAULTS_KEY] as unknown[]) : [];
    return Object.fromEntries(
        Object.entries(deployed).filter(
            ([key]) => !key.startsWith("__") && !(defaults.includes(key) && !(key in current)),
        ),
    );
}

/** The property paths where `after` differs from `before`, descending into maps and lists. */
export function stateChanges(before: unknown, after: unknown, path: string): StateChange[] {
    if (before instanceof EncryptedSecret || after instanceof EncryptedSecret) {
        return [{ path, before: SECRET_SHOWN, after: after === undefined ? undefined : SECRET_SHOWN, uncertain: true }];
    }
    if (before instanceof Secret || after instanceof Secret) {
        return same(unwrap(before), unwrap(after)) ? [] : [{ path, before: masked(before), after: masked(after) }];
    }
    if (isPlain(before) && isPlain(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        return keys.flatMap((key) =>
            childChanges(before[key], after[key], key in before, key in after, child(path, key)),
        );
    }
    if (Array.isArray(before) && Array.isArray(after)) {
        const length = Math.max(before.length, after.length);
        return Array.from({ length }, (_, index) =>
            childChanges(before[index], after[index], index < before.length, index < after.length, `${path}[${index}]`),
        ).flat();
    }
    return same(before, after) ? [] : [{ path, before, after }];
}

function childChanges(before: unknown, after: unknown, inBefore: boolean, inAfter: boolean, path: string) {
    if (!inAfter) {
        return [{ path, before: masked(before) }];
    }
    if (!inBefore) {
        return [{ path, after: masked(after) }];
    }
    return stateChanges(before, after, path);
}

/** Equal as the engine would find them; an unknown value is a change. */
function same(before: unknown, after: unknown): boolean {
    if (after === UNKNOWN) {
        return before === UNKNOWN;
    }
    if (before instanceof AssetDescription || after instanceof AssetDescription) {
        return stringify(assetKey(before)) === stringify(assetKey(after));
    }
    return stringify(before) === stringify(after);
}

function assetKey(value: unknown): unknown {
    if (!(value instanceof AssetDescription)) {
        return value;
    }
    const assets = value.assets
        ? Object.fromEntries(Object.entries(value.assets).map(([k, v]) => [k, assetKey(v)]))
        : undefined;
    return { kind: value.kind, path: value.path, uri: value.uri, text: value.text, assets };
}

function unwrap(value: unknown): unknown {
    return value instanceof Secret ? value.value : value;
}

function masked(value: unknown): unknown {
    return value instanceof Secret || value instanceof EncryptedSecret ? SECRET_SHOWN : value;
}

function isPlain(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;
}

function child(path: string, key: string): string {
    if (/^[A-Za-z_$][\w$-]*$/.test(key)) {
        return path ? `${path}.${key}` : key;
    }
    return `${path}[${JSON.stringify(key)}]`;
}
