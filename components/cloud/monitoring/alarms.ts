/**
 * The CloudWatch alarms DatomicMonitoring creates, one function per kind of target. Metric and dimension
 * names, with their sources:
 * - `DatomicCloud` `Alerts`, `HttpEndpointThrottled`, `HttpDirectThrottled`, dimensions "your system name and
 *   your compute stack name" (docs.datomic.com/operation/monitoring-cloud.html, "Metrics Produced by Datomic
 *   Cloud"; dimension names *unconfirmed*, see settings.ts).
 * - `AWS/AutoScaling` `GroupDesiredCapacity`, `GroupInServiceInstances`, dimension `AutoScalingGroupName`,
 *   published once group metrics collection is on
 *   (docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-metrics.html).
 * - HTTP APIs: `AWS/ApiGateway` `5xx`, `Latency`, dimension `ApiId` (all stages)
 *   (docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html).
 * - REST APIs: `AWS/ApiGateway` `5XXError`, `Latency`, dimensions `ApiName`, `Stage`
 *   (docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html).
 * - `AWS/Lambda` `Errors`, `Throttles`, dimension `FunctionName`
 *   (docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics.html).
 * - `AWS/DynamoDB` `ReadThrottleEvents`, `WriteThrottleEvents`, dimension `TableName` (the table, not its
 *   indexes) (docs.aws.amazon.com/amazondynamodb/latest/developerguide/TroubleshootingThrottling-cloudwatch.html).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmKey, AlarmRule, DATOMIC_CLOUD_NAMESPACE, FIRST_CHECKS } from "./settings";

/** What every alarm is created in. */
export interface AlarmScope {
    /** The component's name; alarm and resource names start with it. */
    name: string;
    parent: pulumi.Resource;
    tags: Record<string, pulumi.Input<string>>;
    /** The SNS topic alarms notify, on ALARM and on OK. */
    topicArn: pulumi.Input<string>;
    /** The rule of each alarm, overrides applied. */
    rules: Record<AlarmKey, AlarmRule & { enabled: boolean }>;
}

/** One metric an alarm watches. */
export interface WatchedMetric {
    namespace: string;
    metricName: pulumi.Input<string>;
    dimensions: Record<string, pulumi.Input<string>>;
}

/** Kebab-case of an alarm key, for names: `datomicAlerts` -> `datomic-alerts`. */
function kebab(key: AlarmKey): string {
    return key.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

/** The alarm `key` on `metric`, for the target `label`; `undefined` when the alarm is turned off. */
export function metricAlarm(
    scope: AlarmScope,
    key: AlarmKey,
    label: string,
    metric: WatchedMetric,
    what: pulumi.Input<string>,
): aws.cloudwatch.MetricAlarm | undefined {
    const rule = scope.rules[key];
    if (!rule.enabled) {
        return undefined;
    }
    const percentile = /^p\d/.test(rule.statistic);
    return new aws.cloudwatch.MetricAlarm(
        `${scope.name}-${kebab(key)}-${label}`,
        {
            ...alarmBasics(scope, key, label, what),
            namespace: metric.namespace,
            metricName: metric.metricName,
            dimensions: metric.dimensions,
            ...(percentile ? { extendedStatistic: rule.statistic } : { statistic: rule.statistic }),
            period: rule.periodSeconds,
        },
        { parent: scope.parent },
    );
}

/** Name, description, rule and actions common to every alarm. */
function alarmBasics(scope: AlarmScope, key: AlarmKey, label: string, what: pulumi.Input<string>) {
    const rule = scope.rules[key];
    const actions = [scope.topicArn];
    return {
        name: `${scope.name}-${kebab(key)}-${label}`,
        alarmDescription: pulumi.interpolate`${what}: ${rule.meaning}. First check: ${FIRST_CHECKS[key]}.`,
        evaluationPeriods: rule.evaluationPeriods,
        threshold: rule.threshold,
        comparisonOperator: rule.comparison,
        treatMissingData: rule.treatMissingData,
        alarmActions: actions,
        okActions: actions,
        tags: scope.tags,
    };
}

/** A Datomic metric of one compute group: namespace `DatomicCloud`, dimensions system and group. */
export function datomicGroupMetric(
    metricName: string,
    dimensions: { systemDimension: string; groupDimension: string },
    systemName: pulumi.Input<string>,
    groupName: pulumi.Input<string>,
): WatchedMetric {
    return {
        namespace: DATOMIC_CLOUD_NAMESPACE,
        metricName,
        dimensions: { [dimensions.systemDimension]: systemName, [dimensions.groupDimension]: groupName },
    };
}

/**
 * Nodes short of the desired capacity: `GroupDesiredCapacity` (its maximum in the minute) minus
 * `GroupInServiceInstances` (its minimum), as metric math.
 */
export function unhealthyNodesAlarm(
    scope: AlarmScope,
    label: string,
    autoScalingGroupName: pulumi.Input<string>,
    what: pulumi.Input<string>,
): aws.cloudwatch.MetricAlarm | undefined {
    const rule = scope.rules.unhealthyNodes;
    if (!rule.enabled) {
        return undefined;
    }
    const groupMetric = (metricName: string, stat: string) => ({
        namespace: "AWS/AutoScaling",
        metricName,
        dimensions: { AutoScalingGroupName: autoScalingGroupName },
        period: rule.periodSeconds,
        stat,
    });
    return new aws.cloudwatch.MetricAlarm(
        `${scope.name}-unhealthy-nodes-${label}`,
        {
            ...alarmBasics(scope, "unhealthyNodes", label, what),
            metricQueries: [
                { id: "desired", metric: groupMetric("GroupDesiredCapacity", rule.statistic), returnData: false },
                { id: "inservice", metric: groupMetric("GroupInServiceInstances", "Minimum"), returnData: false },
                {
                    id: "missing",
                    expression: "desired - inservice",
                    label: "Nodes short of the desired capacity",
                    returnData: true,
                },
            ],
        },
        { parent: scope.parent },
    );
}
