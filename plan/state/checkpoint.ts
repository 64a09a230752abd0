/**
 * The checkpoint `pulumi stack export` writes, as `datomic-plan --state` reads it. Field names follow
 * pulumi/pulumi sdk/go/common/apitype/core.go: `UntypedDeployment` {version, deployment}, `DeploymentV3`
 * {manifest, secrets_providers, resources, pending_operations}, `ResourceV3` {urn, custom, id, type, inputs,
 * outputs, parent, protect, external, dependencies, provider, retainOnDelete, ...} and `OperationV2`
 * {resource, type}.
 *
 * Values carry Pulumi's signatures (pkg/resource/stack/deployment.go): a secret is
 * `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "ciphertext": ...}`, or with
 * `--show-secrets` `"plaintext": "<the value as JSON>"`; assets and archives carry their own signatures.
 */
import { AssetDescription, Secret } from "../recorded";

/** Pulumi's signature key and the signatures of special values (sdk/go/common/resource/sig/sig.go). */
export const SIGNATURE = {
    key: "4dabf18193072939515e22adb298388d",
    secret: "1b47061264138c4ac30d75fd1eb44270",
    asset: "c44067f5952c0a294b673a41bacd8c17",
    archive: "0def7320c3a5731c473e5ecbe6d01bc7",
    resourceReference: "5cf8f73096256a8f31e491e813e4eb8e",
} as const;

/** A secret the export kept encrypted: it can be neither read nor compared offline. */
export class EncryptedSecret {
    public toJSON(): string {
        return "[secret]";
    }
}

/** One resource of the deployed state, its values decoded. */
export interface StateResource {
    readonly urn: string;
    readonly type: string;
    readonly custom: boolean;
    readonly id?: string;
    readonly parent?: string;
    readonly inputs: Record<string, unknown>;
    readonly outputs: Record<string, unknown>;
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    /** Read, not managed (a stack reference, a `get`). */
    readonly external: boolean;
}

/** The deployed state of one stack. */
export interface Checkpoint {
    readonly project: string;
    readonly stack: string;
    readonly resources: StateResource[];
    /** True when any secret was exported in plaintext (`--show-secrets`). */
    readonly plaintextSecrets: boolean;
}

/** A state file that cannot be used; the message says why and what to do. */
export class StateFileError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "StateFileError";
    }
}

const ROOT_STACK = "pulumi:pulumi:Stack";

/** Reads `pulumi stack export` output; throws a {@link StateFileError} naming `source` when it is not one. */
export function parseCheckpoint(text: string, source: string): Checkpoint {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        // Node's message quotes the text around the fault, which may be a plaintext secret: left out.
        throw new StateFileError(`${source} is not JSON; write it with pulumi stack export --file <file>`);
    }
    const exported = parsed as { version?: unknown; deployment?: Record<string, unknown> };
    if (!isRecord(exported) || !isRecord(exported.deployment)) {
        throw new StateFileError(
            `${source} is not a stack export (expected {version, deployment}); write it with pulumi stack export --file <file>`,
        );
    }
    if (exported.version !== 3) {
        throw new StateFileError(
            `${source} is a version ${JSON.stringify(exported.version)} deployment; datomic-plan reads version 3, ` +
                "which pulumi stack export writes for stacks without newer features",
        );
    }
    const deployment = exported.deployment;
    const pending = Array.isArray(deployment.pending_operations) ? deployment.pending_operations : [];
    if (pending.length > 0) {
        const operations = pending
            .map((operation) => {
                const { type, resource } = operation as { type?: string; resource?: { urn?: string } };
                return `${type ?? "?"} of ${resource?.urn ?? "?"}`;
            })
            .join(", ");
        throw new StateFileError(
            `${source} has ${pending.length} pending operation(s) (${operations}): an update was interrupted, so the ` +
                "state may not match what is deployed; run pulumi refresh (or pulumi cancel), then export again",
        );
    }
    const rawResources = Array.isArray(deployment.resources) ? deployment.resources : [];
    let plaintextSecrets = false;
    const decode = (value: unknown) =>
        decodeValue(value, () => {
            plaintextSecrets = true;
        });
    const resources = rawResources.map((raw, index): StateResource => {
        const resource = raw as Record<string, unknown>;
        if (typeof resource.urn !== "string" || typeof resource.type !== "string") {
            throw new StateFileError(`${source}: resources[${index}] has no urn or type; is it a pulumi stack export?`);
        }
        return {
            urn: resource.urn,
            type: resource.type,
            custom: resource.custom === true,
            id: typeof resource.id === "string" && resource.id !== "" ? resource.id : undefined,
            parent: typeof resource.parent === "string" ? resource.parent : undefined,
            inputs: (decode(resource.inputs ?? {}) ?? {}) as Record<string, unknown>,
            outputs: (decode(resource.outputs ?? {}) ?? {}) as Record<string, unknown>,
            protect: resource.protect === true,
            retainOnDelete: resource.retainOnDelete === true,
            external: resource.external === true,
        };
    });
    const root = resources.find((resource) => resource.type === ROOT_STACK);
    if (!root) {
        throw new StateFileError(`${source} has no ${ROOT_STACK} resource; is it a pulumi stack export of a stack?`);
    }
    const [, stack, project] = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(root.urn) ?? [];
    return { project, stack, resources, plaintextSecrets };
}

