/**
 * DatomicTransactor: Datomic Pro on AWS with DynamoDB storage, in plain Pulumi
 * resources. It replaces `bin/datomic ensure-transactor`, `ensure-cf` and
 * `create-cf-template`, which Cognitect deprecated in December 2023 with the
 * advice to build your own template (docs.datomic.com/operation/aws.html).
 *
 * It creates the storage table, an optional log bucket, the transactor and
 * peer roles scoped as ensure-transactor scoped them, the security groups,
 * and an Auto Scaling group of transactor instances (an active one and a
 * standby by default) that an instance refresh rolls whenever the launch
 * template changes, plus CloudWatch alarms on the transactor's own metrics.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatomicEnvironmentOutputs } from "../contract";
import { ingressCidrProblem } from "../internal/cidr";
import { nameFragment } from "../internal/naming";
import {
    ec2AssumeRolePolicy,
    inlinePolicyNames,
    licenseKeyParameterPolicy,
    parameterArn,
    peerTablePolicy,
    PolicyDocument,
    transactorLogsPolicy,
    transactorMetricsPolicy,
    transactorTablePolicy,
} from "./policies";
import {
    connectionUriBase,
    DEFAULT_MEMORY_INDEX_MAX,
    DEFAULT_MEMORY_INDEX_THRESHOLD,
    DEFAULT_OBJECT_CACHE_MAX,
    extraPropertyProblem,
    renderTransactorProperties,
    TRANSACTOR_PORT,
    TransactorPropertiesSettings,
} from "./properties";
import { renderTransactorUserData, USER_DATA_MAX_BYTES } from "./userData";
import {
    datomicMemorySizeProblem,
    datomicVersionProblem,
    groupSizeProblem,
    isArmInstanceType,
    javaHeapSizeProblem,
    needsLicenseKey,
    parameterNameProblem,
    portProblem,
    positiveIntegerProblem,
    roleNameProblem,
    sha256Problem,
    systemNameProblem,
    tableNameProblem,
    LAST_LICENSED_VERSION,
} from "./validation";

/** Arguments of {@link DatomicTransactor}. */
export interface DatomicTransactorArgs {
    /** The Datomic Pro release to run, e.g. `1.0.7075`. Changing it rolls the group onto the new release. */
    version: string;
    /** SHA-256 (hex) of `datomic-pro-<version>.zip`; the instance refuses a download that does not match. */
    sha256?: string;
    /**
     * The transactor's name: the default table name, the CloudWatch dimension value and the prefix of
     * role, group and alarm names. Defaults to the component's name.
     */
    systemName?: string;
    /** The region the provider must deploy to; a different one fails the deployment before the table is touched. */
    region?: string;

    /** The VPC the transactors run in. */
    vpcId: pulumi.Input<string>;
    /** The VPC's CIDR block, for the health port rule and the contract; looked up from `vpcId` when omitted. */
    vpcCidrBlock?: pulumi.Input<string>;
    /** Subnets (private ones, in different availability zones) for the Auto Scaling group. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Security groups of existing peers, admitted on TCP 4334. */
    peerSecurityGroupIds?: string[];
    /** Security groups of existing peers in the VPC, by name (ensure-cf's `aws-ingress-groups`), admitted on TCP 4334. */
    peerSecurityGroupNames?: string[];
    /** CIDR blocks admitted on TCP 4334. `0.0.0.0/0` and `::/0` are refused unless `allowPublicIngress` is true. */
    peerCidrs?: string[];
    /** Allow `0.0.0.0/0` or `::/0` in `peerCidrs`. Default false. */
    allowPublicIngress?: boolean;
    /** The transactor security group's name. Defaults to `<systemName>-transactor`. */
    securityGroupName?: string;
    /** The transactor security group's description (keep ensure-cf's "Provisioned by Datomic" when importing its group). */
    securityGroupDescription?: string;

