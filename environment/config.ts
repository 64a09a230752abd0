/**
 * The environment program's configuration: read once from the stack's config,
 * checked against a schema (zod), and turned into typed component arguments.
 * Every message names the config key, as written in `Pulumi.<stack>.yaml`.
 */
import { z } from "zod";
import type { DatomicCloudSystemArgs } from "../components/cloud/system";

/** The project's config namespace (`name` in Pulumi.yaml). */
export const CONFIG_NAMESPACE = "datomic";

/** Config keys the program reads, fully qualified. */
export const CONFIG_KEYS = {
    flavor: `${CONFIG_NAMESPACE}:flavor`,
    cloud: `${CONFIG_NAMESPACE}:cloud`,
    region: "aws:region",
    assumeRoles: "aws:assumeRoles",
    allowedAccountIds: "aws:allowedAccountIds",
} as const;

/** A capacity parameter: a number, or the template's `"Default"` (the same as leaving it out). */
const capacity = z.union([z.number().int().nonnegative(), z.literal("Default")]).optional();

const cloudCreateSchema = z.strictObject({
    templateVersion: z.string().optional(),
    storageTemplateUrl: z.url().optional(),
    computeTemplateUrl: z.url().optional(),
    instanceType: z.string().optional(),
    keyName: z.string().optional(),
    applicationName: z.string().optional(),
    desiredCapacity: capacity,
    minSize: capacity,
    maxSize: capacity,
    minInstancesInService: capacity,
    vpcCidrBlock: z.string().optional(),
    subnetCidrBlocks: z.array(z.string()).optional(),
    restart: z.boolean().optional(),
    storageParameters: z.record(z.string(), z.string()).optional(),
    computeParameters: z.record(z.string(), z.string()).optional(),
    protectStorage: z.boolean().optional(),
    computeTimeoutMinutes: z.number().int().positive().optional(),
});

const cloudSchema = z.strictObject({
    mode: z.enum(["adopt", "create"]),
    systemName: z.string().min(1),
    topology: z.enum(["nlb", "alb"]).optional(),
    storageStackName: z.string().optional(),
    computeStackName: z.string().optional(),
    create: cloudCreateSchema.optional(),
    bastionIngressCidrs: z.array(z.string()).optional(),
    allowPublicBastion: z.boolean().optional(),
    endpointServiceAcceptanceRequired: z.boolean().optional(),
    endpointServiceAllowedPrincipals: z.array(z.string()).optional(),
    awsServiceEndpoints: z.array(z.string()).optional(),
    clientEndpoint: z.string().optional(),
    tags: z.record(z.string(), z.string()).optional(),
});

const assumeRolesSchema = z
    .array(
        z.looseObject({
            roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "expected an IAM role ARN"),
        }),
    )
    .min(1, "expected at least one role: each stack deploys into its own account through a role");

/** The environment, as typed arguments. */
export interface EnvironmentConfig {
    flavor: "cloud";
    region: string;
    /** The account the stack's role belongs to. */
    accountId: string;
    deployRoleArn: string;
    cloud: DatomicCloudSystemArgs;
}