/** The program's project and stack must be the state's: the message says which differs. */
export function checkCheckpointTarget(checkpoint: Checkpoint, project: string, stack: string, source: string): void {
    if (checkpoint.project !== project || checkpoint.stack !== stack) {
        throw new StateFileError(
            `${source} is the state of stack "${checkpoint.stack}" of project "${checkpoint.project}", not of stack ` +
                `"${stack}" of project "${project}": compared with it, the plan would be wrong; export the state of ` +
                `${stack} (pulumi stack export --stack ${stack} --file <file>)`,
        );
    }
}

/** A value of the checkpoint with secrets, assets and archives decoded. */
export function decodeValue(value: unknown, sawPlaintext: () => void): unknown {
    if (Array.isArray(value)) {
        return value.map((item) => decodeValue(item, sawPlaintext));
    }
    if (!isRecord(value)) {
        return value;
    }
    switch (value[SIGNATURE.key]) {
        case SIGNATURE.secret:
            if (typeof value.plaintext === "string") {
                sawPlaintext();
                return new Secret(decodeValue(parseSecret(value.plaintext), sawPlaintext));
            }
            return new EncryptedSecret();
        case SIGNATURE.asset:
        case SIGNATURE.archive:
            return describeAsset(value);
        default:
            return Object.fromEntries(
                Object.entries(value).map(([key, item]) => [key, decodeValue(item, sawPlaintext)]),
            );
    }
}

/** A secret's plaintext is its value as JSON; the error never quotes it. */
function parseSecret(plaintext: string): unknown {
    try {
        return JSON.parse(plaintext);
    } catch {
        throw new StateFileError("a secret's plaintext in the export is not JSON; export the state again");
    }
}

function describeAsset(value: Record<string, unknown>): AssetDescription {
    const noun = value[SIGNATURE.key] === SIGNATURE.archive ? "Archive" : "Asset";
    if (typeof value.path === "string") {
        return new AssetDescription(`File${noun}`, { path: value.path });
    }
    if (typeof value.uri === "string") {
        return new AssetDescription(`Remote${noun}`, { uri: value.uri });
    }
    if (typeof value.text === "string") {
        return new AssetDescription("StringAsset", { text: value.text });
    }
    const members = Object.entries((value.assets ?? {}) as Record<string, Record<string, unknown>>);
    return new AssetDescription("AssetArchive", {
        assets: Object.fromEntries(members.map(([name, member]) => [name, describeAsset(member)])),
    });
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}