    /** EC2 instance type. Default `m6i.large`. */
    instanceType?: string;
    /** The AMI; defaults to the latest Amazon Linux 2023 image for the instance type's architecture. */
    amiId?: pulumi.Input<string>;
    /** An EC2 key pair for SSH. None by default (use SSM Session Manager). */
    keyName?: pulumi.Input<string>;
    /** Size of the encrypted gp3 root volume in GiB. Default 20. */
    rootVolumeSizeGb?: number;
    /** Number of transactors; 2 (the default) runs an active transactor and a standby. */
    groupSize?: number;
    /** Seconds a new instance gets to start the transactor before an instance refresh moves on. Default 300. */
    instanceWarmupSeconds?: number;
    /** `-Xms`/`-Xmx`, as `<n>g` or `<n>m`. Defaults to 70% of the instance's memory, computed at boot. */
    javaXmx?: string;
    /** `JAVA_OPTS` for the transactor JVM. */
    javaOpts?: string;
    /** The dnf package of the JRE. Default `java-21-amazon-corretto-headless`. */
    jrePackage?: string;
    /**
     * SSM Parameter Store SecureString holding the license key, read at boot; required for releases
     * 1.0.6711 and older, which need a key. The transactor role may read exactly this parameter; a
     * parameter encrypted with a customer managed KMS key also needs that key's policy to allow the role.
     */
    licenseKeyParameterName?: string;

    /** The DynamoDB table. Defaults to `systemName`. Changing it on a protected table fails rather than replacing it. */
    tableName?: string;
    /** Adopt the existing table named `tableName` (imported, never recreated) instead of creating it. */
    adoptTable?: boolean;
    /** `"PAY_PER_REQUEST"` (the default) or `"PROVISIONED"`. */
    billingMode?: string;
    /** Provisioned read capacity units; required with `"PROVISIONED"`. */
    readCapacity?: number;
    /** Provisioned write capacity units; required with `"PROVISIONED"`. */
    writeCapacity?: number;
    /**
     * Protect the table and the log bucket: Pulumi `protect`, retained when removed from the program, and
     * DynamoDB deletion protection. Default true. Set false only for throwaway systems.
     */
    protectStorage?: boolean;

    /** The transactor role and its instance profile. Defaults to `<systemName>-transactor`. */
    transactorRoleName?: string;
    /** The peer role and its instance profile. Defaults to `<systemName>-peer`. */
    peerRoleName?: string;

    /** Rotate transactor logs into an S3 bucket. Implied by `logBucketName`. Default false. */
    logBucket?: boolean;
    /** The log bucket's name; generated when omitted. */
    logBucketName?: string;
    /** Delete log objects this many days after they are written. Kept forever when omitted. */
    logExpirationDays?: number;

    /** `memory-index-threshold`. Default `32m`. */
    memoryIndexThreshold?: string;
    /** `memory-index-max`. Default `256m`. */
    memoryIndexMax?: string;
    /** `object-cache-max`. Default `128m`. */
    objectCacheMax?: string;
    /** `memcached`: comma-separated `host:port` pairs. */
    memcached?: string;
    /** `write-concurrency`. */
    writeConcurrency?: number;
    /** `read-concurrency`. */
    readConcurrency?: number;
    /** `heartbeat-interval-msec`. */
    heartbeatIntervalMsec?: number;
    /** `ping-port`: turns on the `/health` endpoint, and opens it to the VPC's CIDR block. */
    pingPort?: number;
    /** `ping-host`. Default `0.0.0.0` when `pingPort` is set. */
    pingHost?: string;
    /** A fixed `alt-host` (a name or address peers outside the VPC reach). */
    altHost?: string;
    /** Use the instance's public IP as `alt-host`, as create-cf-template did. Default false. */
    altHostIsPublicIp?: boolean;
    /** `valcache-path`. */
    valcachePath?: string;
    /** `valcache-max-gb`. */
    valcacheMaxGb?: number;
    /** Other transactor properties (e.g. `encrypt-channel`, `metrics-callback`); never secrets. */
    extraProperties?: Record<string, string>;

    /** Publish the transactor's CloudWatch metrics. Default true (the alarms need them). */
    cloudWatchMetrics?: boolean;
    /** `aws-cloudwatch-region`. Defaults to the deployment's region. */
    cloudWatchRegion?: string;
    /** `aws-cloudwatch-dimension-value`. Defaults to `systemName`. */
    cloudWatchDimensionValue?: string;
    /** Alarms on the transactor's `Alarm` and `HeartbeatMsec` metrics. Default true. */
    alarms?: boolean;
    /** SNS topic notified when an alarm fires and when it clears. */
    alarmTopicArn?: pulumi.Input<string>;
    /** The CloudWatch dimension name the transactor reports under. Default `Transactor`. */
    alarmDimensionName?: string;

