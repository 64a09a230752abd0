/**
 * DatomicMonitoring's dashboard: the body (dashboardBody.ts) from the watched targets once their names are
 * known, and its console page.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { MonitoredRestApi } from "./args";
import { dashboardBody, DashboardContent } from "./dashboardBody";
import { dashboardConsoleUrl } from "./settings";
import type { DatomicDimensions, WatchedGroup } from "./targets";

/** What the dashboard shows, as the component has it. */
export interface DashboardTargets {
    systemName: pulumi.Input<string>;
    dimensions: DatomicDimensions;
    alarms: aws.cloudwatch.MetricAlarm[];
    groups: WatchedGroup[];
    restApis: MonitoredRestApi[];
    tableNames: pulumi.Input<string>[];
    logAlertsMetric?: { namespace: string; metricName: pulumi.Input<string> };
}

/** The dashboard, named after the component, and its console page. */
export function createDashboard(
    parent: pulumi.Resource,
    name: string,
    region: pulumi.Output<string>,
    targets: DashboardTargets,
): { dashboardName: pulumi.Output<string>; dashboardUrl: pulumi.Output<string> } {
    const content = pulumi.all({
        region,
        systemName: targets.systemName,
        alarmArns: pulumi.all(targets.alarms.map((alarm) => alarm.arn)),
        groups: pulumi.all(targets.groups.map((group) => pulumi.all({ ...group }))),
        restApis: pulumi.all(
            targets.restApis.map((api) => pulumi.all({ apiName: api.apiName, stageName: api.stageName })),
        ),
        tableNames: pulumi.all(targets.tableNames),
        logAlertsMetric: targets.logAlertsMetric ? pulumi.all(targets.logAlertsMetric) : undefined,
    });
    const dashboard = new aws.cloudwatch.Dashboard(
        `${name}-dashboard`,
        {
            dashboardName: name,
            dashboardBody: content.apply((resolved) =>
                dashboardBody({
                    ...(resolved as unknown as Omit<DashboardContent, keyof DatomicDimensions>),
                    ...targets.dimensions,
                }),
            ),
        },
        { parent },
    );
    return {
        dashboardName: dashboard.dashboardName,
        dashboardUrl: pulumi.all([region, dashboard.dashboardName]).apply(([r, d]) => dashboardConsoleUrl(d, r)),
    };
}
