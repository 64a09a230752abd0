/**
 * `datomic:monitoring`: alarms and a dashboard for the stack's Datomic Cloud system (DatomicMonitoring).
 * The structure is checked with zod; the alarm overrides, email addresses and HTTPS endpoints with the
 * component's own checks, so the config and the component refuse the same values with the same words.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { DatomicMonitoringArgs } from "../components/cloud/monitoring/monitoring";
import {
    alarmOverrideProblems,
    emailSubscriptionProblems,
    httpsSubscriptionProblem,
} from "../components/cloud/monitoring/settings";

/** The config key, fully qualified. */
export const MONITORING_KEY = "datomic:monitoring";

/** The settings under `datomic:monitoring`: DatomicMonitoring's arguments as config values. */
export const monitoringSchema = z.strictObject({
    /** Default true: the key's presence turns monitoring on. */
    enabled: z.boolean().optional(),
    alarmTopicArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:.+$/, "expected an SNS topic ARN")
        .optional(),
    emailSubscriptions: z.array(z.string()).optional(),
    httpsSubscriptions: z.array(z.string()).optional(),
    alarmOverrides: z.record(z.string(), z.unknown()).optional(),
    dashboard: z.boolean().optional(),
    dynamoDbTableNames: z.array(z.string().min(1)).optional(),
    datomicSystemDimension: z.string().min(1).optional(),
    datomicGroupDimension: z.string().min(1).optional(),
    /**
     * alb topology: watch the primary compute group's Client API and ion API gateways. Default true; false when
     * the group runs without them (`ClientAPI` or `Ions` off).
     */
    apiGateways: z.boolean().optional(),
});

/** DatomicMonitoring's arguments from the config; the program adds the system and its primary compute group. */
export type EnvironmentMonitoringArgs = Omit<DatomicMonitoringArgs, "systemName" | "groups" | "watchSystem"> & {
    apiGateways: boolean;
};

/**
 * The monitoring arguments, or `undefined` when `enabled` is false; problems are pushed naming `key`. HTTPS
 * endpoints stay secret when the config key is (a `secure:` value inside), and no message shows them.
 */
export function toMonitoringArgs(
    key: string,
    parsed: z.infer<typeof monitoringSchema>,
    secret: boolean,
    problems: string[],
): EnvironmentMonitoringArgs | undefined {
    const { enabled, httpsSubscriptions, alarmOverrides, apiGateways, ...rest } = parsed;
    problems.push(
        ...[
            ...alarmOverrideProblems(alarmOverrides),
            ...emailSubscriptionProblems(rest.emailSubscriptions),
            ...(httpsSubscriptions ?? []).flatMap((url, i) => httpsSubscriptionProblem(i, url) ?? []),
        ].map((problem) => `${key}.${problem}`),
    );
    if (enabled === false) {
        return undefined;
    }
    return {
        ...rest,
        alarmOverrides: alarmOverrides as DatomicMonitoringArgs["alarmOverrides"],
        httpsSubscriptions: httpsSubscriptions?.map((url) => (secret ? pulumi.secret(url) : url)),
        apiGateways: apiGateways ?? true,
    };
}

/** How the program checks a value against a schema: the parsed value, or `undefined` with the problems noted. */
export type SchemaCheck = <T>(key: string, schema: z.ZodType<T>, value: unknown) => T | undefined;

/**
 * `datomic:monitoring`'s arguments, or `undefined` when the key is absent or `enabled` is false. Only a cloud
 * flavor takes it: a pro transactor has its own alarms.
 */
export function monitoringOf(
    raw: unknown,
    { flavor, secret }: { flavor: string | undefined; secret: boolean },
    check: SchemaCheck,
    problems: string[],
): EnvironmentMonitoringArgs | undefined {
    if (raw === undefined) {
        return undefined;
    }
    if (flavor === "pro") {
        problems.push(
            `${MONITORING_KEY}: only applies when datomic:flavor is "cloud" (the transactor has its own alarms: datomic:pro.alarms)`,
        );
        return undefined;
    }
    const parsed = check(MONITORING_KEY, monitoringSchema, raw);
    return parsed ? toMonitoringArgs(MONITORING_KEY, parsed, secret, problems) : undefined;
}
