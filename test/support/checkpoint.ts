/**
 * Checkpoints in the shape `pulumi stack export` writes (pulumi/pulumi sdk/go/common/apitype/core.go:
 * UntypedDeployment, DeploymentV3, ResourceV3), built from a program's own run under the mocks, as if the
 * run had been deployed: the engine's URNs, the root stack, default providers, ids, inputs and outputs, and
 * secrets encrypted or, as with `--show-secrets`, in plaintext.
 */
import { AssetDescription, RecordedResource, Secret, UNKNOWN } from "../../plan/recorded";
import { SIGNATURE } from "../../plan/state/checkpoint";
import { createUrn } from "../../plan/state/urns";
import type { ProgramRun } from "../../plan/runProgram";

/** A resource as ResourceV3 writes it (the fields a plan reads, and the common others). */
export interface ExportedResource {
    urn: string;
    custom: boolean;
    id?: string;
    type: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    parent?: string;
    protect?: boolean;
    external?: boolean;
    dependencies?: string[];
    provider?: string;
    propertyDependencies?: Record<string, string[]>;
    retainOnDelete?: boolean;
    ignoreChanges?: string[];
    replaceOnChanges?: string[];
}

/** `pulumi stack export`'s output. */
export interface StackExport {
    version: 3;
    deployment: {
        manifest: { time: string; magic: string; version: string };
        secrets_providers: { type: string; state: Record<string, unknown> };
        resources: ExportedResource[];
        pending_operations?: { resource: ExportedResource; type: string }[];
    };
}

/** The package versions of default providers, as the engine names them (`default_7_48_0`). */
const DEFAULT_PROVIDER_VERSIONS: Record<string, string> = { aws: "7_48_0", command: "1_2_1" };

/** The state a deployment of `run` (a non-preview run, so every id is known) would leave. */
export function stackExport(run: ProgramRun, options: { showSecrets?: boolean } = {}): StackExport {
    const { project, stack } = run;
    const root = createUrn(`${project}-${stack}`, "pulumi:pulumi:Stack", undefined, project, stack);
    let ciphertexts = 0;
    const encode = (value: unknown): unknown => {
        if (value instanceof Secret) {
            const inner = JSON.stringify(encode(value.value));
            return options.showSecrets
                ? { [SIGNATURE.key]: SIGNATURE.secret, plaintext: inner }
                : {
                      [SIGNATURE.key]: SIGNATURE.secret,
                      ciphertext: `v1:${Buffer.from(`nonce-${++ciphertexts}`).toString("base64")}`,
                  };
        }
        if (value instanceof AssetDescription) {
            const archive = value.kind.endsWith("Archive");
            const { kind: _kind, ...source } = value;
            return { [SIGNATURE.key]: archive ? SIGNATURE.archive : SIGNATURE.asset, hash: "0".repeat(64), ...source };
        }
        if (value === UNKNOWN) {
            throw new Error("a checkpoint is built from a run with every value known: run with preview false");
        }
        if (Array.isArray(value)) {
            return value.map(encode);
        }
        if (value !== null && typeof value === "object") {
            return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, encode(item)]));
        }
        return value;
    };
    const engineUrns = new Map<string, string>();
    const engineUrn = (resource: RecordedResource) => {
        const parent = resource.parent ? engineUrns.get(resource.parent) : undefined;
        const urn = createUrn(resource.name, resource.type, parent, project, stack);
        engineUrns.set(resource.urn, urn);
        return urn;
    };
    const defaultProviders = new Map<string, ExportedResource>();
    const providerOf = (resource: RecordedResource): string => {
        if (resource.provider) {
            const [urn, id] = [
                resource.provider.slice(0, resource.provider.lastIndexOf("::")),
                resource.provider.split("::").pop(),
            ];
            return `${engineUrns.get(urn) ?? urn}::${id}`;
        }
        const pkg = resource.type.split(":")[0];
        const name = `default_${DEFAULT_PROVIDER_VERSIONS[pkg] ?? "1_0_0"}`;
        const urn = createUrn(name, `pulumi:providers:${pkg}`, undefined, project, stack);
        const provider = defaultProviders.get(urn) ?? {
            urn,
            custom: true,
            id: `0000000${defaultProviders.size}-provider`,
            type: `pulumi:providers:${pkg}`,
            inputs: {},
            outputs: {},
        };
        defaultProviders.set(urn, provider);
        return `${urn}::${provider.id}`;
    };
    const resources = run.resources.map((resource): ExportedResource => {
        const urn = engineUrn(resource);
        const managedCustom = resource.custom && !resource.type.startsWith("pulumi:providers:");
        return {
            urn,
            custom: resource.custom,
            ...(resource.custom ? { id: resource.id ?? resource.importId ?? `${resource.name}-id` } : {}),
            type: resource.type,
            inputs: encode(resource.inputs) as Record<string, unknown>,
            outputs: encode(resource.outputs) as Record<string, unknown>,
            parent: resource.parent ? engineUrns.get(resource.parent) : root,
            ...(resource.protect ? { protect: true } : {}),
            ...(resource.read ? { external: true } : {}),
            dependencies: resource.dependencies.map((dependency) => engineUrns.get(dependency) ?? dependency),
            ...(managedCustom ? { provider: providerOf(resource) } : {}),
            propertyDependencies: {},
            ...(resource.retainOnDelete ? { retainOnDelete: true } : {}),
            ...(resource.ignoreChanges.length ? { ignoreChanges: resource.ignoreChanges } : {}),
            ...(resource.replaceOnChanges.length ? { replaceOnChanges: resource.replaceOnChanges } : {}),
        };
    });
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-12-01T12:00:00Z", magic: "0".repeat(64), version: "v3.200.0" },
            secrets_providers: { type: "service", state: { url: "https://api.pulumi.com", owner: "acme" } },
            resources: [
                {
                    urn: root,
                    custom: false,
                    type: "pulumi:pulumi:Stack",
                    outputs: encode(run.outputs) as Record<string, unknown>,
                },
                ...defaultProviders.values(),
                ...resources,
            ],
        },
    };
}
