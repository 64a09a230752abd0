/**
 * The arguments of `DatomicTransactor`, in a file of their own so the component file and the
 * files of its parts (storage, IAM, network, compute, alarms) can all read them.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { TransactorRollArgs } from "./rollArgs";

/** Arguments of `DatomicTransactor`. */
export interface DatomicTransactorArgs extends TransactorRollArgs {
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

    /** The VPC the transactors run in; an empty id is refused. */
    vpcId: pulumi.Input<string>;
    /** The VPC's CIDR block, for the health port rule and the contract; looked up from `vpcId` when omitted. */
    vpcCidrBlock?: pulumi.Input<string>;
    /** Subnets (private ones, in different availability zones) for the Auto Scaling group; at least one. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Security groups of existing peers, admitted on TCP 4334. */
    peerSecurityGroupIds?: string[];
    /** Security groups of existing peers in the VPC, by name (ensure-cf's `aws-ingress-groups`), admitted on TCP 4334. */
    peerSecurityGroupNames?: string[];
    /** CIDR blocks admitted on TCP 4334. `0.0.0.0/0` and `::/0` are refused unless `allowPublicIngress` is true. */
    peerCidrs?: string[];
    /** Allow `0.0.0.0/0` or `::/0` in `peerCidrs`. Default false. */
    allowPublicIngress?: boolean;
    /**
     * The transactor security group's exact name, to adopt an existing group (ensure-cf's
     * `aws-security-group`). By default the group is named `<systemName>-transactor-<suffix>`, so it can be
     * replaced while instances still use it; a group with a fixed name cannot be created beside itself.
     */
    securityGroupName?: string;
    /** The transactor security group's description (keep ensure-cf's "Provisioned by Datomic" when importing its group). */
    securityGroupDescription?: string;

    /** EC2 instance type, `family.size`. Default `m6i.large`. */
    instanceType?: string;
    /** EC2 detailed (one-minute) monitoring of the instances, ensure-cf's `aws-instance-monitoring`. Default false. */
    detailedMonitoring?: boolean;
    /**
     * The AMI, pinned: an Amazon Linux 2023 image for the instance type's architecture. Required unless
     * `amiParameterName` is set. Find the current image with
     * `aws ssm get-parameter --name /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 --query Parameter.Value --output text`
     * (`...-arm64` for Graviton types); changing it rolls the group (docs/transactor.md, "How a roll works").
     */
    amiId?: pulumi.Input<string>;
    /**
     * Follow the SSM parameter naming the AMI instead of pinning one, e.g. `AL2023_AMI_PARAMETERS.x86_64` or
     * your image pipeline's parameter. It is read on every run, as its plain (insecure) value, so the
     * preview shows the AMI id: a new image appears as a launch template change that rolls the group.
     */
    amiParameterName?: string;
    /** An EC2 key pair for SSH. None by default (use SSM Session Manager). */
    keyName?: pulumi.Input<string>;
    /** Size of the encrypted gp3 root volume in GiB. Default 20. */
    rootVolumeSizeGb?: number;
    /** Number of transactors; 2 (the default) runs an active transactor and a standby. */
    groupSize?: number;
    /**
     * Seconds a new instance gets before its EC2 health counts and the health watcher's first question.
     * Default 300. A roll waits for readiness through the launch hook instead (`readyTimeoutSeconds`).
     */
    instanceWarmupSeconds?: number;
    /** `-Xms`/`-Xmx`, as `<n>g` or `<n>m`. Defaults to 70% of the instance's memory, computed at boot. */
    javaXmx?: string;
    /**
     * `JAVA_OPTS` for the transactor JVM. `bin/transactor` applies Datomic's GC flags only when `JAVA_OPTS` is
     * empty, so they lead the options given here (`-XX:+UseG1GC -XX:MaxGCPauseMillis=50 <javaOpts>`) unless
     * these choose a collector (`-XX:+Use...GC`) or a pause goal (`-XX:MaxGCPauseMillis=`) themselves.
     */
    javaOpts?: string;
    /** The dnf package of the JRE. Default `java-21-amazon-corretto-headless`. */
    jrePackage?: string;
    /**
     * SSM Parameter Store SecureString holding the license key, read at boot; required for releases
     * 1.0.6711 and older, which need a key. The transactor role may read exactly this parameter; a
     * parameter encrypted with a customer managed KMS key also needs that key's policy to allow the role.
     */
    licenseKeyParameterName?: string;
    /**
     * Where the release is downloaded from, as `<downloadUrl>/<version>/datomic-pro-<version>.zip` over https.
     * Default `https://datomic-pro-downloads.s3.amazonaws.com`, the public bucket, which has every release from
     * 1.0.6726. Releases 1.0.6711 and older were never there: they need this (for example
     * `https://my.datomic.com/repo/com/datomic/datomic-pro`, with `downloadCredentialsParameterName`, or your
     * own mirror). Credentials in the URL are refused.
     */
    downloadUrl?: string;
    /**
     * SSM Parameter Store SecureString holding `<user>:<password>` for `downloadUrl` (for my.datomic.com, the
     * account's e-mail and download key), read at boot and handed to curl in a file, never in user data or a
     * command line. The transactor role may read exactly this parameter.
     */
    downloadCredentialsParameterName?: string;

