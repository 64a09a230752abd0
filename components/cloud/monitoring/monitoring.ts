/**
 * DatomicMonitoring: CloudWatch alarms a team can page on, and a dashboard, for a Datomic Cloud system and
 * the compute groups of a service. Datomic publishes metrics and logs and builds its own dashboards
 * (docs.datomic.com/operation/monitoring-cloud.html) but no alarm; this component adds them. Its parts sit
 * beside it: the alarm table and checks (settings.ts), the alarms of each target (targets.ts, alarms.ts),
 * the topic (topic.ts) and the dashboard body (dashboardBody.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DatomicMonitoringArgs } from "./args";
import { createDashboard } from "./dashboard";
import {
    alarmOverrideProblems,
    dashboardConsoleUrl,
    datomicDashboardName,
    datomicTableName,
    DEFAULT_DATOMIC_GROUP_DIMENSION,
    DEFAULT_DATOMIC_SYSTEM_DIMENSION,
    emailSubscriptionProblems,
    httpsSubscriptionProblem,
    labelProblem,
    resolveAlarmRules,
} from "./settings";
import { groupAlarms, logAlertsMetric, restApiAlarms, systemAlarms, WatchedGroup } from "./targets";
import { alarmTopic } from "./topic";

export type { AlarmOverride, DatomicMonitoringArgs, MonitoredComputeGroup, MonitoredRestApi } from "./args";

/**
 * Alarms on what Datomic documents as needing attention (its `Alerts` metric and log alerts, unhealthy nodes,
 * API gateway errors, latency and throttling, ion Lambda errors and throttles, DynamoDB throttling), sent to an
 * SNS topic, and a dashboard beside Datomic's own. No alarm fires on a healthy, idle system; docs/monitoring.md
 * lists each alarm, what it means and the first thing to check.
 *
 * @example Page on a service's query group
 * ```ts
 * const monitoring = new DatomicMonitoring("orders-monitoring", {
 *     systemName: datomic.systemName,
 *     watchSystem: false,
 *     groups: [{
 *         label: "orders",
 *         groupName: group.stackName,
 *         autoScalingGroupName: group.autoScalingGroupName,
 *         ionApiGatewayEndpoint: group.ionApiGatewayEndpoint,
 *         ionLambdaNames: ["order-count"],
 *     }],
 *     emailSubscriptions: ["orders-oncall@acme.com"],
 *     alarmOverrides: { apiLatency: { threshold: 2000 } },
 * });
 * export const dashboard = monitoring.dashboardUrl;
 * ```
 */
export class DatomicMonitoring extends pulumi.ComponentResource {
    /** The SNS topic the alarms notify (given or created). */
    public readonly alarmTopicArn: pulumi.Output<string>;
    /** The names of every alarm created. */
    public readonly alarmNames: pulumi.Output<string[]>;
    /** The dashboard's name (`undefined` with `dashboard: false`). */
    public readonly dashboardName: pulumi.Output<string | undefined>;
    /** The dashboard's page in the console (`undefined` with `dashboard: false`). */
    public readonly dashboardUrl: pulumi.Output<string | undefined>;
    /** The dashboards Datomic builds for the watched groups, `datomic-<group>-<region>`. */
    public readonly datomicDashboardNames: pulumi.Output<string[]>;
    /** The console pages of `datomicDashboardNames`. */
    public readonly datomicDashboardUrls: pulumi.Output<string[]>;

    constructor(name: string, args: DatomicMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("datomic:cloud:Monitoring", name, {}, opts);
        this.check(args);

        const tags = args.tags ?? {};
        const topicArn = alarmTopic({ name, parent: this, tags }, args);
        const scope = { name, parent: this, tags, topicArn, rules: resolveAlarmRules(args.alarmOverrides) };
        const dimensions = {
            systemDimension: args.datomicSystemDimension ?? DEFAULT_DATOMIC_SYSTEM_DIMENSION,
            groupDimension: args.datomicGroupDimension ?? DEFAULT_DATOMIC_GROUP_DIMENSION,
        };
        const watchSystem = args.watchSystem ?? true;
        const tableNames = watchSystem
            ? (args.dynamoDbTableNames ?? [pulumi.output(args.systemName).apply(datomicTableName)])
            : [];

        const alarms = watchSystem ? systemAlarms(scope, args.systemName, tableNames, opts?.dependsOn) : [];
        const watchedGroups: WatchedGroup[] = [];
        (args.groups ?? []).forEach((group, i) => {
            const made = groupAlarms(scope, args.systemName, dimensions, group, i);
            alarms.push(...made.alarms);
            watchedGroups.push(made.watched);
        });
        for (const api of args.restApis ?? []) {
            alarms.push(...restApiAlarms(scope, api));
        }

        const region = aws.getRegionOutput({}, { parent: this }).region;
        this.alarmTopicArn = topicArn;
        this.alarmNames = pulumi.all(alarms.map((alarm) => alarm.name));
        this.datomicDashboardNames = pulumi
            .all([region, pulumi.all(watchedGroups.map((g) => g.groupName))])
            .apply(([r, groups]) => groups.map((group) => datomicDashboardName(group, r)));
        this.datomicDashboardUrls = pulumi
            .all([region, this.datomicDashboardNames])
            .apply(([r, names]) => names.map((dashboard) => dashboardConsoleUrl(dashboard, r)));

        const dashboard =
            (args.dashboard ?? true)
                ? createDashboard(this, name, region, {
                      systemName: args.systemName,
                      dimensions,
                      alarms,
                      groups: watchedGroups,
                      restApis: args.restApis ?? [],
                      tableNames,
                      logAlertsMetric: watchSystem ? logAlertsMetric(args.systemName) : undefined,
                  })
                : undefined;
        this.dashboardName = pulumi.output(dashboard?.dashboardName);
        this.dashboardUrl = pulumi.output(dashboard?.dashboardUrl);

        this.registerOutputs({
            alarmTopicArn: this.alarmTopicArn,
            alarmNames: this.alarmNames,
            dashboardName: this.dashboardName,
            dashboardUrl: this.dashboardUrl,
            datomicDashboardNames: this.datomicDashboardNames,
            datomicDashboardUrls: this.datomicDashboardUrls,
        });
    }

    /** Every problem with the plain arguments, reported together against the component. */
    private check(args: DatomicMonitoringArgs): void {
        const problems = [
            ...alarmOverrideProblems(args.alarmOverrides as Record<string, unknown> | undefined),
            ...emailSubscriptionProblems(args.emailSubscriptions),
            ...(args.httpsSubscriptions ?? []).flatMap((endpoint, i) =>
                typeof endpoint === "string" ? (httpsSubscriptionProblem(i, endpoint) ?? []) : [],
            ),
            ...(args.groups ?? []).flatMap((group, i) => labelProblem(`groups[${i}].label`, group.label) ?? []),
            ...(args.restApis ?? []).flatMap((api, i) => labelProblem(`restApis[${i}].label`, api.label) ?? []),
        ];
        const labels = [...(args.groups ?? []), ...(args.restApis ?? [])].map((target) => target.label);
        const repeated = labels.filter((label, i) => labels.indexOf(label) !== i);
        if (repeated.length > 0) {
            problems.push(
                `groups, restApis: the labels ${[...new Set(repeated)].join(", ")} are used twice; each names its alarms, so each must be unique`,
            );
        }
        if (problems.length > 0) {
            throw new pulumi.ResourceError(problems.join("\n"), this);
        }
    }
}
