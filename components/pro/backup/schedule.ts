/**
 * How DatomicBackup runs away from the transactors: each kind of run (backup, restore drill) has a
 * launch template and an Auto Scaling group of at most one instance, normally empty. A scheduled
 * action raises the backup group's desired capacity to 1 on the cron schedule; an operator does the
 * same to the drill group on demand. The instance runs its user data and takes itself out of the
 * group, lowering the desired capacity back to 0.
 *
 * Why a group rather than an EventBridge schedule calling RunInstances: the group's maximum of 1
 * means a slow backup is never joined by a second one writing the same backup URIs (Datomic: "a
 * backup ... and restore to that database URI should not occur at the same time"); scheduled actions
 * need no scheduler role able to pass the instance role; a run that fails before it can leave is
 * replaced and retried by the group; and a restore pauses a schedule by suspending the group's
 * `ScheduledActions` process (docs.aws.amazon.com/autoscaling/ec2/userguide/as-suspend-resume-processes.html).
 * Runs of different kinds are kept apart by the lock of lock.ts. Why not Fargate: Datomic Pro needs a JVM and the distribution
 * zip, which the transactor's Amazon Linux 2023 user data already installs, with no image to build.
 *
 * The groups' desired capacity is changed by the schedule and the instances, so Pulumi ignores it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BackupSettings, DatomicBackupArgs } from "./settings";
import { instanceBaseline } from "../instanceBaseline";
import type { ComponentScope } from "../scope";

/** A security group with no inbound rules; runs reach S3, DynamoDB, CloudWatch and the download over HTTPS. */
export function createRunSecurityGroup(
    { name, parent, tags }: ComponentScope,
    args: DatomicBackupArgs,
    settings: BackupSettings,
): aws.ec2.SecurityGroup {
    const groupName = `${settings.systemName}-datomic-backup`;
    const group = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        {
            namePrefix: `${groupName}-`,
            description: `Datomic backup and restore drill runs of ${settings.systemName}: outbound only`,
            vpcId: args.vpcId,
            tags: { ...tags, Name: groupName },
        },
        // A name prefix lets a replacement be created before the group in use is deleted.
        { parent },
    );
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-sg-egress-ipv4`,
        {
            securityGroupId: group.id,
            ipProtocol: "-1",
            cidrIpv4: "0.0.0.0/0",
            description: "Outbound to S3, DynamoDB, CloudWatch, Auto Scaling and the Datomic download",
            tags,
        },
        { parent },
    );
    return group;
}

/** What one kind of run needs. */
export interface RunGroupSpec {
    /** `backup`, `restore-drill` or `restore`: the suffix of resource names. */
    kind: string;
    groupName: string;
    description: string;
    profile: aws.iam.InstanceProfile;
    /** The role's policy, in place before an instance can boot. */
    policy: aws.iam.RolePolicy;
    securityGroup: aws.ec2.SecurityGroup;
    /** The user data, base64-encoded. */
    userData: pulumi.Output<string>;
}

/** The launch template and the empty group of one kind of run. */
export function createRunGroup(
    { name, parent, tags }: ComponentScope,
    args: DatomicBackupArgs,
    settings: BackupSettings,
    spec: RunGroupSpec,
): aws.autoscaling.Group {
    const launchTemplate = new aws.ec2.LaunchTemplate(
        `${name}-${spec.kind}-template`,
        {
            name: spec.groupName,
            description: spec.description,
            imageId: args.amiId,
            instanceType: settings.instanceType,
            iamInstanceProfile: { arn: spec.profile.arn },
            vpcSecurityGroupIds: [spec.securityGroup.id],
            ...instanceBaseline(settings.rootVolumeSizeGb),
            // The fallback when a run cannot leave its group: powering off terminates, and the group retries.
            instanceInitiatedShutdownBehavior: "terminate",
            userData: spec.userData,
            updateDefaultVersion: true,
            tagSpecifications: [
                { resourceType: "instance", tags: { ...tags, Name: spec.groupName } },
                { resourceType: "volume", tags: { ...tags, Name: spec.groupName } },
            ],
            tags,
        },
        { parent, dependsOn: [spec.policy] },
    );
    return new aws.autoscaling.Group(
        `${name}-${spec.kind}-group`,
        {
            name: spec.groupName,
            minSize: 0,
            maxSize: 1,
            desiredCapacity: 0,
            vpcZoneIdentifiers: args.subnetIds,
            launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
            healthCheckType: "EC2",
            tags: [
                { key: "Name", value: spec.groupName, propagateAtLaunch: true },
                ...Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
            ],
        },
        { parent, ignoreChanges: ["desiredCapacity"] },
    );
}

/**
 * Starts a run on a schedule: the group's desired capacity becomes 1. Backups run on `schedule`,
 * restore drills on `drillSchedule`. `datomic-restore` pauses both by suspending the groups'
 * `ScheduledActions` process while it restores.
 */
export function createRunSchedule(
    { name, parent }: ComponentScope,
    settings: BackupSettings,
    group: aws.autoscaling.Group,
    kind: "backup" | "restore-drill",
): aws.autoscaling.Schedule {
    return new aws.autoscaling.Schedule(
        // The backup's resource name predates the drill's schedule; renaming it would replace it.
        kind === "backup" ? `${name}-schedule` : `${name}-${kind}-schedule`,
        {
            scheduledActionName: `${settings.systemName}-datomic-${kind}`,
            autoscalingGroupName: group.name,
            recurrence: kind === "backup" ? settings.schedule : settings.drillSchedule,
            timeZone: settings.scheduleTimeZone,
            // Omitted sizes would default to 0 and leave no room for the run.
            minSize: 0,
            maxSize: 1,
            desiredCapacity: 1,
        },
        { parent },
    );
}
