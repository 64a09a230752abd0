/**
 * The alarms of each thing DatomicMonitoring watches: the system (its log alerts and DynamoDB tables), each
 * compute group (Datomic's metrics, its nodes, its API gateways, its ion Lambdas) and each REST API in front
 * of HTTP Direct. Each function returns the alarms it made, and what the dashboard shows of the target.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseApiGatewayEndpoint } from "../../internal/apiGateway";
import type { MonitoredComputeGroup, MonitoredRestApi } from "./args";
import { AlarmScope, datomicGroupMetric, metricAlarm, unhealthyNodesAlarm } from "./alarms";
import { DATOMIC_ALERT_LOG_PATTERN, datomicLogGroupName } from "./settings";

/** The dimension names of Datomic's own metrics. */
export interface DatomicDimensions {
    systemDimension: string;
    groupDimension: string;
}

/** What a compute group's alarms watch, resolved, for the dashboard. */
export interface WatchedGroup {
    label: string;
    groupName: pulumi.Output<string>;
    autoScalingGroupName: pulumi.Output<string>;
    httpApiIds: pulumi.Output<string>[];
    lambdaFunctionNames: pulumi.Output<string>[];
}

type Alarms = aws.cloudwatch.MetricAlarm[];
const made = (...alarms: (aws.cloudwatch.MetricAlarm | undefined)[]): Alarms =>
    alarms.filter((alarm): alarm is aws.cloudwatch.MetricAlarm => alarm !== undefined);

/** The namespace and name of the metric the log alerts filter publishes. */
export function logAlertsMetric(systemName: pulumi.Input<string>) {
    return { namespace: "DatomicMonitoring", metricName: pulumi.interpolate`${systemName}-LogAlerts` };
}

/**
 * The log alerts filter and its alarm, and the table throttling alarms. The filter needs Datomic's log group:
 * it waits for `dependsOn` (the component's, such as the system creating the storage stack).
 */
export function systemAlarms(
    scope: AlarmScope,
    systemName: pulumi.Input<string>,
    tableNames: pulumi.Input<string>[],
    dependsOn: pulumi.ComponentResourceOptions["dependsOn"],
): Alarms {
    const { name, parent } = scope;
    const metric = logAlertsMetric(systemName);
    // No default value: the filter publishes only when an entry matches, so an idle log has no data.
    const filter = new aws.cloudwatch.LogMetricFilter(
        `${name}-log-alerts`,
        {
            name: pulumi.interpolate`${systemName}-datomic-alerts`,
            logGroupName: pulumi.output(systemName).apply(datomicLogGroupName),
            pattern: DATOMIC_ALERT_LOG_PATTERN,
            metricTransformation: { namespace: metric.namespace, name: metric.metricName, value: "1" },
        },
        { parent, dependsOn },
    );
    const logAlarm = metricAlarm(
        scope,
        "logAlerts",
        "system",
        { ...metric, metricName: filter.metricTransformation.name, dimensions: {} },
        pulumi.interpolate`Datomic system ${systemName}`,
    );
    const tableAlarms = tableNames.flatMap((table, i) => {
        const label = tableNames.length === 1 ? "table" : `table-${i}`;
        const what = pulumi.interpolate`DynamoDB table ${table}`;
        const dimensions = { TableName: table };
        return made(
            metricAlarm(
                scope,
                "dynamoDbReadThrottles",
                label,
                { namespace: "AWS/DynamoDB", metricName: "ReadThrottleEvents", dimensions },
                what,
            ),
            metricAlarm(
                scope,
                "dynamoDbWriteThrottles",
                label,
                { namespace: "AWS/DynamoDB", metricName: "WriteThrottleEvents", dimensions },
                what,
            ),
        );
    });
    return [...made(logAlarm), ...tableAlarms];
}

/**
 * A value that must be there once known: `argument` names the setting in the error otherwise. Plain values
 * are checked by the component at construction.
 */
function required(
    parent: pulumi.Resource,
    input: pulumi.Input<string | undefined>,
    argument: string,
    why: string,
): pulumi.Output<string> {
    return pulumi.output(input).apply((value) => {
        if (value === undefined || value === "") {
            throw new pulumi.ResourceError(`${argument}: ${why}`, parent);
        }
        return value;
    });
}

/**
 * The group's Auto Scaling group: given, or found by CloudFormation's stack-name tag once the stack exists
 * (no stack output names it; DATOMIC-FACTS.md).
 */
function autoScalingGroupOf(
    parent: pulumi.Resource,
    group: MonitoredComputeGroup,
    argument: string,
): pulumi.Output<string> {
    if (group.autoScalingGroupName !== undefined) {
        return required(
            parent,
            group.autoScalingGroupName,
            `${argument}.autoScalingGroupName`,
            "the group has no Auto Scaling group yet",
        );
    }
    const found = pulumi
        .all([group.groupName, group.stackId])
        .apply(([stackName]) =>
            aws.autoscaling
                .getAmiIdsOutput(
                    { filters: [{ name: "tag:aws:cloudformation:stack-name", values: [stackName] }] },
                    { parent },
                )
                .names.apply((names) => names[0] as string | undefined),
        );
    return required(
        parent,
        found,
        `${argument}.groupName`,
        "no Auto Scaling group carries the tag aws:cloudformation:stack-name of this group; check the name, or pass autoScalingGroupName",
    );
}

