/**
 * CloudWatch alarms on the transactor's own metrics.
 *
 * The transactor's metrics carry namespace `Datomic` and one dimension named `Transactor` whose value is
 * `aws-cloudwatch-dimension-value` (as the transactor's CloudWatch reporter, `datomic.aws-monitor` in the
 * Datomic Pro jar, sends them). Metric names and statistics: docs.datomic.com/operation/monitoring.html
 * ("Alarm": a problem occurred, Sum; "HeartbeatMsec": heartbeats written by the active transactor).
 * A standby publishes `HeartMonitorMsec` for every check it makes of the active's heartbeat
 * (docs.datomic.com/operation/deployment.html, "Monitoring Heartbeat"), so no sample of it means no standby
 * is watching: the next failure of the active transactor would be an outage, not a failover.
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

/** The alarms. */
export interface TransactorAlarms {
    /** Any `Alarm` the transactor reports. */
    alarm: aws.cloudwatch.MetricAlarm;
    /** No active transactor has written a heartbeat for 3 minutes. */
    heartbeat: aws.cloudwatch.MetricAlarm;
    /** No standby has checked the active's heartbeat for 5 minutes; only in a group of two or more. */
    standby?: aws.cloudwatch.MetricAlarm;
}

/** Minutes without a standby's check before the standby alarm fires: a replacement instance needs a few to start. */
const STANDBY_MISSING_MINUTES = 5;

/**
 * Alarms on `Alarm` (any in a minute), on missing `HeartbeatMsec` samples (none for 3 minutes) and, with a
 * standby in the group, on missing `HeartMonitorMsec` samples (none for 5 minutes).
 */
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
    const standby =
        settings.groupSize >= 2
            ? new aws.cloudwatch.MetricAlarm(
                  `${name}-standby`,
                  {
                      ...common,
                      name: `${systemName}-transactor-standby`,
                      alarmDescription: `No standby Datomic transactor of ${systemName} has checked the active transactor's heartbeat for ${STANDBY_MISSING_MINUTES} minutes: a failure of the active one would stop transactions`,
                      metricName: "HeartMonitorMsec",
                      statistic: "SampleCount",
                      evaluationPeriods: STANDBY_MISSING_MINUTES,
                      comparisonOperator: "LessThanThreshold",
                      // No data means no standby is reporting.
                      treatMissingData: "breaching",
                  },
                  { parent: scope.parent },
              )
            : undefined;
    return { alarm, heartbeat, standby };
}
