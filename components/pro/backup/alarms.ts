/**
 * DatomicBackup's staleness alarms: one per database, on the `BackupSucceeded` metric a backup run
 * publishes only when that database's backup succeeded. The alarm sums it over one period of
 * `maxBackupAgeHours`; no success in that window, including no data at all (the job stopped running,
 * or never ran), is breaching.
 */
import * as aws from "@pulumi/aws";
import { BACKUP_METRICS, BACKUP_METRICS_NAMESPACE } from "./scripts";
import { BackupSettings, DatomicBackupArgs } from "./settings";
import type { ComponentScope } from "../scope";

/** The alarm of each database, by database name. */
export function createStalenessAlarms(
    { name, parent, tags }: ComponentScope,
    args: DatomicBackupArgs,
    settings: BackupSettings,
): Record<string, aws.cloudwatch.MetricAlarm> {
    const actions = args.alarmTopicArn !== undefined ? [args.alarmTopicArn] : [];
    const hours = settings.maxBackupAgeHours;
    return Object.fromEntries(
        settings.databases.map((db) => [
            db,
            new aws.cloudwatch.MetricAlarm(
                `${name}-stale-${db}`,
                {
                    name: `${settings.systemName}-datomic-backup-stale-${db}`,
                    alarmDescription: `No successful Datomic backup of ${db} (${settings.systemName}) in the last ${hours} hours; see the log group /datomic/${settings.systemName}/backup`,
                    namespace: BACKUP_METRICS_NAMESPACE,
                    metricName: BACKUP_METRICS.backupSucceeded,
                    dimensions: { System: settings.systemName, Database: db },
                    statistic: "Sum",
                    period: hours * 3600,
                    evaluationPeriods: 1,
                    threshold: 1,
                    comparisonOperator: "LessThanThreshold",
                    treatMissingData: "breaching",
                    alarmActions: actions,
                    okActions: actions,
                    tags,
                },
                { parent },
            ),
        ]),
    );
}
