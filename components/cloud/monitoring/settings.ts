/**
 * DatomicMonitoring's alarm table and checks, without Pulumi: what each alarm watches, its default
 * threshold, and how it reads missing data, each with the source of its metric and dimension names.
 *
 * "No alarm fires on a healthy, idle system": every metric below is published only when something
 * happens (a request, an invocation, a throttle, an alert), so an idle system has no data at all. Those
 * alarms treat missing data as `notBreaching`. The one exception is the nodes alarm, whose metrics
 * always exist once collection is on: there, missing data means collection is off, not an outage, and
 * the alarm stays INSUFFICIENT_DATA (`missing`) instead of paging.
 */

/** The namespace of Datomic Cloud's own metrics (docs.datomic.com/operation/monitoring-cloud.html, "Metrics"). */
export const DATOMIC_CLOUD_NAMESPACE = "DatomicCloud";

/**
 * The dimension names of Datomic Cloud's metrics. Datomic's docs say only "Dimensions are your system name
 * and your compute stack name" (operation/monitoring-cloud.html): the names themselves are *unconfirmed*
 * (docs/unconfirmed-defaults.md), so both are arguments.
 */
export const DEFAULT_DATOMIC_SYSTEM_DIMENSION = "SystemName";
/** See {@link DEFAULT_DATOMIC_SYSTEM_DIMENSION}. */
export const DEFAULT_DATOMIC_GROUP_DIMENSION = "ComputeGroup";

/**
 * The log search Datomic documents for its alerts: "Alert" matches each alert, "- Alerts" drops the summary
 * messages (operation/monitoring-cloud.html, "Finding Alerts"). CloudWatch Logs filter syntax: terms match
 * words, `-term` excludes (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
 */
export const DATOMIC_ALERT_LOG_PATTERN = "Alert - Alerts";

/** Datomic's log group: `datomic-<system>` (operation/monitoring-cloud.html, "Searching CloudWatch Logs"). */
export function datomicLogGroupName(systemName: string): string {
    return `datomic-${systemName}`;
}

/**
 * Datomic's DynamoDB table: `datomic-<system>` (operation/storage-template.html, operation/deleting.html: the
 * data a deleted storage stack leaves). Its catalog table's name is not documented; add it with
 * `dynamoDbTableNames`.
 */
export function datomicTableName(systemName: string): string {
    return `datomic-${systemName}`;
}

/**
 * The dashboard Datomic builds for each compute group: "a dashboard named `datomic-(name)-(region)`"
 * (operation/monitoring-cloud.html, "Datomic Cloud Dashboards"). That `(name)` is the group's (stack) name
 * is *unconfirmed*.
 */
export function datomicDashboardName(groupName: string, region: string): string {
    return `datomic-${groupName}-${region}`;
}

