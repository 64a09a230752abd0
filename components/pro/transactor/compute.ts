/**
 * The transactor instances: a launch template, and the Auto Scaling group (an active transactor and a
 * standby by default). Every new launch template version is rolled out by roll.ts, not by the provider:
 * the group's saved version is left to that roll (see `ignoreChanges` below).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DatomicTransactorArgs } from "./args";
import { renderTransactorProperties } from "./properties";
import { instanceBaseline } from "../instanceBaseline";
import type { ComponentScope } from "../scope";
import type { TransactorSettings } from "./settings";
import { USER_DATA_MAX_BYTES } from "../datomicInstall";
import { READY_HOOK_NAME } from "./readiness";
import { renderTransactorUserData } from "./userData";

const DEFAULT_JRE_PACKAGE = "java-21-amazon-corretto-headless";

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
    /** Instances complete the group's launch hook once their transactor is active or a standby. */
    readinessHook: boolean;
}

/** The base64 user data, checked against EC2's size limit. */
export function transactorUserData(
    scope: ComponentScope,
    settings: TransactorSettings,
    args: DatomicTransactorArgs,
    inputs: Pick<TransactorComputeInputs, "region" | "logBucketName" | "roleNames" | "readinessHook">,
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
                readiness: inputs.readinessHook
                    ? { groupName: settings.groupName, hookName: READY_HOOK_NAME }
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
            // Room for a whole new set beside the old one: a roll and a health replacement launch first.
            maxSize: settings.groupSize * 2,
            desiredCapacity: settings.groupSize,
            vpcZoneIdentifiers: args.subnetIds,
            // A numbered version, never $Latest or $Default: AWS refuses to roll back a group that uses either
            // (API reference, RollbackInstanceRefresh).
            launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) },
            healthCheckType: "EC2",
            healthCheckGracePeriod: settings.warmupSeconds,
            // An unhealthy transactor is replaced by launching its successor first ("Launch before terminating",
            // docs.aws.amazon.com/autoscaling/ec2/userguide/instance-maintenance-policy-overview-and-considerations.html).
            instanceMaintenancePolicy: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
            tags: [
                { key: "Name", value: instanceName, propagateAtLaunch: true },
                ...Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
            ],
        },
        {
            ...parent,
            // The group keeps the version it was created with until a roll succeeds, and AWS then saves the
            // roll's version on it: were the provider to save a new version first, a failed roll would roll
            // back to that new version ("the configuration that you last saved on the Auto Scaling group before
            // starting the instance refresh", docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html;
            // hashicorp/terraform-provider-aws #34189). roll.ts starts each roll with the new version as its
            // desired configuration instead.
            ignoreChanges: ["launchTemplate.version"],
        },
    );
    return { launchTemplate, group };
}
