/**
 * DatomicTransactor: Datomic Pro on AWS with DynamoDB storage, in plain Pulumi
 * resources. It replaces `bin/datomic ensure-transactor`, `ensure-cf` and
 * `create-cf-template`, which Cognitect deprecated in December 2023 with the
 * advice to build your own template (docs.datomic.com/operation/aws.html).
 *
 * It creates the storage table, an optional log bucket, the transactor and
 * peer roles scoped as ensure-transactor scoped them, the security groups,
 * and an Auto Scaling group of transactor instances (an active one and a
 * standby by default) that a roll (roll.ts) moves onto every new launch template version, launching
 * before it terminates and counting an instance only once its transactor is active or a standby
 * (readiness.ts), plus CloudWatch alarms on the transactor's own metrics.
 */
import * as aws from "@pulumi/aws";
import type { local } from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { DatomicEnvironmentOutputs } from "../../contract";
import { createTransactorAlarms } from "./alarms";
import type { ArgumentProblem } from "./argumentProblems";
import type { DatomicTransactorArgs } from "./args";
import { createTransactorIam } from "./iam";
import { transactorIamNames } from "./iamNames";
import { createTransactorNetwork, routeTableIds, subnetCidrBlocks } from "./network";
import { checkedPlacement } from "./placement";
import { connectionUriBase } from "./properties";
import { RollSettings, resolveRollSettings } from "./rollArgs";
import { createTransactorRollout } from "./rollout";
import type { ComponentScope } from "../scope";
import { resolveTransactorSettings, TransactorArgumentError, TransactorSettings } from "./settings";
import { createLogBucket, createStorageTable } from "./storage";

export type { DatomicTransactorArgs } from "./args";
export type { TransactorBackupArgs, TransactorRollArgs } from "./rollArgs";
export { READY_HOOK_NAME } from "./readiness";
export { DATOMIC_METRICS_NAMESPACE, DEFAULT_ALARM_DIMENSION_NAME } from "./alarms";
export { AL2023_AMI_PARAMETERS } from "./images";

/**
 * A Datomic Pro transactor group on AWS with DynamoDB storage.
 *
 * @example
 * ```ts
 * const transactor = new DatomicTransactor("orders", {
 *     version: "1.0.7075",
 *     vpcId: "vpc-0abc",
 *     subnetIds: ["subnet-0a", "subnet-0b"],
 *     peerSecurityGroupIds: ["sg-0apps"],
 * });
 * export const uri = pulumi.interpolate`${transactor.connectionUriBase}orders`;
 * ```
 */
export class DatomicTransactor extends pulumi.ComponentResource {
    /** The region the transactors run in (the provider's). */
    public readonly region: pulumi.Output<string>;
    /** The AWS account the transactors run in. */
    public readonly accountId: pulumi.Output<string>;
    /** The transactor's name (`systemName`). */
    public readonly systemName: pulumi.Output<string>;
    /** The DynamoDB table holding the storage. */
    public readonly tableName: pulumi.Output<string>;
    /** The storage table's ARN. */
    public readonly tableArn: pulumi.Output<string>;
    /** `datomic:ddb://<region>/<table>/`: append a database name. */
    public readonly connectionUriBase: pulumi.Output<string>;
    /** The transactor role's ARN. */
    public readonly transactorRoleArn: pulumi.Output<string>;
    /** The peer role's ARN. */
    public readonly peerRoleArn: pulumi.Output<string>;
    /** The peer instance profile's name. */
    public readonly peerInstanceProfileName: pulumi.Output<string>;
    /** A managed policy with the peer's table access, for application roles that already exist. */
    public readonly peerPolicyArn: pulumi.Output<string>;
    /** A security group for applications: its members reach the transactor. */
    public readonly peerSecurityGroupId: pulumi.Output<string>;
    /** The transactors' security group. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** The transactors' launch template. */
    public readonly launchTemplateId: pulumi.Output<string>;
    /** The transactors' Auto Scaling group. */
    public readonly autoScalingGroupName: pulumi.Output<string>;
    /** The command that rolls the group onto each new launch template version and waits for the roll. */
    public readonly roll: local.Command;
    /** The log bucket, when there is one. */
    public readonly logBucketName: pulumi.Output<string | undefined>;
    /** The VPC the transactors run in. */
    public readonly vpcId: pulumi.Output<string>;
    /** The VPC's CIDR block. */
    public readonly vpcCidrBlock: pulumi.Output<string>;
    /** CIDR blocks of `subnetIds`. */
    public readonly subnetCidrBlocks: pulumi.Output<string[]>;
    /** Route tables of `subnetIds`, and the VPC's main route table (which serves subnets with no explicit one). */
    public readonly routeTableIds: pulumi.Output<string[]>;