/** The console page of a CloudWatch dashboard (the `#dashboards:name=` form public modules link to). */
export function dashboardConsoleUrl(dashboardName: string, region: string): string {
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${encodeURIComponent(dashboardName)}`;
}

/** How an alarm reads a period without data (CloudWatch's `TreatMissingData`). */
export type MissingData = "notBreaching" | "missing" | "breaching" | "ignore";

/** The alarms DatomicMonitoring can create, by the key overrides use. */
export const ALARM_KEYS = [
    "datomicAlerts",
    "logAlerts",
    "unhealthyNodes",
    "clientApiThrottled",
    "ionApiThrottled",
    "api5xx",
    "apiLatency",
    "lambdaErrors",
    "lambdaThrottles",
    "dynamoDbReadThrottles",
    "dynamoDbWriteThrottles",
] as const;

/** One of {@link ALARM_KEYS}. */
export type AlarmKey = (typeof ALARM_KEYS)[number];

/** An alarm's rule: what crosses the threshold, for how long, and what missing data means. */
export interface AlarmRule {
    /** What the alarm means, for its description and the docs. */
    meaning: string;
    /** The statistic over each period: `Sum`, `Maximum`, or a percentile such as `p99`. */
    statistic: string;
    /** The length of one period, in seconds. */
    periodSeconds: number;
    /** How many consecutive periods must breach before the alarm fires. */
    evaluationPeriods: number;
    /** How the statistic compares with the threshold. */
    comparison: "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold";
    /** The threshold, in the metric's unit (a count, or milliseconds for latency). */
    threshold: number;
    /** What a period without data counts as. */
    treatMissingData: MissingData;
    /** Why missing data is read that way. */
    missingDataReason: string;
}

const IDLE = "published only when it happens: an idle system has no data, and no data is healthy";

/**
 * The default rule of every alarm. Thresholds: any alert or Lambda error pages; throttling and 5XX
 * answers page past a few per five minutes (a retried burst is normal); latency pages on a sustained p99.
 */
export const ALARM_RULES: Record<AlarmKey, AlarmRule> = {
    datomicAlerts: {
        meaning: "Datomic wrote alerts to its log (metric Alerts)",
        statistic: "Sum",
        periodSeconds: 300,
        evaluationPeriods: 1,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        treatMissingData: "notBreaching",
        missingDataReason: `Alerts is ${IDLE}; a group with MetricsLevel none publishes nothing (the log alarm still watches it)`,
    },
    logAlerts: {
        meaning: `Datomic's log has entries matching "${DATOMIC_ALERT_LOG_PATTERN}"`,
        statistic: "Sum",
        periodSeconds: 300,
        evaluationPeriods: 1,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        treatMissingData: "notBreaching",
        missingDataReason: "the metric filter publishes only when a log entry matches (it has no default value)",
    },
    unhealthyNodes: {
        meaning: "fewer nodes in service than the group's desired capacity, for 10 minutes",
        statistic: "Maximum",
        periodSeconds: 60,
        evaluationPeriods: 10,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        treatMissingData: "missing",
        missingDataReason:
            "Auto Scaling publishes group metrics every minute once collection is on, so no data means collection is off, not an outage: the alarm stays INSUFFICIENT_DATA rather than paging",
    },
    clientApiThrottled: {
        meaning: "the group rejected client requests as too busy (metric HttpEndpointThrottled)",
        statistic: "Sum",
        periodSeconds: 300,
        evaluationPeriods: 1,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 10,
        treatMissingData: "notBreaching",
        missingDataReason: `HttpEndpointThrottled is ${IDLE}`,
    },
    ionApiThrottled: {
        meaning: "the group rejected HTTP Direct requests as too busy (metric HttpDirectThrottled)",
        statistic: "Sum",
        periodSeconds: 300,
        evaluationPeriods: 1,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 10,
        treatMissingData: "notBreaching",
        missingDataReason: `HttpDirectThrottled is ${IDLE}`,
    },
    api5xx: {
        meaning: "the API Gateway answered with 5XX errors",
        statistic: "Sum",
        periodSeconds: 300,
        evaluationPeriods: 1,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 5,
        treatMissingData: "notBreaching",
        missingDataReason: "API Gateway publishes request metrics only for periods with requests",
    },
    apiLatency: {
        meaning: "the API Gateway's p99 latency stayed above the threshold (milliseconds) for 15 minutes",
        statistic: "p99",
        periodSeconds: 300,
        evaluationPeriods: 3,
        comparison: "GreaterThanThreshold",
        threshold: 5000,
        treatMissingData: "notBreaching",
        missingDataReason: "API Gateway publishes Latency only for periods with requests",
    },
    lambdaErrors: {
        meaning: "an ion Lambda's invocations failed (metric Errors)",
        statistic: "Sum",
        periodSeconds: 300,
        evaluationPeriods: 1,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        treatMissingData: "notBreaching",
        missingDataReason: "Lambda publishes invocation metrics only when the function is invoked",
    },
    lambdaThrottles: {
        meaning: "an ion Lambda's invocations were throttled (metric Throttles)",
        statistic: "Sum",
        periodSeconds: 300,
        evaluationPeriods: 1,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        treatMissingData: "notBreaching",
        missingDataReason: "Lambda publishes invocation metrics only when the function is invoked",
    },
    dynamoDbReadThrottles: {
        meaning: "DynamoDB throttled reads of Datomic's table, for 10 minutes",
        statistic: "Sum",
        periodSeconds: 300,
        evaluationPeriods: 2,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 25,
        treatMissingData: "notBreaching",
        missingDataReason: `ReadThrottleEvents is ${IDLE}`,
    },
    dynamoDbWriteThrottles: {
        meaning: "DynamoDB throttled writes to Datomic's table, for 10 minutes",
        statistic: "Sum",
        periodSeconds: 300,
        evaluationPeriods: 2,
        comparison: "GreaterThanOrEqualToThreshold",
        threshold: 25,
        treatMissingData: "notBreaching",
        missingDataReason: `WriteThrottleEvents is ${IDLE}`,
    },
};

