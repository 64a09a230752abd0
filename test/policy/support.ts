/**
 * Builds the arguments `@pulumi/policy` passes to policies, by hand or from the resources a mock run
 * recorded, and collects the violations the policies report.
 */
import type {
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { RecordedResource } from "../../plan/recorded";

/** One reported violation: the policy, the message and, for stack policies, the resource's URN. */
export interface Violation {
    policy: string;
    message: string;
    urn?: string;
}

export function urnOf(type: string, name: string, ancestorTypes: string[] = []): string {
    return `urn:pulumi:test::datomic::${[...ancestorTypes, type].join("$")}::${name}`;
}

function options(extra: Partial<PolicyResourceOptions> = {}): PolicyResourceOptions {
    return {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
        ...extra,
    };
}

function unsupported(what: string): never {
    throw new Error(`the policies under test do not call ${what}`);
}

/** A resource as `validateResource` sees it. */
export function resourceArgs(
    type: string,
    name: string,
    props: Record<string, unknown>,
    settings: { opts?: Partial<PolicyResourceOptions>; ancestorTypes?: string[] } = {},
): ResourceValidationArgs {
    return {
        type,
        name,
        props,
        urn: urnOf(type, name, settings.ancestorTypes),
        opts: options(settings.opts),
        stackTags: new Map(),
        isType: () => unsupported("isType"),
        asType: () => unsupported("asType"),
        getConfig: () => unsupported("getConfig"),
        notApplicable: () => unsupported("notApplicable"),
    };
}

/** A resource as `validateStack` sees it; link dependencies with {@link dependsOn}. */
export function stackResource(
    type: string,
    name: string,
    props: Record<string, unknown>,
    settings: { opts?: Partial<PolicyResourceOptions>; ancestorTypes?: string[] } = {},
): PolicyResource {
    return {
        type,
        name,
        props,
        urn: urnOf(type, name, settings.ancestorTypes),
        opts: options(settings.opts),
        dependencies: [],
        propertyDependencies: {},
        isType: () => unsupported("isType"),
        asType: () => unsupported("asType"),
    };
}

/** Records that `resource`'s `property` takes its value from `dependencies`. */
export function dependsOn(resource: PolicyResource, property: string, ...dependencies: PolicyResource[]): void {
    resource.dependencies.push(...dependencies);
    resource.propertyDependencies[property] = dependencies;
}

export function stackArgs(resources: PolicyResource[]): StackValidationArgs {
    return {
        resources,
        stackTags: new Map(),
        getConfig: () => unsupported("getConfig"),
        notApplicable: () => unsupported("notApplicable"),
    };
}

/** The violations one resource policy reports for one resource. */
export async function validateResource(
    policy: ResourceValidationPolicy,
    args: ResourceValidationArgs,
): Promise<string[]> {
    const messages: string[] = [];
    const validations = [policy.validateResource ?? []].flat();
    for (const validation of validations) {
        await validation(args, (message) => messages.push(message));
    }
    return messages;
}

/** The violations one stack policy reports, with the URNs they name. */
export async function validateStack(
    policy: StackValidationPolicy,
    args: StackValidationArgs,
): Promise<{ message: string; urn?: string }[]> {
    const reported: { message: string; urn?: string }[] = [];
    await policy.validateStack(args, (message, urn) => reported.push({ message, urn }));
    return reported;
}

/** Every violation the policies report for a recorded program: resource policies on inputs, stack policies on outputs. */
export async function evaluate(
    policies: (ResourceValidationPolicy | StackValidationPolicy)[],
    recorded: RecordedResource[],
): Promise<Violation[]> {
    const custom = recorded.filter((resource) => resource.custom && !resource.read);
    const byUrn = new Map<string, PolicyResource>();
    const stack = custom.map((resource) => {
        const policyResource = stackResource(resource.type, resource.name, resource.outputs, {
            opts: { protect: resource.protect, parent: resource.parent },
        });
        policyResource.urn = resource.urn;
        byUrn.set(resource.urn, policyResource);
        return policyResource;
    });
    custom.forEach((resource, index) => {
        stack[index].dependencies = resource.dependencies
            .map((urn) => byUrn.get(urn))
            .filter((dependency): dependency is PolicyResource => dependency !== undefined);
    });

    const violations: Violation[] = [];
    for (const policy of policies) {
        if ("validateStack" in policy) {
            for (const { message, urn } of await validateStack(policy, stackArgs(stack))) {
                violations.push({ policy: policy.name, message, urn });
            }
            continue;
        }
        for (const resource of custom) {
            const args = resourceArgs(resource.type, resource.name, resource.inputs, {
                opts: { protect: resource.protect, parent: resource.parent },
            });
            args.urn = resource.urn;
            for (const message of await validateResource(policy, args)) {
                violations.push({ policy: policy.name, message, urn: resource.urn });
            }
        }
    }
    return violations;
}
