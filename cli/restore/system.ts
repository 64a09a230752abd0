/**
 * What datomic-restore does to the system through Auto Scaling and CloudWatch:
 * - transactors: the group's minimum and desired capacity go to 0 (the group would replace a transactor
 *   stopped by hand) and back to the sizes recorded before;
 * - schedules: the backup and drill groups' `ScheduledActions` process is suspended, which stops their
 *   scheduled actions until it is resumed (docs.aws.amazon.com/autoscaling/ec2/userguide/
 *   as-suspend-resume-processes.html);
 * - the restore run: the restore group's desired capacity goes to 1;
 * - "one transactor is active": the group has an InService instance and the active transactor has
 *   published `HeartbeatMsec` (namespace `Datomic`, dimension `Transactor`) since the transactors were
 *   started; a standby publishes `HeartMonitorMsec` instead (docs.datomic.com/operation/monitoring.html);
 * - `RestoreInProgress` (namespace `Datomic/Backup`, dimension `System`): 1 in maintenance, 0 after,
 *   which the component's alarm watches.
 */
import {
    AutoScalingClient,
    AutoScalingGroup,
    DescribeAutoScalingGroupsCommand,
    ResumeProcessesCommand,
    SetDesiredCapacityCommand,
    SuspendProcessesCommand,
    UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, GetMetricStatisticsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { BACKUP_METRICS, BACKUP_METRICS_NAMESPACE } from "../../components/pro/backup/scripts";

/** The transactors' metrics (components/pro/transactor/alarms.ts). */
const DATOMIC_NAMESPACE = "Datomic";
const TRANSACTOR_DIMENSION = "Transactor";
const SCHEDULED_ACTIONS = "ScheduledActions";

/** A group's sizes. */
export interface GroupSizes {
    minSize: number;
    maxSize: number;
    desiredCapacity: number;
}

export class SystemControls {
    constructor(
        private readonly autoscaling: AutoScalingClient,
        private readonly cloudwatch: CloudWatchClient,
        private readonly systemName: string,
    ) {}

    async group(name: string): Promise<AutoScalingGroup> {
        const answer = await this.autoscaling.send(
            new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
        );
        const group = answer.AutoScalingGroups?.[0];
        if (!group) {
            throw new Error(`the Auto Scaling group ${name} does not exist`);
        }
        return group;
    }

    async sizes(name: string): Promise<GroupSizes> {
        const group = await this.group(name);
        return {
            minSize: group.MinSize ?? 0,
            maxSize: group.MaxSize ?? 0,
            desiredCapacity: group.DesiredCapacity ?? 0,
        };
    }

    /** Instances in the group that are not terminated or terminating. */
    async liveInstances(name: string): Promise<number> {
        const group = await this.group(name);
        return (group.Instances ?? []).filter((i) => !/^Terminat/.test(i.LifecycleState ?? "")).length;
    }

    async inServiceInstances(name: string): Promise<number> {
        const group = await this.group(name);
        return (group.Instances ?? []).filter((i) => i.LifecycleState === "InService").length;
    }

    async resize(name: string, sizes: GroupSizes): Promise<void> {
        await this.autoscaling.send(
            new UpdateAutoScalingGroupCommand({
                AutoScalingGroupName: name,
                MinSize: sizes.minSize,
                MaxSize: sizes.maxSize,
                DesiredCapacity: sizes.desiredCapacity,
            }),
        );
    }

    async schedulesSuspended(name: string): Promise<boolean> {
        const group = await this.group(name);
        return (group.SuspendedProcesses ?? []).some((p) => p.ProcessName === SCHEDULED_ACTIONS);
    }

    async suspendSchedules(name: string): Promise<void> {
        await this.autoscaling.send(
            new SuspendProcessesCommand({ AutoScalingGroupName: name, ScalingProcesses: [SCHEDULED_ACTIONS] }),
        );
    }

    async resumeSchedules(name: string): Promise<void> {
        await this.autoscaling.send(
            new ResumeProcessesCommand({ AutoScalingGroupName: name, ScalingProcesses: [SCHEDULED_ACTIONS] }),
        );
    }

    async startRun(name: string): Promise<void> {
        await this.autoscaling.send(
            new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 1, HonorCooldown: false }),
        );
    }

    /** Whether the active transactor has sent a heartbeat since `since`. */
    async heartbeatSince(dimensionValue: string, since: Date): Promise<boolean> {
        const answer = await this.cloudwatch.send(
            new GetMetricStatisticsCommand({
                Namespace: DATOMIC_NAMESPACE,
                MetricName: "HeartbeatMsec",
                Dimensions: [{ Name: TRANSACTOR_DIMENSION, Value: dimensionValue }],
                StartTime: since,
                EndTime: new Date(Date.now() + 60_000),
                Period: 60,
                Statistics: ["SampleCount"],
            }),
        );
        return (answer.Datapoints ?? []).some((point) => (point.SampleCount ?? 0) > 0);
    }

    async publishInProgress(value: 0 | 1): Promise<void> {
        await this.cloudwatch.send(
            new PutMetricDataCommand({
                Namespace: BACKUP_METRICS_NAMESPACE,
                MetricData: [
                    {
                        MetricName: BACKUP_METRICS.restoreInProgress,
                        Dimensions: [{ Name: "System", Value: this.systemName }],
                        Value: value,
                        Unit: "Count",
                    },
                ],
            }),
        );
    }
}
