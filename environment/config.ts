/**
 * The environment program's configuration: read once from the stack's config,
 * checked against a schema (zod), and turned into typed component arguments.
 * Every message names the config key, as written in `Pulumi.<stack>.yaml`.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { DATOMIC_FLAVORS } from "../components/contract";
import { issueMessage, locateIssue } from "../components/internal/validationIssues";
import type { DatomicCloudSystemArgs } from "../components/cloud/system/system";
import type { DatomicTransactorArgs } from "../components/pro/transactor/transactor";
import { EnvironmentBackupArgs, proBackupSchema, toBackupArgs } from "./backupConfig";
import { EnvironmentMonitoringArgs, MONITORING_KEY, monitoringOf } from "./monitoringConfig";
import { redactSecretValues } from "./redaction";

/** The project's config namespace (`name` in Pulumi.yaml). */
export const CONFIG_NAMESPACE = "datomic";

/** Config keys the program reads, fully qualified. */
export const CONFIG_KEYS = {
    flavor: `${CONFIG_NAMESPACE}:flavor`,
    cloud: `${CONFIG_NAMESPACE}:cloud`,
    pro: `${CONFIG_NAMESPACE}:pro`,
    monitoring: MONITORING_KEY,
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
    storageTimeoutMinutes: z.number().int().positive().optional(),
    computeTimeoutMinutes: z.number().int().positive().optional(),
});

const cloudSchema = z.strictObject({
    mode: z.enum(["adopt", "create"]),
    systemName: z.string().min(1),
    topology: z.enum(["nlb", "alb", "solo"]).optional(),
    release: z.string().optional(),
    storageStackName: z.string().optional(),
    computeStackName: z.string().optional(),
    create: cloudCreateSchema.optional(),
    bastionIngressCidrs: z.array(z.string()).optional(),
    allowPublicBastion: z.boolean().optional(),
    endpointService: z.enum(["create", "adopt", "none"]).optional(),
    endpointServiceId: z.string().optional(),
    endpointServiceAcceptanceRequired: z.boolean().optional(),
    endpointServiceAllowedPrincipals: z.array(z.string()).optional(),
    awsServiceEndpoints: z.array(z.string()).optional(),
    clientEndpoint: z.string().optional(),
    tags: z.record(z.string(), z.string()).optional(),
});

/** DatomicTransactor's arguments, as config values (every input a plain value), and the backups'. */
const proSchema = z.strictObject({
    version: z.string(),
    sha256: z.string().optional(),
    systemName: z.string().optional(),
    region: z.string().optional(),
    vpcId: z.string().regex(/^vpc-[0-9a-f]+$/, "expected a VPC id such as vpc-0a1b2c3d"),
    vpcCidrBlock: z.string().optional(),
    subnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]+$/, "expected a subnet id")).min(1),
    peerSecurityGroupIds: z.array(z.string()).optional(),
    peerSecurityGroupNames: z.array(z.string()).optional(),
    peerCidrs: z.array(z.string()).optional(),
    allowPublicIngress: z.boolean().optional(),
    securityGroupName: z.string().optional(),
    securityGroupDescription: z.string().optional(),
    instanceType: z.string().optional(),
    amiId: z.string().optional(),
    keyName: z.string().optional(),
    rootVolumeSizeGb: z.number().int().positive().optional(),
    groupSize: z.number().int().positive().optional(),
    instanceWarmupSeconds: z.number().int().positive().optional(),
    javaXmx: z.string().optional(),
    javaOpts: z.string().optional(),
    jrePackage: z.string().optional(),
    licenseKeyParameterName: z.string().optional(),
    tableName: z.string().optional(),
    adoptTable: z.boolean().optional(),
    billingMode: z.enum(["PAY_PER_REQUEST", "PROVISIONED"]).optional(),
    readCapacity: z.number().int().positive().optional(),
    writeCapacity: z.number().int().positive().optional(),
    protectStorage: z.boolean().optional(),
    transactorRoleName: z.string().optional(),
    peerRoleName: z.string().optional(),
    logBucket: z.boolean().optional(),
    logBucketName: z.string().optional(),
    logExpirationDays: z.number().int().positive().optional(),
    memoryIndexThreshold: z.string().optional(),
    memoryIndexMax: z.string().optional(),
    objectCacheMax: z.string().optional(),
    memcached: z.string().optional(),
    writeConcurrency: z.number().int().positive().optional(),
    readConcurrency: z.number().int().positive().optional(),
    heartbeatIntervalMsec: z.number().int().positive().optional(),
    pingPort: z.number().int().positive().optional(),
    pingHost: z.string().optional(),
    altHost: z.string().optional(),
    altHostIsPublicIp: z.boolean().optional(),
    valcachePath: z.string().optional(),
    valcacheMaxGb: z.number().int().positive().optional(),
    extraProperties: z.record(z.string(), z.string()).optional(),
    cloudWatchMetrics: z.boolean().optional(),
    cloudWatchRegion: z.string().optional(),
    cloudWatchDimensionValue: z.string().optional(),
    alarms: z.boolean().optional(),
    alarmTopicArn: z.string().optional(),
    alarmDimensionName: z.string().optional(),
    tags: z.record(z.string(), z.string()).optional(),
    backup: proBackupSchema.optional(),
});