/** The HTTP API id in a group's gateway endpoint output. */
function httpApiId(
    parent: pulumi.Resource,
    endpoint: pulumi.Input<string | undefined>,
    argument: string,
): pulumi.Output<string> {
    return required(
        parent,
        endpoint,
        argument,
        "the group has no such output (nlb releases have none): leave it out",
    ).apply((text) => {
        const parsed = parseApiGatewayEndpoint(text);
        if ("problem" in parsed) {
            throw new pulumi.ResourceError(`${argument}: ${parsed.problem}`, parent);
        }
        return parsed.apiId;
    });
}

/** Every alarm of one compute group. */
export function groupAlarms(
    scope: AlarmScope,
    systemName: pulumi.Input<string>,
    dimensions: DatomicDimensions,
    group: MonitoredComputeGroup,
    index: number,
): { alarms: Alarms; watched: WatchedGroup } {
    const { parent } = scope;
    const argument = `groups[${index}]`;
    const label = group.label;
    const groupName = pulumi.output(group.groupName);
    const what = pulumi.interpolate`Datomic compute group ${groupName}`;
    const datomic = (metricName: string) => datomicGroupMetric(metricName, dimensions, systemName, groupName);
    const autoScalingGroupName = autoScalingGroupOf(parent, group, argument);
    const alarms = made(
        metricAlarm(scope, "datomicAlerts", label, datomic("Alerts"), what),
        unhealthyNodesAlarm(scope, label, autoScalingGroupName, what),
        metricAlarm(scope, "clientApiThrottled", label, datomic("HttpEndpointThrottled"), what),
    );
    const serveHttpDirect = group.httpDirect ?? group.ionApiGatewayEndpoint !== undefined;
    if (serveHttpDirect) {
        alarms.push(...made(metricAlarm(scope, "ionApiThrottled", label, datomic("HttpDirectThrottled"), what)));
    }
    const httpApiIds: pulumi.Output<string>[] = [];
    const gateways = [
        {
            kind: "client-api",
            endpoint: group.clientApiGatewayEndpoint,
            key: "clientApiGatewayEndpoint",
            latency: false,
        },
        { kind: "ion-api", endpoint: group.ionApiGatewayEndpoint, key: "ionApiGatewayEndpoint", latency: true },
    ];
    for (const gateway of gateways.filter((g) => g.endpoint !== undefined)) {
        const apiId = httpApiId(parent, gateway.endpoint, `${argument}.${gateway.key}`);
        httpApiIds.push(apiId);
        const apiWhat = pulumi.interpolate`${gateway.kind === "client-api" ? "Client API" : "Ion API"} gateway ${apiId} of ${groupName}`;
        const dims = { ApiId: apiId };
        alarms.push(
            ...made(
                metricAlarm(
                    scope,
                    "api5xx",
                    `${label}-${gateway.kind}`,
                    { namespace: "AWS/ApiGateway", metricName: "5xx", dimensions: dims },
                    apiWhat,
                ),
                gateway.latency
                    ? metricAlarm(
                          scope,
                          "apiLatency",
                          `${label}-${gateway.kind}`,
                          { namespace: "AWS/ApiGateway", metricName: "Latency", dimensions: dims },
                          apiWhat,
                      )
                    : undefined,
            ),
        );
    }
    const lambdaFunctionNames = (group.ionLambdaNames ?? []).map((lambda) => {
        // ions create a Lambda named <group>-<name> for each :lambdas entry (ions reference).
        const functionName = pulumi.interpolate`${groupName}-${lambda}`;
        const lambdaWhat = pulumi.interpolate`ion Lambda ${functionName}`;
        const dims = { FunctionName: functionName };
        alarms.push(
            ...made(
                metricAlarm(
                    scope,
                    "lambdaErrors",
                    `${label}-${lambda}`,
                    { namespace: "AWS/Lambda", metricName: "Errors", dimensions: dims },
                    lambdaWhat,
                ),
                metricAlarm(
                    scope,
                    "lambdaThrottles",
                    `${label}-${lambda}`,
                    { namespace: "AWS/Lambda", metricName: "Throttles", dimensions: dims },
                    lambdaWhat,
                ),
            ),
        );
        return functionName;
    });
    return { alarms, watched: { label, groupName, autoScalingGroupName, httpApiIds, lambdaFunctionNames } };
}

/** The 5XX and latency alarms of a REST API in front of HTTP Direct. */
export function restApiAlarms(scope: AlarmScope, api: MonitoredRestApi): Alarms {
    const dimensions = { ApiName: api.apiName, Stage: api.stageName };
    const what = pulumi.interpolate`REST API ${api.apiName} (stage ${api.stageName})`;
    return made(
        metricAlarm(
            scope,
            "api5xx",
            api.label,
            { namespace: "AWS/ApiGateway", metricName: "5XXError", dimensions },
            what,
        ),
        metricAlarm(
            scope,
            "apiLatency",
            api.label,
            { namespace: "AWS/ApiGateway", metricName: "Latency", dimensions },
            what,
        ),
    );
}
