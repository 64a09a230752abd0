/**
 * The body of DatomicMonitoring's CloudWatch dashboard, without Pulumi: an alarm status widget, links to
 * Datomic's own dashboards, and a row of graphs per compute group (nodes, Datomic's request metrics, API
 * gateways, ion Lambdas), then REST APIs and Datomic's tables. Widget and field names follow CloudWatch's
 * dashboard body structure (docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html).
 */
import { dashboardConsoleUrl, datomicDashboardName, DATOMIC_CLOUD_NAMESPACE } from "./settings";

/** A compute group's resolved names. */
export interface DashboardGroup {
    label: string;
    groupName: string;
    autoScalingGroupName: string;
    httpApiIds: string[];
    lambdaFunctionNames: string[];
}

/** Everything the dashboard shows, resolved. */
export interface DashboardContent {
    region: string;
    systemName: string;
    systemDimension: string;
    groupDimension: string;
    alarmArns: string[];
    groups: DashboardGroup[];
    restApis: { apiName: string; stageName: string }[];
    tableNames: string[];
    logAlertsMetric?: { namespace: string; metricName: string };
}

type Metric = (string | Record<string, string>)[];
interface Widget {
    type: string;
    x: number;
    y: number;
    width: number;
    height: number;
    properties: Record<string, unknown>;
}

const FULL = 24;
const THIRD = 8;
const HEIGHT = 6;

/** The dashboard body as CloudWatch's JSON text. */
export function dashboardBody(content: DashboardContent): string {
    const widgets: Widget[] = [];
    let y = 0;
    const row = (height: number, items: { width: number; type: string; properties: Record<string, unknown> }[]) => {
        let x = 0;
        for (const item of items) {
            widgets.push({ ...item, x, y, height });
            x += item.width;
        }
        y += height;
    };
    const graph = (title: string, metrics: Metric[], stat = "Sum") => ({
        width: THIRD,
        type: "metric",
        properties: { title, region: content.region, view: "timeSeries", stat, period: 300, metrics },
    });

    const links = content.groups
        .map((g) => {
            const name = datomicDashboardName(g.groupName, content.region);
            return `- [${name}](${dashboardConsoleUrl(name, content.region)}): Datomic's own dashboard of ${g.groupName}`;
        })
        .join("\n");
    row(HEIGHT, [
        {
            width: 16,
            type: "alarm",
            properties: { title: `Datomic ${content.systemName}: alarms`, alarms: [...content.alarmArns].sort() },
        },
        {
            width: THIRD,
            type: "text",
            properties: { markdown: `## Datomic ${content.systemName}\n${links || "No compute group watched here."}` },
        },
    ]);

    for (const g of content.groups) {
        const datomic = (metric: string): Metric => [
            DATOMIC_CLOUD_NAMESPACE,
            metric,
            content.systemDimension,
            content.systemName,
            content.groupDimension,
            g.groupName,
        ];
        const asg = (metric: string, stat: string): Metric => [
            "AWS/AutoScaling",
            metric,
            "AutoScalingGroupName",
            g.autoScalingGroupName,
            { stat },
        ];
        const apis = g.httpApiIds.flatMap((id): Metric[] => [
            ["AWS/ApiGateway", "5xx", "ApiId", id],
            ["AWS/ApiGateway", "Count", "ApiId", id],
        ]);
        const lambdas = g.lambdaFunctionNames.flatMap((fn): Metric[] => [
            ["AWS/Lambda", "Errors", "FunctionName", fn],
            ["AWS/Lambda", "Throttles", "FunctionName", fn],
            ["AWS/Lambda", "Invocations", "FunctionName", fn],
        ]);
        row(HEIGHT, [
            graph(
                `${g.label}: nodes`,
                [asg("GroupDesiredCapacity", "Maximum"), asg("GroupInServiceInstances", "Minimum")],
                "Maximum",
            ),
            graph(`${g.label}: Datomic requests and alerts`, [
                datomic("Alerts"),
                datomic("HttpEndpointThrottled"),
                datomic("HttpDirectThrottled"),
                datomic("HttpEndpointOpsPending"),
                datomic("HttpDirectOpsPending"),
            ]),
            apis.length > 0 || lambdas.length > 0
                ? graph(`${g.label}: API gateways and ion Lambdas`, [...apis, ...lambdas])
                : graph(`${g.label}: JVM free memory (MB)`, [datomic("JvmFreeMb")], "Minimum"),
        ]);
    }

    const rest = content.restApis.flatMap((api): Metric[] => [
        ["AWS/ApiGateway", "5XXError", "ApiName", api.apiName, "Stage", api.stageName],
        ["AWS/ApiGateway", "Count", "ApiName", api.apiName, "Stage", api.stageName],
    ]);
    const tables = content.tableNames.flatMap((table): Metric[] => [
        ["AWS/DynamoDB", "ReadThrottleEvents", "TableName", table],
        ["AWS/DynamoDB", "WriteThrottleEvents", "TableName", table],
    ]);
    const logAlerts: Metric[] = content.logAlertsMetric
        ? [[content.logAlertsMetric.namespace, content.logAlertsMetric.metricName]]
        : [];
    const tail = [
        ...(rest.length > 0 ? [graph("HTTP Direct REST APIs", rest)] : []),
        ...(tables.length > 0 ? [graph("Datomic's DynamoDB throttling", tables)] : []),
        ...(logAlerts.length > 0 ? [graph('Log entries "Alert - Alerts"', logAlerts)] : []),
    ];
    if (tail.length > 0) {
        row(HEIGHT, tail);
    }
    return JSON.stringify({ widgets: widgets.map((w) => ({ ...w, width: Math.min(w.width, FULL) })) });
}