const assumeRolesSchema = z
    .array(
        z.looseObject({
            roleArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "expected an IAM role ARN"),
        }),
    )
    .min(1, "expected at least one role: each stack deploys into its own account through a role");

/** The environment, as typed arguments. */
interface EnvironmentTarget {
    region: string;
    /** The account the stack's role belongs to. */
    accountId: string;
    deployRoleArn: string;
}

/**
 * The environment, as typed arguments: where it deploys, and the Datomic Cloud system or Pro
 * transactor (with its backups, when they are on).
 */
export type EnvironmentConfig = EnvironmentTarget &
    (
        | { flavor: "cloud"; cloud: DatomicCloudSystemArgs; monitoring?: EnvironmentMonitoringArgs }
        | { flavor: "pro"; pro: DatomicTransactorArgs; backup?: EnvironmentBackupArgs }
    );

/** Configuration that cannot be used; the message lists every problem, one per line, each naming its key. */
export class EnvironmentConfigError extends Error {
    constructor(public readonly problems: string[]) {
        super(`Invalid stack configuration:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
        this.name = "EnvironmentConfigError";
    }
}

/**
 * Parses the stack's configuration. `values` maps fully qualified keys
 * (`datomic:cloud`, `aws:region`) to their values, objects already parsed.
 * `secretKeys` are the keys whose value is secret (a `secure:` value anywhere inside
 * makes the whole key secret): the free-form parameter maps they carry stay secret.
 * `problems` are those found while reading the values. `stack` decides whether a pro
 * flavor's backups are on by default (`BACKUP_STACKS` in backupConfig.ts).
 */
export function parseEnvironmentConfig(
    values: Record<string, unknown>,
    secretKeys: string[] = [],
    readProblems: string[] = [],
    stack?: string,
): EnvironmentConfig {
    const problems: string[] = [...readProblems];
    const check = <T>(key: string, schema: z.ZodType<T>, value: unknown): T | undefined => {
        const result = schema.safeParse(value);
        if (!result.success) {
            const secret = secretKeys.includes(key);
            problems.push(...result.error.issues.map((issue) => describeIssue(key, issue, value, secret)));
            return undefined;
        }
        return result.data;
    };

    const flavor = check(CONFIG_KEYS.flavor, z.enum(["cloud", "pro"]).default("cloud"), values[CONFIG_KEYS.flavor]);
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
                cloud = toCloudArgs(parsed, secretKeys.includes(CONFIG_KEYS.cloud));
            }
        }
    }

    const monitoring = monitoringOf(
        values[CONFIG_KEYS.monitoring],
        { flavor, secret: secretKeys.includes(CONFIG_KEYS.monitoring) },
        check,
        problems,
    );

    let pro: DatomicTransactorArgs | undefined;
    let backup: EnvironmentBackupArgs | undefined;
    if (flavor === "pro") {
        const raw = values[CONFIG_KEYS.pro];
        if (raw === undefined) {
            problems.push(`${CONFIG_KEYS.pro}: required when ${CONFIG_KEYS.flavor} is "pro"`);
        } else {
            const parsed = check(CONFIG_KEYS.pro, proSchema, raw);
            if (parsed?.region !== undefined && region !== undefined && parsed.region !== region) {
                problems.push(
                    `${CONFIG_KEYS.pro}.region: "${parsed.region}" differs from ${CONFIG_KEYS.region} "${region}", the region the stack deploys to`,
                );
            }
            if (parsed) {
                const { backup: backupConfig, ...transactor } = parsed;
                // The component then checks that the provider really deploys to the stack's region.
                pro = { ...transactor, region: transactor.region ?? region };
                backup = toBackupArgs(transactor, backupConfig, { key: `${CONFIG_KEYS.pro}.backup`, stack }, problems);
            }
        }
    }
    for (const other of flavor === undefined ? [] : DATOMIC_FLAVORS.filter((f) => f !== flavor)) {
        if (values[CONFIG_KEYS[other]] !== undefined) {
            problems.push(
                `${CONFIG_KEYS[other]}: only applies when ${CONFIG_KEYS.flavor} is "${other}" (it is "${flavor}")`,
            );
        }
    }

    if (problems.length > 0) {
        throw new EnvironmentConfigError(redactSecretValues(problems, values, secretKeys));
    }
    const target = { region: region!, accountId: accountId!, deployRoleArn: deployRoleArn! };
    return flavor === "pro"
        ? { ...target, flavor, pro: pro!, backup }
        : { ...target, flavor: "cloud", cloud: cloud!, monitoring };
}

/**
 * The system's arguments. When the config key is secret, the raw stack parameters, the settings
 * that can carry a secret, are passed as secrets, so the stacks' parameters are secret in the state.
 */
function toCloudArgs(parsed: z.infer<typeof cloudSchema>, secret: boolean): DatomicCloudSystemArgs {
    const { mode, create, ...rest } = parsed;
    if (mode === "adopt") {
        return rest;
    }
    const {
        desiredCapacity,
        minSize,
        maxSize,
        minInstancesInService,
        storageParameters,
        computeParameters,
        ...createRest
    } = create ?? {};
    return {
        ...rest,
        create: {
            ...createRest,
            storageParameters: secretValues(storageParameters, secret),
            computeParameters: secretValues(computeParameters, secret),
            desiredCapacity: numberOrDefault(desiredCapacity),
            minSize: numberOrDefault(minSize),
            maxSize: numberOrDefault(maxSize),
            minInstancesInService: numberOrDefault(minInstancesInService),
        },
    };
}

function secretValues(
    parameters: Record<string, string> | undefined,
    secret: boolean,
): Record<string, pulumi.Input<string>> | undefined {
    if (!parameters || !secret) {
        return parameters;
    }
    return Object.fromEntries(Object.entries(parameters).map(([key, value]) => [key, pulumi.secret(value)]));
}

/** `"Default"` is what the template uses when the parameter is left out. */
function numberOrDefault(value: number | "Default" | undefined): number | undefined {
    return value === "Default" ? undefined : value;
}

function describeIssue(prefix: string, issue: z.core.$ZodIssue, root: unknown, secret: boolean): string {
    const { key, value } = locateIssue(issue, root, prefix);
    const given = secret ? "a secret value, not shown" : JSON.stringify(value);
    const shown = issue.code === "unrecognized_keys" || value === undefined ? "" : ` (got ${given})`;
    return `${key}: ${issueMessage(issue)}${shown}`;
}