/** Configuration that cannot be used; the message lists every problem, one per line, each naming its key. */
export class EnvironmentConfigError extends Error {
    constructor(public readonly problems: string[]) {
        super(`Invalid stack configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
        this.name = "EnvironmentConfigError";
    }
}

/**
 * The runtime's config (`pulumi.runtime.allConfig()`: every value a string,
 * objects and lists as JSON) as values.
 */
export function decodeConfigValues(raw: Record<string, string>): Record<string, unknown> {
    return Object.fromEntries(
        Object.entries(raw).map(([key, text]) => [key, /^\s*[[{]/.test(text) ? JSON.parse(text) : text]),
    );
}

/**
 * Parses the stack's configuration. `values` maps fully qualified keys
 * (`datomic:cloud`, `aws:region`) to their values, objects already parsed.
 */
export function parseEnvironmentConfig(values: Record<string, unknown>): EnvironmentConfig {
    const problems: string[] = [];
    const check = <T>(key: string, schema: z.ZodType<T>, value: unknown): T | undefined => {
        const result = schema.safeParse(value);
        if (!result.success) {
            problems.push(...result.error.issues.map((issue) => describeIssue(key, issue, value)));
            return undefined;
        }
        return result.data;
    };

    const flavor = check(CONFIG_KEYS.flavor, z.literal("cloud").default("cloud"), values[CONFIG_KEYS.flavor]);
    const region = check(
        CONFIG_KEYS.region,
        z
            .string({ error: "required: the region the stack deploys to" })
            .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, "expected an AWS region such as us-east-1"),
        values[CONFIG_KEYS.region],
    );
    const roles = check(CONFIG_KEYS.assumeRoles, assumeRolesSchema, values[CONFIG_KEYS.assumeRoles]);
    const allowedAccountIds = check(
        CONFIG_KEYS.allowedAccountIds,
        z.array(z.string().regex(/^\d{12}$/, "expected a 12-digit account id")).optional(),
        values[CONFIG_KEYS.allowedAccountIds],
    );
    const deployRoleArn = roles?.[roles.length - 1].roleArn;
    const accountId = deployRoleArn?.split(":")[4];
    if (accountId && allowedAccountIds && !allowedAccountIds.includes(accountId)) {
        problems.push(
            `${CONFIG_KEYS.assumeRoles}: the role ${deployRoleArn} is in account ${accountId}, which ${CONFIG_KEYS.allowedAccountIds} (${allowedAccountIds.join(", ")}) does not allow`,
        );
    }

    const knownKeys: string[] = Object.values(CONFIG_KEYS);
    for (const key of Object.keys(values)) {
        if (key.startsWith(`${CONFIG_NAMESPACE}:`) && !knownKeys.includes(key)) {
            problems.push(
                `${key}: not a setting of this program (it reads ${knownKeys.filter((k) => k.startsWith(CONFIG_NAMESPACE)).join(", ")})`,
            );
        }
    }

    let cloud: DatomicCloudSystemArgs | undefined;
    if (flavor === "cloud") {
        const raw = values[CONFIG_KEYS.cloud];
        if (raw === undefined) {
            problems.push(`${CONFIG_KEYS.cloud}: required when ${CONFIG_KEYS.flavor} is "cloud"`);
        } else {
            const parsed = check(CONFIG_KEYS.cloud, cloudSchema, raw);
            if (parsed) {
                if (parsed.mode === "adopt" && parsed.create) {
                    problems.push(`${CONFIG_KEYS.cloud}.create: only applies when mode is "create" (mode is "adopt")`);
                }
                cloud = toCloudArgs(parsed);
            }
        }
    }

    if (problems.length > 0) {
        throw new EnvironmentConfigError(problems);
    }
    return { flavor: flavor!, region: region!, accountId: accountId!, deployRoleArn: deployRoleArn!, cloud: cloud! };
}

function toCloudArgs(parsed: z.infer<typeof cloudSchema>): DatomicCloudSystemArgs {
    const { mode, create, ...rest } = parsed;
    if (mode === "adopt") {
        return rest;
    }
    const { desiredCapacity, minSize, maxSize, minInstancesInService, ...createRest } = create ?? {};
    return {
        ...rest,
        create: {
            ...createRest,
            desiredCapacity: numberOrDefault(desiredCapacity),
            minSize: numberOrDefault(minSize),
            maxSize: numberOrDefault(maxSize),
            minInstancesInService: numberOrDefault(minInstancesInService),
        },
    };
}

/** `"Default"` is what the template uses when the parameter is left out. */
function numberOrDefault(value: number | "Default" | undefined): number | undefined {
    return value === "Default" ? undefined : value;
}

function describeIssue(key: string, issue: z.core.$ZodIssue, root: unknown): string {
    const path = issue.path.reduce<string>(
        (text, part) => (typeof part === "number" ? `${text}[${part}]` : `${text}.${String(part)}`),
        key,
    );
    const value = issue.path.reduce<unknown>(
        (node, part) =>
            node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[part] : undefined,
        root,
    );
    const message = issue.message.replace(/^Invalid input: /, "");
    const shown = issue.code === "unrecognized_keys" || value === undefined ? "" : ` (got ${JSON.stringify(value)})`;
    return `${path}: ${message}${shown}`;
}
