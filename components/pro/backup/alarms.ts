/**
 * DatomicBackup's alarms, all notifying `alarmTopicArn`:
 *
 * - **Staleness**, one per database, on `BackupSucceeded`: a run publishes 1 when a database's backup
 *   succeeded and 0 when it failed. The alarm sums it over one period of `maxBackupAgeHours` and fires
 *   below 1: runs happened, none succeeded. Missing data is `missing`: "if all data points in the
 *   alarm evaluation range are missing, the alarm transitions to INSUFFICIENT_DATA"
 *   (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html), and a new
 *   alarm starts in INSUFFICIENT_DATA (API_PutMetricAlarm.html), so a new system raises nothing before its
 *   first scheduled backup had its chance; that first backup then either publishes 1 (OK) or 0 (ALARM).
 *   Runs that stop altogether move the alarm from OK to INSUFFICIENT_DATA, and the topic hears of that
 *   through `insufficientDataActions` (actions fire on a change of state, not on a new alarm's first one).
 * - **Drill failure**, one per database, on `RestoreDrillSucceeded` (1 passed, 0 failed): below 1 is
 *   ALARM. Drills run weekly, so missing data is `ignore` ("the current alarm state is maintained",
 *   ibid.): a failed drill stays in ALARM until a drill passes.
 * - **Restore in progress**, on `RestoreInProgress`, which `datomic-restore` publishes as 1 when it puts
 *   the system into maintenance and 0 when it is back. Missing data is `ignore`, so a restore that was
 *   interrupted keeps the alarm on until it is resumed or aborted: maintenance is never silent.
 */
import * as aws from "@pulumi/aws";
import { BACKUP_METRICS, BACKUP_METRICS_NAMESPACE } from "./scripts";
import { BackupSettings, DatomicBackupArgs } from "./settings";
import type { ComponentScope } from "../scope";

/** The component's alarms. */
export interface BackupAlarms {
    /** Staleness, by database. */
    stale: Record<string, aws.cloudwatch.MetricAlarm>;
    /** Drill failure, by database, when the drill is on. */
    drillFailed: Record<string, aws.cloudwatch.MetricAlarm>;
    restoreInProgress: aws.cloudwatch.MetricAlarm;
}

/** The staleness alarm of one database (without its actions and tags). */
export function staleAlarmArgs(settings: BackupSettings, db: string) {
    const hours = settings.maxBackupAgeHours;
    return {
        name: `${settings.systemName}-datomic-backup-stale-${db}`,
        alarmDescription: `No successful Datomic backup of ${db} (${settings.systemName}) in the last ${hours} hours (INSUFFICIENT_DATA after OK: no backup ran at all); see the log group /datomic/${settings.systemName}/backup`,
        namespace: BACKUP_METRICS_NAMESPACE,
        metricName: BACKUP_METRICS.backupSucceeded,
        dimensions: { System: settings.systemName, Database: db },
        statistic: "Sum",
        period: hours * 3600,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "missing",
    };
}

/** The drill failure alarm of one database (without its actions and tags). */
export function drillFailedAlarmArgs(settings: BackupSettings, db: string) {
    return {
        name: `${settings.systemName}-datomic-restore-drill-failed-${db}`,
        alarmDescription: `The last Datomic restore drill of ${db} (${settings.systemName}) failed; see the log group /datomic/${settings.systemName}/backup (streams restore-drill/...)`,
        namespace: BACKUP_METRICS_NAMESPACE,
        metricName: BACKUP_METRICS.drillSucceeded,
        dimensions: { System: settings.systemName, Database: db },
        statistic: "Minimum",
        period: 3600,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "LessThanThreshold",
        treatMissingData: "ignore",
    };
}

export function createBackupAlarms(
    { name, parent, tags }: ComponentScope,
    args: DatomicBackupArgs,
    settings: BackupSettings,
): BackupAlarms {
    const actions = args.alarmTopicArn !== undefined ? [args.alarmTopicArn] : [];
    const common = { alarmActions: actions, okActions: actions, tags };
    const perDatabase = (suffix: string, build: (db: string) => aws.cloudwatch.MetricAlarmArgs) =>
        Object.fromEntries(
            settings.databases.map((db) => [
                db,
                new aws.cloudwatch.MetricAlarm(`${name}-${suffix}-${db}`, { ...common, ...build(db) }, { parent }),
            ]),
        );
    const stale = perDatabase("stale", (db) => ({
        ...staleAlarmArgs(settings, db),
        insufficientDataActions: actions,
    }));
    const drillFailed = settings.restoreDrill
        ? perDatabase("drill-failed", (db) => drillFailedAlarmArgs(settings, db))
        : {};
    const restoreInProgress = new aws.cloudwatch.MetricAlarm(
        `${name}-restore-in-progress`,
        {
            ...common,
            name: `${settings.systemName}-datomic-restore-in-progress`,
            alarmDescription: `A datomic-restore of ${settings.systemName} holds the system in maintenance (transactors stopped, schedules paused); finish it with datomic-restore --resume or --abort`,
            namespace: BACKUP_METRICS_NAMESPACE,
            metricName: BACKUP_METRICS.restoreInProgress,
            dimensions: { System: settings.systemName },
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 1,
            threshold: 1,
            comparisonOperator: "GreaterThanOrEqualToThreshold",
            treatMissingData: "ignore",
        },
        { parent },
    );
    return { stale, drillFailed, restoreInProgress };
}
