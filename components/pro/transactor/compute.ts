/**
 * The transactor instances: a launch template whose every change rolls the Auto Scaling group, one
 * instance at a time, and the group itself (an active transactor and a standby by default).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DatomicTransactorArgs } from "./args";
import { renderTransactorProperties } from "./properties";
import { instanceBaseline } from "../instanceBaseline";
import type { ComponentScope } from "../scope";
import type { TransactorSettings } from "./settings";
import { USER_DATA_MAX_BYTES } from "../datomicInstall";
import { renderTransactorUserData } from "./userData";

const DEFAULT_JRE_PACKAGE = "java-21-amazon-corretto-headless";
/** An instance refresh keeps at least half the group in service: one instance at a time for a pair. */
const REFRESH_MIN_HEALTHY_PERCENTAGE = 50;

/** What the instances run with, known at deployment. */
export interface TransactorComputeInputs {
    region: pulumi.Output<string>;
    logBucketName: pulumi.Output<string | undefined>;
    instanceProfileArn: pulumi.Output<string>;
    securityGroupId: pulumi.Output<string>;
    /** The roles' actual names, written into the properties (`aws-transactor-role`, `aws-peer-role`). */
    roleNames: pulumi.Output<{ transactorRoleName: string; peerRoleName: string }>;
    /** The transactor's policies: instances boot with them in place. */
    policies: pulumi.Resource[];
    /** An alarm whose ALARM state fails an instance refresh and rolls it back (no active transactor). */
    rollbackAlarmName?: pulumi.Output<string>;
}

/** The base64 user data, checked against EC2's size limit. */
export function transactorUserData(
    scope: ComponentScope,
    settings: TransactorSettings,
    args: DatomicTransactorArgs,
    inputs: Pick<TransactorComputeInputs, "region" | "logBucketName" | "roleNames">,
): pulumi.Output<string> {
    const cloudWatchRegion = settings.cloudWatchMetrics
        ? inputs.region.apply((region) => args.cloudWatchRegion ?? region)
        : pulumi.output(undefined);
    return pulumi
        .all([inputs.region, inputs.logBucketName, cloudWatchRegion, inputs.roleNames])
        .apply(([region, logBucketName, metricsRegion, roleNames]) => {
            const propertiesText = renderTransactorProperties({
                ...settings.properties,
                ...roleNames,
                region,
                logBucketName,
                cloudWatchRegion: metricsRegion,
            });
            const script = renderTransactorUserData({
                version: args.version,
                sha256: args.sha256,
                region,
                propertiesText,
                javaXmx: args.javaXmx,
                javaOpts: settings.javaOpts,
                download: settings.download,
                jrePackage: args.jrePackage ?? DEFAULT_JRE_PACKAGE,
                secretParameters: settings.secretParameters,
                altHost: args.altHost,
                altHostIsPublicIp: args.altHostIsPublicIp,
                healthCheck:
                    settings.healthCheckUrl !== undefined
                        ? { url: settings.healthCheckUrl, graceSeconds: settings.warmupSeconds }
                        : undefined,
            });
            const size = Buffer.byteLength(script);
            if (size > USER_DATA_MAX_BYTES) {
                throw new pulumi.ResourceError(
                    `the transactor's user data is ${size} bytes, over EC2's limit of ${USER_DATA_MAX_BYTES}; shorten extraProperties or javaOpts`,
                    scope.parent,
                );
            }
            return Buffer.from(script).toString("base64");
        });
}

/** The launch template and the Auto Scaling group. */
export function createTransactorGroup(
    scope: ComponentScope,
    settings: TransactorSettings,
    args: DatomicTransactorArgs,
    inputs: TransactorComputeInputs,
): { launchTemplate: aws.ec2.LaunchTemplate; group: aws.autoscaling.Group } {
    const { name, tags } = scope;
    const parent = { parent: scope.parent };
    // A followed parameter is read as its insecure value through the plain (promise) invoke: the provider
    // marks `value` secret, and the output form (`getParameterOutput`) makes its whole result secret,
    // `insecureValue` included, which would hide the AMI id, and so the reason for a roll, from the preview.
    const amiId =
        args.amiId ??
        pulumi.output(aws.ssm.getParameter({ name: args.amiParameterName! }, parent)).apply((p) => p.insecureValue);
    const instanceName = settings.groupName;
    const launchTemplate = new aws.ec2.LaunchTemplate(
        `${name}-launch-template`,
        {
            name: instanceName,
            description: `Datomic Pro ${args.version} transactor of ${settings.systemName}`,
            imageId: amiId,
            instanceType: settings.instanceType,
            keyName: args.keyName,
            iamInstanceProfile: { arn: inputs.instanceProfileArn },
            vpcSecurityGroupIds: [inputs.securityGroupId],
            ...instanceBaseline(settings.rootVolumeSizeGb),
            monitoring: settings.detailedMonitoring ? { enabled: true } : undefined,
            // The unit powers the instance off when the transactor exits; terminating lets the group replace it.
            instanceInitiatedShutdownBehavior: "terminate",
            userData: transactorUserData(scope, settings, args, inputs),
            updateDefaultVersion: true,
            tagSpecifications: [
                { resourceType: "instance", tags: { ...tags, Name: instanceName } },
                { resourceType: "volume", tags: { ...tags, Name: instanceName } },
            ],
            tags,
        },
        { parent: scope.parent, dependsOn: inputs.policies },
    );
    const group = new aws.autoscaling.Group(
        `${name}-group`,
        {
            name: instanceName,
            minSize: settings.groupSize,
            maxSize: settings.groupSize,
            desiredCapacity: settings.groupSize,
            vpcZoneIdentifiers: args.subnetIds,
            launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
            healthCheckType: "EC2",
            healthCheckGracePeriod: settings.warmupSeconds,
            // A refresh that fails (instances that never become healthy) or during which no transactor is
            // active goes back to the previous launch template version. Auto rollback needs a numbered
            // version and an AMI id, not an SSM alias (docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html).
            instanceRefresh: {
                strategy: "Rolling",
                preferences: {
                    minHealthyPercentage: REFRESH_MIN_HEALTHY_PERCENTAGE,
                    instanceWarmup: String(settings.warmupSeconds),
                    autoRollback: true,
                    alarmSpecification: inputs.rollbackAlarmName ? { alarms: [inputs.rollbackAlarmName] } : undefined,
                },
            },
            tags: [
                { key: "Name", value: instanceName, propagateAtLaunch: true },
                ...Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
            ],
        },
        parent,
    );
    return { launchTemplate, group };
}
