/**
 * CloudWatch alarms on the transactor's own metrics.
 *
 * The transactor's metrics carry namespace `Datomic` and one dimension named `Transactor` whose value is
 * `aws-cloudwatch-dimension-value` (as the transactor's CloudWatch reporter, `datomic.aws-monitor` in the
 * Datomic Pro jar, sends them). Metric names and statistics: docs.datomic.com/operation/monitoring.html
 * ("Alarm": a problem occurred, Sum; "HeartbeatMsec": heartbeats written by the active transactor).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DatomicTransactorArgs } from "./args";
import type { ComponentScope } from "../scope";
import type { TransactorSettings } from "./settings";

/** The CloudWatch namespace of the transactor's metrics. */
export const DATOMIC_METRICS_NAMESPACE = "Datomic";
/** The dimension name of the transactor's metrics (`alarmDimensionName`'s default). */
export const DEFAULT_ALARM_DIMENSION_NAME = "Transactor";

/** The two alarms. */
export interface TransactorAlarms {
    /** Any `Alarm` the transactor reports. */
    alarm: aws.cloudwatch.MetricAlarm;
    /** No active transactor has written a heartbeat for 3 minutes. */
    heartbeat: aws.cloudwatch.MetricAlarm;
}

/** Alarms on `Alarm` (any in a minute) and on missing `HeartbeatMsec` samples (none for 3 minutes). */
export function createTransactorAlarms(
    scope: ComponentScope,
    settings: TransactorSettings,
    args: DatomicTransactorArgs,
): TransactorAlarms {
    const { name, tags } = scope;
    const systemName = settings.systemName;
    const actions: pulumi.Input<string>[] = args.alarmTopicArn !== undefined ? [args.alarmTopicArn] : [];
    const common = {
        namespace: DATOMIC_METRICS_NAMESPACE,
        dimensions: {
            [args.alarmDimensionName ?? DEFAULT_ALARM_DIMENSION_NAME]: settings.cloudWatchDimensionValue,
        },
        period: 60,
        threshold: 1,
        alarmActions: actions,
        okActions: actions,
        tags,
    };
    const alarm = new aws.cloudwatch.MetricAlarm(
        `${name}-alarm`,
        {
            ...common,
            name: `${systemName}-transactor-alarm`,
            alarmDescription: `The Datomic transactor ${systemName} reported an alarm (metric Alarm); see its log`,
            metricName: "Alarm",
            statistic: "Sum",
            evaluationPeriods: 1,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            treatMissingData: "notBreaching",
        },
        { parent: scope.parent },
    );
    const heartbeat = new aws.cloudwatch.MetricAlarm(
        `${name}-heartbeat`,
        {
            ...common,
            name: `${systemName}-transactor-heartbeat`,
            alarmDescription: `No active Datomic transactor of ${systemName} has written a heartbeat for 3 minutes`,
            metricName: "HeartbeatMsec",
            statistic: "SampleCount",
            evaluationPeriods: 3,
            comparisonOperator: "LessThanThreshold",
            // No data means no active transactor is reporting.
            treatMissingData: "breaching",
        },
        { parent: scope.parent },
    );
    return { alarm, heartbeat };
}
