/**
 * The service's configuration (`orders:*` in Pulumi.<stack>.yaml), read and
 * checked once: every problem is reported together, each naming its key.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

const awsId = (prefix: string) =>
    z.string().regex(new RegExp(`^${prefix}-[0-9a-f]{8,17}$`), `expected an id such as ${prefix}-0a1b2c3d4e5f60001`);

const networkSchema = z.strictObject({
    /** The service's VPC, built by the platform team's network stack. */
    vpcId: awsId("vpc"),
    vpcCidrBlock: z.cidrv4(),
    /** Private subnets for the Lambda function, Redis and the Datomic client endpoint. */
    subnetIds: z.array(awsId("subnet")).min(2, "expected at least two subnets, in two availability zones"),
    /** The route tables of those subnets: each gets a route to the Datomic VPC. */
    routeTableIds: z.array(awsId("rtb")).min(1),
});

const capacity = z.number().int().nonnegative().optional();

const queryGroupSchema = z.strictObject({
    instanceType: z.string().default("t3.large"),
    desiredCapacity: capacity,
    minSize: capacity,
    maxSize: capacity,
    /** The Datomic Cloud release of the system the group joins (`<revision>-<build>`). */
    templateVersion: z.string().optional(),
    /** The query-group template, for releases whose templates are not at the default location. */
    templateUrl: z.url().optional(),
});

const serviceSchema = z.strictObject({
    /** The environment stack, `<organization>/datomic/<stack>`. */
    environment: z.string().regex(/^[^/\s]+\/[^/\s]+\/[^/\s]+$/, "expected <organization>/<project>/<stack>"),
    databaseName: z.string().regex(/^[a-z][a-z0-9-]*$/, "expected a lowercase database name such as orders"),
    /**
     * Feature-branch stacks: a suffix gives this stack its own query group (`orders-<suffix>`) and ion
     * deployment; Redis and the report function stay with the main stack.
     */
    suffix: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, "expected letters, digits and hyphens, such as alice or login-page")
        .optional(),
    /** With `suffix`: the main stack of the environment (`<organization>/orders/<stack>`), whose Redis it shares. */
    mainStack: z
        .string()
        .regex(/^[^/\s]+\/[^/\s]+\/[^/\s]+$/, "expected <organization>/<project>/<stack>")
        .optional(),
    /**
     * A role in the Datomic account, when the service runs in another account: the query group, its ion
     * deployment and HTTP Direct must be in the account of the system they join.
     */
    datomicAccountRoleArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "expected an IAM role ARN")
        .optional(),
    /** The AWS profile ion-dev pushes and deploys with, on machines that use profiles. */
    ionCredsProfile: z.string().optional(),
    network: networkSchema.optional(),
    queryGroup: queryGroupSchema.default({ instanceType: "t3.large" }),
    redis: z
        .strictObject({
            nodeType: z.string().default("cache.t4g.small"),
            /** Nodes in the replication group; two or more fail over automatically. */
            nodes: z.number().int().min(1).max(6).default(1),
        })
        .default({ nodeType: "cache.t4g.small", nodes: 1 }),
    /** The report function's EventBridge schedule. */
    reportSchedule: z.string().default("cron(0 6 * * ? *)"),
    /** Alarms on the query group, its HTTP entry and ion Lambdas (main stacks only; docs/monitoring.md). */
    monitoring: z
        .strictObject({
            emailSubscriptions: z.array(z.email("expected an email address such as orders-oncall@acme.com")).optional(),
            /** Changes to DatomicMonitoring's defaults, by alarm (checked by the component). */
            alarmOverrides: z
                .record(
                    z.string(),
                    z.strictObject({
                        threshold: z.number().optional(),
                        evaluationPeriods: z.number().int().optional(),
                        enabled: z.boolean().optional(),
                    }),
                )
                .optional(),
        })
        .optional(),
    /** nlb topology: HTTP Direct's API Gateway throttling. */
    api: z
        .strictObject({
            throttlingRateLimit: z.number().positive().optional(),
            throttlingBurstLimit: z.number().int().positive().optional(),
        })
        .optional(),
});

/** The service's settings, checked. */
export type ServiceConfig = z.infer<typeof serviceSchema>;

/** Settings the service cannot be built with; the message lists every problem, one per line. */
export class ServiceConfigError extends Error {
    constructor(public readonly problems: string[]) {
        super(
            `Invalid configuration of the orders service:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`,
        );
        this.name = "ServiceConfigError";
    }
}

/** Reads `orders:*` from the stack's config. */
export function readServiceConfig(): ServiceConfig {
    const namespace = pulumi.getProject();
    const raw: Record<string, unknown> = {};
    // Every key of the namespace, so that a misspelt one is reported rather than ignored.
    for (const [key, text] of Object.entries(pulumi.runtime.allConfig())) {
        if (key.startsWith(`${namespace}:`)) {
            raw[key.slice(namespace.length + 1)] = /^\s*[[{]/.test(text) ? JSON.parse(text) : text;
        }
    }
    return parseServiceConfig(raw, namespace);
}

/** Checks the settings; `namespace` prefixes the keys in messages (`orders:network.vpcId: ...`). */
export function parseServiceConfig(raw: Record<string, unknown>, namespace = "orders"): ServiceConfig {
    const problems: string[] = [];
    const parsed = serviceSchema.safeParse(raw);
    if (!parsed.success) {
        problems.push(...parsed.error.issues.map((issue) => describeIssue(namespace, issue, raw)));
    }
    const values = parsed.data;
    if (values) {
        if (values.suffix === undefined && values.network === undefined) {
            problems.push(`${namespace}:network: required: the VPC where Redis and the report function run`);
        }
        if (values.suffix !== undefined && values.mainStack === undefined) {
            problems.push(
                `${namespace}:mainStack: required with ${namespace}:suffix: the stack (such as acme/orders/dev) whose Redis this feature-branch stack shares`,
            );
        }
        if (values.suffix === undefined && values.mainStack !== undefined) {
            problems.push(`${namespace}:mainStack: only applies to feature-branch stacks, with ${namespace}:suffix`);
        }
    }
    if (problems.length > 0) {
        throw new ServiceConfigError(problems);
    }
    return values!;
}

function describeIssue(namespace: string, issue: z.core.$ZodIssue, root: unknown): string {
    const [first, ...rest] = issue.path;
    const key =
        first === undefined
            ? `${namespace}`
            : rest.reduce<string>(
                  (text, part) => (typeof part === "number" ? `${text}[${part}]` : `${text}.${String(part)}`),
                  `${namespace}:${String(first)}`,
              );
    const value = issue.path.reduce<unknown>(
        (node, part) =>
            node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[part] : undefined,
        root,
    );
    const unrecognized = issue.code === "unrecognized_keys" ? `: ${issue.keys.join(", ")}` : "";
    const shown = unrecognized || value === undefined ? "" : ` (got ${JSON.stringify(value)})`;
    return `${key}: ${issue.message.replace(/^Invalid input: /, "")}${unrecognized}${shown}`;
}