    constructor(name: string, args: DatomicTransactorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("datomic:pro:Transactor", name, {}, opts);
        const { settings, roll: rollSettings } = this.resolve(args.systemName ?? name, args);
        // vpcId and subnetIds given as Outputs are checked once known.
        const placed = { ...args, ...checkedPlacement(this, args) };
        const scope: ComponentScope = { name, parent: this, tags: args.tags ?? {} };
        const parent = { parent: this };

        const partition = aws.getPartitionOutput({}, parent).partition;
        this.accountId = aws.getCallerIdentityOutput({}, parent).accountId;
        this.region = aws.getRegionOutput({}, parent).region.apply((region) => {
            if (args.region !== undefined && region !== args.region) {
                throw new pulumi.ResourceError(
                    `region: the provider deploys to ${region}, not ${args.region}; configure the provider for ${args.region} (a table adopted by name must be looked for in its own region)`,
                    this,
                );
            }
            return region;
        });
        this.systemName = pulumi.output(settings.systemName);
        this.vpcId = pulumi.output(placed.vpcId);
        this.vpcCidrBlock = args.vpcCidrBlock
            ? pulumi.output(args.vpcCidrBlock)
            : aws.ec2.getVpcOutput({ id: placed.vpcId }, parent).cidrBlock;

        // Storage. Protected and retained by default; nothing here can replace the table without failing first.
        const table = createStorageTable(
            scope,
            settings,
            args,
            this.region.apply(() => settings.tableName),
        );
        this.tableName = table.name;
        this.tableArn = table.arn;
        this.connectionUriBase = pulumi
            .all([this.region, table.name])
            .apply(([region, tableName]) => connectionUriBase(region, tableName));
        const bucket = settings.logBucket ? createLogBucket(scope, args, settings.protectStorage) : undefined;
        this.logBucketName = bucket ? bucket.bucket : pulumi.output(undefined);

        const iam = createTransactorIam(scope, settings, {
            names: this.region.apply((region) => transactorIamNames(settings.systemName, region, settings.roleNames)),
            table,
            bucket,
            licenseKeyParameterName: args.licenseKeyParameterName,
            partition,
            region: this.region,
            accountId: this.accountId,
        });
        this.transactorRoleArn = iam.transactorRole.arn;
        this.peerRoleArn = iam.peerRole.arn;
        this.peerInstanceProfileName = iam.peerProfile.name;
        this.peerPolicyArn = iam.peerPolicy.arn;

        const network = createTransactorNetwork(scope, settings, placed, this.vpcCidrBlock);
        this.securityGroupId = network.transactorGroup.id;
        this.peerSecurityGroupId = network.peerGroup.id;

        const alarms = settings.alarms ? createTransactorAlarms(scope, settings, args) : undefined;
        const { launchTemplate, group, roll } = createTransactorRollout(scope, settings, rollSettings, placed, {
            region: this.region,
            logBucketName: this.logBucketName,
            instanceProfileArn: iam.transactorProfile.arn,
            securityGroupId: network.transactorGroup.id,
            roleNames: pulumi
                .all([iam.transactorRole.name, iam.peerRole.name])
                .apply(([transactorRoleName, peerRoleName]) => ({ transactorRoleName, peerRoleName })),
            policies: iam.transactorPolicies,
            transactorRole: iam.transactorRole,
            partition,
            accountId: this.accountId,
            rollbackAlarmName: alarms?.heartbeat.name,
        });
        this.launchTemplateId = launchTemplate.id;
        this.autoScalingGroupName = group.name;
        this.roll = roll;

        this.subnetCidrBlocks = subnetCidrBlocks(placed.subnetIds, parent);
        this.routeTableIds = routeTableIds(placed.vpcId, placed.subnetIds, parent);

        this.registerOutputs({
            ...this.contractOutputs(),
            tableName: this.tableName,
            tableArn: this.tableArn,
            transactorRoleArn: this.transactorRoleArn,
            peerPolicyArn: this.peerPolicyArn,
            securityGroupId: this.securityGroupId,
            launchTemplateId: this.launchTemplateId,
            autoScalingGroupName: this.autoScalingGroupName,
            logBucketName: this.logBucketName,
        });
    }

    /** The environment stack contract outputs of a pro system. */
    public contractOutputs(): DatomicEnvironmentOutputs {
        return {
            flavor: pulumi.output("pro"),
            region: this.region,
            accountId: this.accountId,
            systemName: this.systemName,
            vpcId: this.vpcId,
            vpcCidrBlock: this.vpcCidrBlock,
            subnetCidrBlocks: this.subnetCidrBlocks,
            routeTableIds: this.routeTableIds,
            nodeSecurityGroupId: this.securityGroupId,
            peerRoleArn: this.peerRoleArn,
            peerInstanceProfileName: this.peerInstanceProfileName,
            peerSecurityGroupId: this.peerSecurityGroupId,
            connectionUriBase: this.connectionUriBase,
        };
    }

    /** The checked arguments; a bad one fails the preview, naming it. */
    private resolve(
        systemName: string,
        args: DatomicTransactorArgs,
    ): { settings: TransactorSettings; roll: RollSettings } {
        // Both sets of checks run, so one preview names every bad argument.
        const problems: ArgumentProblem[] = [];
        const checked = <T>(resolveArgs: () => T): T | undefined => {
            try {
                return resolveArgs();
            } catch (e) {
                if (e instanceof TransactorArgumentError) {
                    problems.push(...e.problems);
                    return undefined;
                }
                throw e;
            }
        };
        const settings = checked(() => resolveTransactorSettings(systemName, args));
        const roll = checked(() => resolveRollSettings(args));
        if (!settings || !roll) {
            throw new pulumi.ResourceError(new TransactorArgumentError(problems).message, this);
        }
        return { settings, roll };
    }
}