    /** Tags for every resource the component creates. */
    tags?: Record<string, pulumi.Input<string>>;
}

/** Public SSM parameters naming the latest Amazon Linux 2023 AMIs. */
export const AL2023_AMI_PARAMETERS = {
    /** For x86_64 instance types. */
    x86_64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    /** For arm64 (Graviton) instance types. */
    arm64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
} as const;

/**
 * The CloudWatch namespace and dimension the transactor's metrics carry: namespace `Datomic`, one
 * dimension named `Transactor` whose value is `aws-cloudwatch-dimension-value` (as the transactor's
 * CloudWatch reporter, `datomic.aws-monitor` in the Datomic Pro jar, sends them). Metric names and
 * statistics: docs.datomic.com/operation/monitoring.html ("Alarm": a problem occurred, Sum;
 * "HeartbeatMsec": heartbeats written by the active transactor).
 */
export const DATOMIC_METRICS_NAMESPACE = "Datomic";
/** The dimension name of the transactor's metrics (`alarmDimensionName`'s default). */
export const DEFAULT_ALARM_DIMENSION_NAME = "Transactor";

const DEFAULT_INSTANCE_TYPE = "m6i.large";
const DEFAULT_JRE_PACKAGE = "java-21-amazon-corretto-headless";
const DEFAULT_GROUP_SIZE = 2;
const DEFAULT_WARMUP_SECONDS = 300;
const DEFAULT_ROOT_VOLUME_GB = 20;
const BILLING_MODES = ["PAY_PER_REQUEST", "PROVISIONED"];
/** An instance refresh keeps at least half the group in service: one instance at a time for a pair. */
const REFRESH_MIN_HEALTHY_PERCENTAGE = 50;

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

        const systemName = args.systemName ?? name;
        this.check("systemName", systemNameProblem(systemName));
        const settings = this.validate(systemName, args);
        const tags = args.tags ?? {};
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
        this.systemName = pulumi.output(systemName);
        this.vpcId = pulumi.output(args.vpcId);
        this.vpcCidrBlock = args.vpcCidrBlock
            ? pulumi.output(args.vpcCidrBlock)
            : aws.ec2.getVpcOutput({ id: args.vpcId }, parent).cidrBlock;

        // Storage. Protected and retained by default; nothing here can replace the table without failing first.
        const table = new aws.dynamodb.Table(
            `${name}-table`,
            {
                // Taking the name through the checked region stops a deployment to the wrong region here.
                name: this.region.apply(() => settings.tableName),
                hashKey: "id",
                attributes: [{ name: "id", type: "S" }],
                billingMode: settings.billingMode,
                readCapacity: settings.billingMode === "PROVISIONED" ? args.readCapacity : undefined,
                writeCapacity: settings.billingMode === "PROVISIONED" ? args.writeCapacity : undefined,
                pointInTimeRecovery: { enabled: true },
                deletionProtectionEnabled: settings.protectStorage,
                tags,
            },
            {
                parent: this,
                protect: settings.protectStorage,
                retainOnDelete: settings.protectStorage,
                import: args.adoptTable ? settings.tableName : undefined,
            },
        );
        this.tableName = table.name;
        this.tableArn = table.arn;
        this.connectionUriBase = pulumi
            .all([this.region, table.name])
            .apply(([region, tableName]) => connectionUriBase(region, tableName));

        const bucket = settings.logBucket ? this.createLogBucket(name, args, settings.protectStorage, tags) : undefined;
        this.logBucketName = bucket ? bucket.bucket : pulumi.output(undefined);

        // IAM, as ensure-transactor made it: one role and instance profile of the same name each.
        const transactorRole = this.instanceRole(`${name}-transactor`, settings.transactorRoleName, tags);
        const transactorProfile = this.instanceProfile(`${name}-transactor`, transactorRole, tags);
        const peerRole = this.instanceRole(`${name}-peer`, settings.peerRoleName, tags);
        const peerProfile = this.instanceProfile(`${name}-peer`, peerRole, tags);
        this.transactorRoleArn = transactorRole.arn;
        this.peerRoleArn = peerRole.arn;
        this.peerInstanceProfileName = peerProfile.name;

        const transactorPolicies = [
            this.rolePolicy(
                `${name}-transactor-table`,
                transactorRole,
                inlinePolicyNames.transactorTable(settings.tableName),
                table.arn.apply(transactorTablePolicy),
            ),
        ];
        if (bucket) {
            transactorPolicies.push(
                this.rolePolicy(
                    `${name}-transactor-logs`,
                    transactorRole,
                    bucket.bucket.apply(inlinePolicyNames.transactorLogs),
                    bucket.arn.apply(transactorLogsPolicy),
                ),
            );
        }
        if (settings.cloudWatchMetrics) {
            transactorPolicies.push(
                this.rolePolicy(
                    `${name}-transactor-metrics`,
                    transactorRole,
                    inlinePolicyNames.transactorMetrics,
                    pulumi.output(transactorMetricsPolicy()),
                ),
            );
        }
        const licenseParameter = args.licenseKeyParameterName;
        if (licenseParameter !== undefined) {
            transactorPolicies.push(
                this.rolePolicy(
                    `${name}-transactor-license-key`,
                    transactorRole,
                    inlinePolicyNames.transactorLicenseKey,
                    pulumi
                        .all([partition, this.region, this.accountId])
                        .apply(([p, region, account]) =>
                            licenseKeyParameterPolicy(parameterArn(p, region, account, licenseParameter)),
                        ),
                ),
            );
        }
        this.rolePolicy(
            `${name}-peer-table`,
            peerRole,
            inlinePolicyNames.peerTable(settings.tableName),
            table.arn.apply(peerTablePolicy),
        );
        const peerPolicy = new aws.iam.Policy(
            `${name}-peer-policy`,
            {
                name: `${systemName}-datomic-peer`,
                description: `Read access to the Datomic storage of ${systemName}, for peer application roles`,
                policy: table.arn.apply((arn) => JSON.stringify(peerTablePolicy(arn))),
                tags,
            },
            parent,
        );
        this.peerPolicyArn = peerPolicy.arn;

        // Security groups: the transactors admit TCP 4334 from peers only.
        const transactorGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                name: settings.securityGroupName,
                description: args.securityGroupDescription ?? `Datomic transactors of ${systemName}`,
                vpcId: args.vpcId,
                tags: { ...tags, Name: settings.securityGroupName },
            },
            parent,
        );
        const peerGroup = new aws.ec2.SecurityGroup(
            `${name}-peer-sg`,
            {
                name: `${systemName}-datomic-peers`,
                description: `Datomic peers of ${systemName}: members reach the transactors on TCP ${TRANSACTOR_PORT}`,
                vpcId: args.vpcId,
                tags: { ...tags, Name: `${systemName}-datomic-peers` },
            },
            parent,
        );
        this.securityGroupId = transactorGroup.id;
        this.peerSecurityGroupId = peerGroup.id;
        for (const [group, suffix] of [
            [transactorGroup, "sg"],
            [peerGroup, "peer-sg"],
        ] as const) {
            new aws.vpc.SecurityGroupEgressRule(
                `${name}-${suffix}-egress-ipv4`,
                {
                    securityGroupId: group.id,
                    ipProtocol: "-1",
                    cidrIpv4: "0.0.0.0/0",
                    description: "All outbound traffic (DynamoDB, S3, the Datomic download, peers)",
                    tags,
                },
                parent,
            );
        }
        const ingress = (suffix: string, source: Partial<aws.vpc.SecurityGroupIngressRuleArgs>, description: string) =>
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-ingress-${suffix}`,
                {
                    securityGroupId: transactorGroup.id,
                    ipProtocol: "tcp",
                    fromPort: TRANSACTOR_PORT,
                    toPort: TRANSACTOR_PORT,
                    description,
                    tags,
                    ...source,
                },
                parent,
            );
        ingress("peer-sg", { referencedSecurityGroupId: peerGroup.id }, `Datomic peers (${systemName}-datomic-peers)`);
        for (const groupId of settings.peerSecurityGroupIds) {
            ingress(nameFragment(groupId), { referencedSecurityGroupId: groupId }, `Datomic peers in ${groupId}`);
        }
        for (const groupName of settings.peerSecurityGroupNames) {
            const group = aws.ec2.getSecurityGroupOutput({ name: groupName, vpcId: args.vpcId }, parent);
            ingress(
                `sg-${nameFragment(groupName)}`,
                { referencedSecurityGroupId: group.id },
                `Datomic peers in ${groupName}`,
            );
        }
        for (const cidr of settings.peerCidrs) {
            ingress(
                nameFragment(cidr),
                cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr },
                `Datomic peers in ${cidr}`,
            );
        }
        if (args.pingPort !== undefined) {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-health-vpc`,
                {
                    securityGroupId: transactorGroup.id,
                    ipProtocol: "tcp",
                    fromPort: args.pingPort,
                    toPort: args.pingPort,
                    cidrIpv4: this.vpcCidrBlock,
                    description: "Transactor health endpoint (/health), from the VPC only",
                    tags,
                },
                parent,
            );
        }

        // Compute: a launch template whose every change rolls the group, one instance at a time.
        const cloudWatchRegion = settings.cloudWatchMetrics
            ? this.region.apply((region) => args.cloudWatchRegion ?? region)
            : pulumi.output(undefined);
        const userData = pulumi
            .all([this.region, this.logBucketName, cloudWatchRegion])
            .apply(([region, logBucketName, metricsRegion]) => {
                const propertiesText = renderTransactorProperties({
                    ...settings.properties,
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
                    javaOpts: args.javaOpts,
                    jrePackage: args.jrePackage ?? DEFAULT_JRE_PACKAGE,
                    licenseKeyParameterName: licenseParameter,
                    altHost: args.altHost,
                    altHostIsPublicIp: args.altHostIsPublicIp,
                });
                const size = Buffer.byteLength(script);
                if (size > USER_DATA_MAX_BYTES) {
                    throw new pulumi.ResourceError(
                        `the transactor's user data is ${size} bytes, over EC2's limit of ${USER_DATA_MAX_BYTES}; shorten extraProperties or javaOpts`,
                        this,
                    );
                }
                return Buffer.from(script).toString("base64");
            });
        const amiId =
            args.amiId ??
            aws.ssm.getParameterOutput(
                {
                    name: isArmInstanceType(settings.instanceType)
                        ? AL2023_AMI_PARAMETERS.arm64
                        : AL2023_AMI_PARAMETERS.x86_64,
                },
                parent,
            ).value;
        const instanceName = `${systemName}-transactor`;
        const launchTemplate = new aws.ec2.LaunchTemplate(
            `${name}-launch-template`,
            {
                name: instanceName,
                description: `Datomic Pro ${args.version} transactor of ${systemName}`,
                imageId: amiId,
                instanceType: settings.instanceType,
                keyName: args.keyName,
                iamInstanceProfile: { arn: transactorProfile.arn },
                vpcSecurityGroupIds: [transactorGroup.id],
                metadataOptions: {
                    httpEndpoint: "enabled",
                    httpTokens: "required",
                    httpPutResponseHopLimit: 1,
                },
                blockDeviceMappings: [
                    {
                        deviceName: "/dev/xvda",
                        ebs: {
                            volumeSize: settings.rootVolumeSizeGb,
                            volumeType: "gp3",
                            encrypted: "true",
                            deleteOnTermination: "true",
                        },
                    },
                ],
                // The unit powers the instance off when the transactor exits; terminating lets the group replace it.
                instanceInitiatedShutdownBehavior: "terminate",
                userData,
                updateDefaultVersion: true,
                tagSpecifications: [
                    { resourceType: "instance", tags: { ...tags, Name: instanceName } },
                    { resourceType: "volume", tags: { ...tags, Name: instanceName } },
                ],
                tags,
            },
            // The instances need their policies in place when they boot.
            { parent: this, dependsOn: transactorPolicies },
        );
        this.launchTemplateId = launchTemplate.id;
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
                instanceRefresh: {
                    strategy: "Rolling",
                    preferences: {
                        minHealthyPercentage: REFRESH_MIN_HEALTHY_PERCENTAGE,
                        instanceWarmup: String(settings.warmupSeconds),
                    },
                },
                tags: [
                    { key: "Name", value: instanceName, propagateAtLaunch: true },
                    ...Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
                ],
            },
            parent,
        );
        this.autoScalingGroupName = group.name;

        if (settings.alarms) {
            this.createAlarms(name, systemName, settings.cloudWatchDimensionValue, args, tags);
        }

        this.subnetCidrBlocks = pulumi
            .output(args.subnetIds)
            .apply((ids) => Promise.all(ids.map((id) => aws.ec2.getSubnet({ id }, parent))))
            .apply((subnets) => subnets.map((subnet) => subnet.cidrBlock));
        const explicitRouteTables = aws.ec2.getRouteTablesOutput(
            { vpcId: args.vpcId, filters: [{ name: "association.subnet-id", values: args.subnetIds }] },
            parent,
        ).ids;
        const mainRouteTables = aws.ec2.getRouteTablesOutput(
            { vpcId: args.vpcId, filters: [{ name: "association.main", values: ["true"] }] },
            parent,
        ).ids;
        this.routeTableIds = pulumi
            .all([explicitRouteTables, mainRouteTables])
            .apply(([explicit, main]) => [...new Set([...explicit, ...main])]);

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

    private check(argument: string, problem: string | undefined): void {
        if (problem) {
            throw new pulumi.ResourceError(`${argument}: ${problem}`, this);
        }
    }

    /** Checks every argument before anything is created and resolves the defaults. */
    private validate(systemName: string, args: DatomicTransactorArgs) {
        this.check("version", datomicVersionProblem(args.version));
        if (args.sha256 !== undefined) {
            this.check("sha256", sha256Problem(args.sha256));
        }
        if (args.licenseKeyParameterName !== undefined) {
            this.check("licenseKeyParameterName", parameterNameProblem(args.licenseKeyParameterName));
        } else if (needsLicenseKey(args.version)) {
            this.check(
                "licenseKeyParameterName",
                `is required for version ${args.version}: releases up to ${LAST_LICENSED_VERSION} need a license key; store it as an SSM SecureString and name the parameter here`,
            );
        }
        if (args.javaXmx !== undefined) {
            this.check("javaXmx", javaHeapSizeProblem(args.javaXmx));
        }
        const groupSize = args.groupSize ?? DEFAULT_GROUP_SIZE;
        this.check("groupSize", groupSizeProblem(groupSize));
        const warmupSeconds = args.instanceWarmupSeconds ?? DEFAULT_WARMUP_SECONDS;
        this.check("instanceWarmupSeconds", positiveIntegerProblem(warmupSeconds));
        const rootVolumeSizeGb = args.rootVolumeSizeGb ?? DEFAULT_ROOT_VOLUME_GB;
        this.check("rootVolumeSizeGb", positiveIntegerProblem(rootVolumeSizeGb));

        const tableName = args.tableName ?? systemName;
        this.check("tableName", tableNameProblem(tableName));
        const billingMode = args.billingMode ?? "PAY_PER_REQUEST";
        if (!BILLING_MODES.includes(billingMode)) {
            this.check(
                "billingMode",
                `"${billingMode}" is not a DynamoDB billing mode; use ${BILLING_MODES.join(" or ")}`,
            );
        }
        for (const key of ["readCapacity", "writeCapacity"] as const) {
            const capacity = args[key];
            if (billingMode === "PROVISIONED") {
                this.check(
                    key,
                    capacity === undefined
                        ? `is required with billingMode "PROVISIONED"`
                        : positiveIntegerProblem(capacity),
                );
            } else if (capacity !== undefined) {
                this.check(key, `only applies with billingMode "PROVISIONED" (billingMode is "${billingMode}")`);
            }
        }

        const transactorRoleName = args.transactorRoleName ?? `${systemName}-transactor`;
        const peerRoleName = args.peerRoleName ?? `${systemName}-peer`;
        this.check("transactorRoleName", roleNameProblem(transactorRoleName));
        this.check("peerRoleName", roleNameProblem(peerRoleName));
        if (transactorRoleName === peerRoleName) {
            this.check("peerRoleName", `"${peerRoleName}" is also the transactor role; peers get a role of their own`);
        }

        const peerCidrs = [...new Set(args.peerCidrs ?? [])];
        for (const cidr of peerCidrs) {
            this.check(
                "peerCidrs",
                ingressCidrProblem(cidr, {
                    allowPublic: args.allowPublicIngress ?? false,
                    allowFlag: "allowPublicIngress",
                    exposure: `opens the transactor port ${TRANSACTOR_PORT} to the whole internet`,
                    sources: "your peers'",
                }),
            );
        }
        const peerSecurityGroupIds = [...new Set(args.peerSecurityGroupIds ?? [])];
        for (const groupId of peerSecurityGroupIds) {
            if (!/^sg-[0-9a-f]{8,17}$/.test(groupId)) {
                this.check(
                    "peerSecurityGroupIds",
                    `"${groupId}" is not a security group id (sg- and 8 or 17 hex digits); name groups in peerSecurityGroupNames`,
                );
            }
        }

        for (const [key, value] of [
            ["memoryIndexThreshold", args.memoryIndexThreshold],
            ["memoryIndexMax", args.memoryIndexMax],
            ["objectCacheMax", args.objectCacheMax],
        ] as const) {
            if (value !== undefined) {
                this.check(key, datomicMemorySizeProblem(value));
            }
        }
        for (const [key, value] of [
            ["writeConcurrency", args.writeConcurrency],
            ["readConcurrency", args.readConcurrency],
            ["heartbeatIntervalMsec", args.heartbeatIntervalMsec],
            ["valcacheMaxGb", args.valcacheMaxGb],
            ["logExpirationDays", args.logExpirationDays],
        ] as const) {
            if (value !== undefined) {
                this.check(key, positiveIntegerProblem(value));
            }
        }
        if (args.pingPort !== undefined) {
            this.check("pingPort", portProblem(args.pingPort));
            if (args.pingPort === TRANSACTOR_PORT) {
                this.check("pingPort", `${TRANSACTOR_PORT} is the transactor's own port; choose another, such as 9999`);
            }
        }
        if (args.altHost !== undefined) {
            if (!/^[A-Za-z0-9.:-]+$/.test(args.altHost)) {
                this.check("altHost", `"${args.altHost}" is not a host name or address`);
            }
            if (args.altHostIsPublicIp) {
                this.check("altHostIsPublicIp", "cannot be combined with altHost; choose one alt-host");
            }
        }
        if (args.memcached !== undefined && !/^[A-Za-z0-9.-]+:\d+(,[A-Za-z0-9.-]+:\d+)*$/.test(args.memcached)) {
            this.check(
                "memcached",
                `"${args.memcached}" is not a list of host:port pairs such as "mc-1:11211,mc-2:11211"`,
            );
        }
        if (args.jrePackage !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(args.jrePackage)) {
            this.check("jrePackage", `"${args.jrePackage}" is not a dnf package name`);
        }
        for (const key of Object.keys(args.extraProperties ?? {})) {
            this.check("extraProperties", extraPropertyProblem(key));
        }

        const cloudWatchMetrics = args.cloudWatchMetrics ?? true;
        const alarms = args.alarms ?? true;
        if (alarms && !cloudWatchMetrics) {
            this.check(
                "alarms",
                "need the transactor's CloudWatch metrics; set cloudWatchMetrics: true or alarms: false",
            );
        }
        const cloudWatchDimensionValue = args.cloudWatchDimensionValue ?? systemName;

        const properties: Omit<TransactorPropertiesSettings, "region"> = {
            tableName,
            transactorRoleName,
            peerRoleName,
            memoryIndexThreshold: args.memoryIndexThreshold ?? DEFAULT_MEMORY_INDEX_THRESHOLD,
            memoryIndexMax: args.memoryIndexMax ?? DEFAULT_MEMORY_INDEX_MAX,
            objectCacheMax: args.objectCacheMax ?? DEFAULT_OBJECT_CACHE_MAX,
            cloudWatchDimensionValue: cloudWatchMetrics ? cloudWatchDimensionValue : undefined,
            memcached: args.memcached,
            writeConcurrency: args.writeConcurrency,
            readConcurrency: args.readConcurrency,
            heartbeatIntervalMsec: args.heartbeatIntervalMsec,
            pingHost: args.pingHost ?? (args.pingPort !== undefined ? "0.0.0.0" : undefined),
            pingPort: args.pingPort,
            valcachePath: args.valcachePath,
            valcacheMaxGb: args.valcacheMaxGb,
            extraProperties: args.extraProperties,
        };
        return {
            tableName,
            billingMode,
            protectStorage: args.protectStorage ?? true,
            transactorRoleName,
            peerRoleName,
            logBucket: (args.logBucket ?? false) || args.logBucketName !== undefined,
            securityGroupName: args.securityGroupName ?? `${systemName}-transactor`,
            peerSecurityGroupIds,
            peerSecurityGroupNames: [...new Set(args.peerSecurityGroupNames ?? [])],
            peerCidrs,
            instanceType: args.instanceType ?? DEFAULT_INSTANCE_TYPE,
            groupSize,
            warmupSeconds,
            rootVolumeSizeGb,
            cloudWatchMetrics,
            cloudWatchDimensionValue,
            alarms,
            properties,
        };
    }

    private createLogBucket(
        name: string,
        args: DatomicTransactorArgs,
        protect: boolean,
        tags: Record<string, pulumi.Input<string>>,
    ): aws.s3.Bucket {
        const bucket = new aws.s3.Bucket(
            `${name}-logs`,
            { bucket: args.logBucketName, forceDestroy: !protect, tags },
            { parent: this, protect, retainOnDelete: protect },
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-logs-encryption`,
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
            { parent: this },
        );
        new aws.s3.BucketPublicAccessBlock(
            `${name}-logs-public-access`,
            {
                bucket: bucket.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            { parent: this },
        );
        if (args.logExpirationDays !== undefined) {
            new aws.s3.BucketLifecycleConfiguration(
                `${name}-logs-expiry`,
                {
                    bucket: bucket.id,
                    rules: [
                        {
                            id: "expire-transactor-logs",
                            status: "Enabled",
                            filter: {},
                            expiration: { days: args.logExpirationDays },
                        },
                    ],
                },
                { parent: this },
            );
        }
        return bucket;
    }

    private instanceRole(resourceName: string, roleName: string, tags: Record<string, pulumi.Input<string>>) {
        return new aws.iam.Role(
            `${resourceName}-role`,
            { name: roleName, assumeRolePolicy: JSON.stringify(ec2AssumeRolePolicy()), tags },
            { parent: this },
        );
    }

    private instanceProfile(resourceName: string, role: aws.iam.Role, tags: Record<string, pulumi.Input<string>>) {
        return new aws.iam.InstanceProfile(
            `${resourceName}-profile`,
            { name: role.name, role: role.name, tags },
            { parent: this },
        );
    }

    private rolePolicy(
        resourceName: string,
        role: aws.iam.Role,
        policyName: pulumi.Input<string>,
        policy: pulumi.Output<PolicyDocument>,
    ): aws.iam.RolePolicy {
        return new aws.iam.RolePolicy(
            `${resourceName}-policy`,
            { role: role.name, name: policyName, policy: policy.apply((document) => JSON.stringify(document)) },
            { parent: this },
        );
    }

    private createAlarms(
        name: string,
        systemName: string,
        dimensionValue: string,
        args: DatomicTransactorArgs,
        tags: Record<string, pulumi.Input<string>>,
    ): void {
        const actions = args.alarmTopicArn !== undefined ? [args.alarmTopicArn] : [];
        const common = {
            namespace: DATOMIC_METRICS_NAMESPACE,
            dimensions: { [args.alarmDimensionName ?? DEFAULT_ALARM_DIMENSION_NAME]: dimensionValue },
            period: 60,
            threshold: 1,
            alarmActions: actions,
            okActions: actions,
            tags,
        };
        new aws.cloudwatch.MetricAlarm(
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
            { parent: this },
        );
        new aws.cloudwatch.MetricAlarm(
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
            { parent: this },
        );
    }
}