    /** The DynamoDB table. Defaults to `systemName`. Changing it on a protected table fails rather than replacing it. */
    tableName?: string;
    /**
     * Adopt the existing table named `tableName` (imported, never recreated) instead of creating it. Its
     * billing mode, capacity, point-in-time recovery, deletion protection and tags are read from AWS and
     * kept, so the import matches and no update follows it; keep this set after the import.
     */
    adoptTable?: boolean;
    /** `"PAY_PER_REQUEST"` (the default; an adopted table's own mode) or `"PROVISIONED"`. */
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

    /**
     * The transactor role and its instance profile. Defaults to `<systemName>-transactor-<region>` (IAM names
     * are global to the account, so the same system can run in a second region), shortened with a hash to
     * IAM's 64 characters. A role created under an earlier default keeps its name.
     */
    transactorRoleName?: string;
    /** The peer role and its instance profile. Defaults to `<systemName>-peer-<region>`, as for the transactor role. */
    peerRoleName?: string;

    /** Rotate transactor logs into an S3 bucket. Implied by `logBucketName`. Default false. */
    logBucket?: boolean;
    /** The log bucket's name; generated when omitted. */
    logBucketName?: string;
    /** Delete log objects this many days after they are written. Kept forever when omitted. */
    logExpirationDays?: number;

    /** `memory-index-threshold`. Default `32m`. */
    memoryIndexThreshold?: string;
    /** `memory-index-max`. Default `512m`, Datomic's recommendation (docs.datomic.com/operation/capacity.html). */
    memoryIndexMax?: string;
    /** `object-cache-max`. Left to Datomic by default: half the heap. */
    objectCacheMax?: string;
    /** `memcached`: comma-separated `host:port` pairs. */
    memcached?: string;
    /** `write-concurrency`: at least 2. Datomic's default when omitted. */
    writeConcurrency?: number;
    /** `read-concurrency`. */
    readConcurrency?: number;
    /** `heartbeat-interval-msec`: at least 1000. Datomic's default (5000) when omitted. */
    heartbeatIntervalMsec?: number;
    /** `ping-port`: turns on the `/health` endpoint, and opens it to the VPC's CIDR block. */
    pingPort?: number;
    /** `ping-host`. Default `0.0.0.0` when `pingPort` is set, `127.0.0.1` when only the health check needs the endpoint. */
    pingHost?: string;
    /**
     * Watch each transactor's `/health` endpoint on its instance and mark the instance unhealthy in the Auto
     * Scaling group when it stops answering (after `instanceWarmupSeconds`, three failed answers 30 s apart),
     * so the group replaces it and an instance refresh never counts it as serving. Default true. Without
     * `pingPort` the endpoint is `127.0.0.1:9999`, reachable from the instance only.
     */
    healthCheck?: boolean;
    /** A fixed `alt-host` (a name or address peers outside the VPC reach). */
    altHost?: string;
    /** Use the instance's public IP as `alt-host`, as create-cf-template did. Default false. */
    altHostIsPublicIp?: boolean;
    /** `valcache-path`. */
    valcachePath?: string;
    /** `valcache-max-gb`. */
    valcacheMaxGb?: number;
    /**
     * Other transactor properties (e.g. `encrypt-channel`, `metrics-callback`). They go into user data, so
     * secrets are refused: name their parameters in `secretProperties`.
     */
    extraProperties?: Record<string, string>;
    /**
     * Secret transactor properties (e.g. `memcached-password`), each the name of an SSM Parameter Store
     * SecureString read at boot, never part of user data. A Secrets Manager secret is reachable through its
     * SSM reference, `/aws/reference/secretsmanager/<secret>` (the transactor role then also needs
     * `secretsmanager:GetSecretValue` on it). The transactor role may read exactly these parameters.
     */
    secretProperties?: Record<string, string>;

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