/** A change to one alarm's default rule (`AlarmOverride`, as plain values). */
interface AlarmOverrideValues {
    threshold?: number;
    evaluationPeriods?: number;
    enabled?: boolean;
}

/** The rule of every alarm after `overrides`, and whether it is on. */
export function resolveAlarmRules(
    overrides: Record<string, AlarmOverrideValues> = {},
): Record<AlarmKey, AlarmRule & { enabled: boolean }> {
    return Object.fromEntries(
        ALARM_KEYS.map((key) => {
            const override = overrides[key] ?? {};
            const rule = ALARM_RULES[key];
            return [
                key,
                {
                    ...rule,
                    threshold: override.threshold ?? rule.threshold,
                    evaluationPeriods: override.evaluationPeriods ?? rule.evaluationPeriods,
                    enabled: override.enabled ?? true,
                },
            ];
        }),
    ) as Record<AlarmKey, AlarmRule & { enabled: boolean }>;
}

const OVERRIDE_FIELDS = ["threshold", "evaluationPeriods", "enabled"];

/**
 * Every problem with `alarmOverrides`, each naming the key as written: an alarm that does not exist, a
 * field that is not one, a threshold that is not a number greater than 0 (every alarm counts events or
 * milliseconds, so 0 or less would fire on an idle system or never), evaluation periods that are not a
 * whole number from 1 to 1440 periods of a day at most (CloudWatch's 24-hour limit).
 */
export function alarmOverrideProblems(overrides: Record<string, unknown> | undefined): string[] {
    const problems: string[] = [];
    for (const [key, value] of Object.entries(overrides ?? {})) {
        const at = `alarmOverrides.${key}`;
        if (!(ALARM_KEYS as readonly string[]).includes(key)) {
            problems.push(`${at}: not an alarm of DatomicMonitoring; expected one of ${ALARM_KEYS.join(", ")}`);
            continue;
        }
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
            problems.push(
                `${at}: expected an object with ${OVERRIDE_FIELDS.join(", ")} (got ${JSON.stringify(value)})`,
            );
            continue;
        }
        const fields = value as Record<string, unknown>;
        for (const field of Object.keys(fields).filter((f) => !OVERRIDE_FIELDS.includes(f))) {
            problems.push(`${at}.${field}: not a setting of an alarm; expected ${OVERRIDE_FIELDS.join(", ")}`);
        }
        const { threshold, evaluationPeriods, enabled } = fields;
        if (
            threshold !== undefined &&
            !(typeof threshold === "number" && Number.isFinite(threshold) && threshold > 0)
        ) {
            problems.push(
                `${at}.threshold: ${JSON.stringify(threshold)} is not allowed; expected a number greater than 0 (the ${key} alarm fires at ${describeComparison(ALARM_RULES[key as AlarmKey])})`,
            );
        }
        const maxPeriods = Math.floor(86400 / ALARM_RULES[key as AlarmKey].periodSeconds);
        if (
            evaluationPeriods !== undefined &&
            !(
                Number.isInteger(evaluationPeriods) &&
                (evaluationPeriods as number) >= 1 &&
                (evaluationPeriods as number) <= maxPeriods
            )
        ) {
            problems.push(
                `${at}.evaluationPeriods: ${JSON.stringify(evaluationPeriods)} is not allowed; expected a whole number from 1 to ${maxPeriods} (CloudWatch evaluates at most 24 hours)`,
            );
        }
        if (enabled !== undefined && typeof enabled !== "boolean") {
            problems.push(`${at}.enabled: expected true or false (got ${JSON.stringify(enabled)})`);
        }
    }
    return problems;
}

function describeComparison(rule: AlarmRule): string {
    return `${rule.statistic} ${rule.comparison === "GreaterThanThreshold" ? ">" : ">="} threshold`;
}

/**
 * An email address SNS can deliver to: one `@`, a local part without spaces, a domain with a dot. A
 * deliberately plain rule: it refuses typos such as `ops@acme` or `ops acme.com` at preview, while SNS's
 * confirmation email is the real test.
 */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

/** Problems with `emailSubscriptions`, each naming the entry and its value. */
export function emailSubscriptionProblems(emails: readonly unknown[] | undefined): string[] {
    return (emails ?? []).flatMap((email, i) =>
        typeof email === "string" && EMAIL.test(email)
            ? []
            : [`emailSubscriptions[${i}]: ${JSON.stringify(email)} is not an email address; expected name@domain.tld`],
    );
}

/**
 * The problem with one `httpsSubscriptions` entry, or `undefined`. The endpoint may carry a token (PagerDuty,
 * Opsgenie and Slack webhooks do), so the message never shows it.
 */
export function httpsSubscriptionProblem(index: number, endpoint: unknown): string | undefined {
    let url: URL | undefined;
    try {
        url = typeof endpoint === "string" ? new URL(endpoint) : undefined;
    } catch {
        url = undefined;
    }
    return url?.protocol === "https:"
        ? undefined
        : `httpsSubscriptions[${index}]: not an https:// URL (the value is not shown: it may carry a token)`;
}

/** A plain label used in resource and alarm names: letters, digits and hyphens. */
export function labelProblem(argument: string, label: unknown): string | undefined {
    return typeof label === "string" && /^[A-Za-z0-9][A-Za-z0-9-]{0,39}$/.test(label)
        ? undefined
        : `${argument}: ${JSON.stringify(label)} is not a label; expected 1 to 40 letters, digits and hyphens, such as primary or orders`;
}

/** The first thing to check when an alarm fires (also in docs/monitoring.md and each alarm's description). */
export const FIRST_CHECKS: Record<AlarmKey, string> = {
    datomicAlerts: `search the log group datomic-<system> for "${DATOMIC_ALERT_LOG_PATTERN}" over the alarm's window`,
    logAlerts: `search the log group datomic-<system> for "${DATOMIC_ALERT_LOG_PATTERN}" over the alarm's window`,
    unhealthyNodes: "the Auto Scaling group's Activity tab: instances failing health checks or failing to launch",
    clientApiThrottled: "the group's HttpEndpointOpsPending and CPU on Datomic's dashboard; add nodes or a query group",
    ionApiThrottled: "the group's HttpDirectOpsPending and CPU on Datomic's dashboard; add nodes to the query group",
    api5xx: "the group's log (datomic-<system>) for ion exceptions, then whether its nodes are in service",
    apiLatency: "IntegrationLatency on the dashboard: if it is as high, the ions or queries are slow, not the gateway",
    lambdaErrors: "the Lambda's log group /aws/lambda/<function> for the failing invocations",
    lambdaThrottles: "the account's Lambda concurrency (ConcurrentExecutions) and the function's reserved concurrency",
    dynamoDbReadThrottles: "the table's capacity mode and consumed read capacity on Datomic's dashboard",
    dynamoDbWriteThrottles: "the table's capacity mode and consumed write capacity; a bulk import in progress",
};
