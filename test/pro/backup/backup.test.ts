/**
 * DatomicBackup under the mock runtime: the resources and their options, the IAM policies statement by
 * statement, the user data it renders, the alarms, and the arguments it refuses.
 */
import * as pulumi from "@pulumi/pulumi";
import { DatomicBackup, DatomicBackupArgs } from "../../../components/pro/backup/backup";
import { renderBackupScript, renderRestoreDrillScript } from "../../../components/pro/backup/scripts";
import { RecordedResource } from "../../../plan/recorded";
import { installMocks, resetWorld, valueOf } from "../../support/harness";
import { captureRejections } from "../../support/rejections";

const recorder = installMocks();

const T = {
    component: "datomic:pro:Backup",
    bucket: "aws:s3/bucket:Bucket",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    profile: "aws:iam/instanceProfile:InstanceProfile",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    group: "aws:ec2/securityGroup:SecurityGroup",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    asg: "aws:autoscaling/group:Group",
    schedule: "aws:autoscaling/schedule:Schedule",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    table: "aws:dynamodb/table:Table",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
} as const;

const NAME = "acme-orders";
const ACCOUNT = "111111111111";
const REGION = "us-east-1";
const BUCKET = "acme-orders-backup-0c1d2e3";
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const LOG_GROUP_ARN = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/datomic/${NAME}/backup`;
const SUBNETS = ["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88"];

function world(): void {
    resetWorld(recorder, {
        outputs: {
            [T.bucket]: { "*": { bucket: BUCKET, arn: BUCKET_ARN } },
            [T.logGroup]: { "*": { arn: LOG_GROUP_ARN } },
            [T.launchTemplate]: { "*": { latestVersion: 4 } },
        },
    });
}

function args(extra: Partial<DatomicBackupArgs> = {}): DatomicBackupArgs {
    return {
        version: "1.0.7075",
        tableName: NAME,
        databases: ["orders", "inventory"],
        vpcId: "vpc-0a1b2c3d4e5f67890",
        subnetIds: SUBNETS,
        amiId: "ami-0a1b2c3d4e5f60789",
        ...extra,
    };
}

async function build(extra: Partial<DatomicBackupArgs> = {}): Promise<DatomicBackup> {
    const backup = new DatomicBackup(NAME, args(extra));
    await valueOf(pulumi.all([backup.backupNowCommand, backup.restoreDrillCommand, backup.alarmNames]));
    await recorder.settle();
    expect(recorder.failures).toEqual([]);
    return backup;
}

const get = (type: string, name: string): RecordedResource => recorder.get(type, name);
const policyOf = (name: string) => JSON.parse(get(T.rolePolicy, name).inputs.policy as string);
const userDataOf = (name: string) =>
    Buffer.from(get(T.launchTemplate, name).inputs.userData as string, "base64").toString();

const RUN_STATEMENTS = (group: string) => [
    {
        Sid: "TakeBackupUriLocks",
        Effect: "Allow",
        Action: ["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
        Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${NAME}-datomic-backup-locks`,
    },
    {
        Sid: "WriteRunLog",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [LOG_GROUP_ARN, `${LOG_GROUP_ARN}:log-stream:*`],
    },
    {
        Sid: "PublishBackupMetrics",
        Effect: "Allow",
        Action: ["cloudwatch:PutMetricData"],
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": "Datomic/Backup" } },
    },
    {
        Sid: "LeaveOwnGroup",
        Effect: "Allow",
        Action: ["autoscaling:TerminateInstanceInAutoScalingGroup"],
        Resource: `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:*:autoScalingGroupName/${group}`,
    },
];

describe("DatomicBackup", () => {
    test("creates its bucket, log group, roles, groups, schedule and alarms, all parented to it", async () => {
        world();
        await build();
        expect(recorder.resources.map((r) => `${r.type}::${r.name}`).sort()).toEqual(
            [
                `${T.component}::${NAME}`,
                `${T.bucket}::${NAME}-bucket`,
                `${T.versioning}::${NAME}-versioning`,
                `${T.encryption}::${NAME}-encryption`,
                `${T.publicAccess}::${NAME}-public-access`,
                `${T.bucketPolicy}::${NAME}-tls-only`,
                `${T.lifecycle}::${NAME}-lifecycle`,
                `${T.logGroup}::${NAME}-logs`,
                `${T.group}::${NAME}-sg`,
                `${T.egress}::${NAME}-sg-egress-ipv4`,
                `${T.role}::${NAME}-backup-role`,
                `${T.profile}::${NAME}-backup-profile`,
                `${T.rolePolicy}::${NAME}-backup-policy`,
                `${T.launchTemplate}::${NAME}-backup-template`,
                `${T.asg}::${NAME}-backup-group`,
                `${T.schedule}::${NAME}-schedule`,
                `${T.alarm}::${NAME}-stale-orders`,
                `${T.alarm}::${NAME}-stale-inventory`,
                `${T.role}::${NAME}-restore-drill-role`,
                `${T.profile}::${NAME}-restore-drill-profile`,
                `${T.rolePolicy}::${NAME}-restore-drill-policy`,
                `${T.launchTemplate}::${NAME}-restore-drill-template`,
                `${T.asg}::${NAME}-restore-drill-group`,
                `${T.schedule}::${NAME}-restore-drill-schedule`,
                `${T.alarm}::${NAME}-drill-failed-orders`,
                `${T.alarm}::${NAME}-drill-failed-inventory`,
                `${T.alarm}::${NAME}-restore-in-progress`,
                `${T.table}::${NAME}-locks`,
                `${T.role}::${NAME}-restore-role`,
                `${T.profile}::${NAME}-restore-profile`,
                `${T.rolePolicy}::${NAME}-restore-policy`,
                `${T.launchTemplate}::${NAME}-restore-template`,
                `${T.asg}::${NAME}-restore-group`,
            ].sort(),
        );
        const component = get(T.component, NAME);
        for (const resource of recorder.resources.filter((r) => r !== component)) {
            expect([resource.name, resource.parent]).toEqual([resource.name, component.urn]);
        }
    });

    describe("the bucket", () => {
        test("is protected and retained, versioned, encrypted, private and TLS-only, and never expires current backups", async () => {
            world();
            await build({ bucketName: "acme-datomic-backups", noncurrentVersionExpirationDays: 45 });
            expect(get(T.bucket, `${NAME}-bucket`)).toMatchObject({
                inputs: { bucket: "acme-datomic-backups", forceDestroy: false },
                protect: true,
                retainOnDelete: true,
            });
            // Removing these from the program must not suspend versioning or drop encryption on the kept bucket.
            for (const [type, name] of [
                [T.versioning, `${NAME}-versioning`],
                [T.encryption, `${NAME}-encryption`],
                [T.publicAccess, `${NAME}-public-access`],
            ]) {
                expect(get(type, name).retainOnDelete).toBe(true);
            }
            expect(get(T.versioning, `${NAME}-versioning`).inputs).toEqual({
                bucket: `${NAME}-bucket-id`,
                versioningConfiguration: { status: "Enabled" },
            });
            expect(get(T.encryption, `${NAME}-encryption`).inputs).toEqual({
                bucket: `${NAME}-bucket-id`,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
            });
            expect(get(T.publicAccess, `${NAME}-public-access`).inputs).toMatchObject({
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
            expect(JSON.parse(get(T.bucketPolicy, `${NAME}-tls-only`).inputs.policy as string)).toEqual({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: "s3:*",
                        Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            });
            expect(get(T.lifecycle, `${NAME}-lifecycle`).inputs.rules).toEqual([
                {
                    id: "keep-current-backups-expire-old-versions",
                    status: "Enabled",
                    filter: {},
                    noncurrentVersionExpiration: { noncurrentDays: 45 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ]);
        });

        test("protectBucket: false relaxes protection and retention", async () => {
            world();
            await build({ protectBucket: false });
            expect(get(T.bucket, `${NAME}-bucket`)).toMatchObject({
                inputs: { forceDestroy: true },
                protect: false,
                retainOnDelete: false,
            });
            expect(get(T.versioning, `${NAME}-versioning`).retainOnDelete).toBe(false);
        });

        test("keeps each run's log for logRetentionDays", async () => {
            world();
            await build({ logRetentionDays: 30 });
            expect(get(T.logGroup, `${NAME}-logs`).inputs).toEqual({
                name: `/datomic/${NAME}/backup`,
                retentionInDays: 30,
                tags: {},
            });
        });
    });

    describe("IAM", () => {
        test("the backup role reads the live table and writes only the backup and status prefixes", async () => {
            world();
            await build();
            expect(get(T.role, `${NAME}-backup-role`).inputs.name).toBe(`${NAME}-datomic-backup`);
            expect(JSON.parse(get(T.role, `${NAME}-backup-role`).inputs.assumeRolePolicy as string)).toEqual({
                Version: "2012-10-17",
                Statement: [
                    { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole"] },
                ],
            });
            const policy = policyOf(`${NAME}-backup-policy`);
            expect(policy.Version).toBe("2012-10-17");
            const expected = [
                {
                    Sid: "ReadLiveTable",
                    Effect: "Allow",
                    Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Scan", "dynamodb:Query"],
                    Resource: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${NAME}`,
                },
                { Sid: "ListBackupBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: BUCKET_ARN },
                {
                    Sid: "WriteBackups",
                    Effect: "Allow",
                    Action: ["s3:GetObject", "s3:PutObject"],
                    Resource: `${BUCKET_ARN}/backups/*`,
                },
                {
                    Sid: "WriteBackupStatus",
                    Effect: "Allow",
                    Action: ["s3:PutObject"],
                    Resource: `${BUCKET_ARN}/status/*`,
                },
                ...RUN_STATEMENTS(`${NAME}-datomic-backup`),
            ];
            expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(expected.map((s) => s.Sid));
            expected.forEach((statement, i) =>
                expect([statement.Sid, policy.Statement[i]]).toEqual([statement.Sid, statement]),
            );
            // Nothing in it can delete an object or write the live table: its only writes to DynamoDB are the lock's.
            const writes = policy.Statement.filter((st: { Action: string[] }) =>
                st.Action.some((a) => /Delete|dynamodb:(Put|Update|Batch(Write)|\*)/.test(a)),
            );
            expect(writes.map((st: { Sid: string; Resource: string }) => [st.Sid, st.Resource])).toEqual([
                ["TakeBackupUriLocks", `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${NAME}-datomic-backup-locks`],
            ]);
        });

        test("the drill role owns scratch tables only and is explicitly denied the live table", async () => {
            world();
            await build();
            const policy = policyOf(`${NAME}-restore-drill-policy`);
            const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${NAME}`;
            const expected = [
                { Sid: "ListBackupBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: BUCKET_ARN },
                {
                    Sid: "ReadBackups",
                    Effect: "Allow",
                    Action: ["s3:GetObject"],
                    Resource: [`${BUCKET_ARN}/backups/*`, `${BUCKET_ARN}/status/*`],
                },
                { Sid: "UseScratchTables", Effect: "Allow", Action: ["dynamodb:*"], Resource: `${table}-drill-*` },
                { Sid: "NeverTouchLiveTable", Effect: "Deny", Action: ["dynamodb:*"], Resource: [table, `${table}/*`] },
                ...RUN_STATEMENTS(`${NAME}-datomic-restore-drill`),
            ];
            expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(expected.map((s) => s.Sid));
            expected.forEach((statement, i) =>
                expect([statement.Sid, policy.Statement[i]]).toEqual([statement.Sid, statement]),
            );
        });

        test("the restore role reads the backups (and the copy), writes the live table, reads its request, and nothing more", async () => {
            world();
            await build({ replicaBucketArn: "arn:aws:s3:::acme-orders-backup-copy" });
            const policy = policyOf(`${NAME}-restore-policy`);
            const table = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${NAME}`;
            const copy = "arn:aws:s3:::acme-orders-backup-copy";
            const expected = [
                { Sid: "ListBackupBuckets", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [BUCKET_ARN, copy] },
                {
                    Sid: "ReadBackups",
                    Effect: "Allow",
                    Action: ["s3:GetObject"],
                    Resource: [`${BUCKET_ARN}/backups/*`, `${copy}/backups/*`],
                },
                { Sid: "WriteLiveTable", Effect: "Allow", Action: ["dynamodb:*"], Resource: [table, `${table}/*`] },
                {
                    Sid: "ReadRestoreRequest",
                    Effect: "Allow",
                    Action: ["ssm:GetParameter"],
                    Resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/datomic/${NAME}/restore`,
                },
                ...RUN_STATEMENTS(`${NAME}-datomic-restore`).filter((st) => st.Sid !== "PublishBackupMetrics"),
            ];
            expect(policy).toEqual({ Version: "2012-10-17", Statement: expected });
        });
    });

    describe("the lock, the copy and the restore settings", () => {
        test("a lock table keyed by backup URI, whose expired items DynamoDB's TTL tidies away", async () => {
            world();
            const backup = await build();
            expect(get(T.table, `${NAME}-locks`).inputs).toMatchObject({
                name: `${NAME}-datomic-backup-locks`,
                billingMode: "PAY_PER_REQUEST",
                hashKey: "uri",
                attributes: [{ name: "uri", type: "S" }],
                ttl: { attributeName: "expiresAt", enabled: true },
            });
            expect(await valueOf(backup.lockTableName)).toBe(`${NAME}-datomic-backup-locks`);
        });

        test("no replication unless asked", async () => {
            world();
            await build();
            expect(recorder.resources.filter((r) => r.name.includes("replication"))).toEqual([]);
        });

        test("replication to another account copies backups/ with its own role, hands replicas over, keeps deletions out", async () => {
            world();
            await build({ replicaBucketArn: "arn:aws:s3:::acme-orders-backup-copy", replicaAccountId: "222222222222" });
            const config = get(T.replication, `${NAME}-replication`);
            expect(config.inputs).toMatchObject({
                rules: [
                    {
                        id: "copy-backups",
                        status: "Enabled",
                        filter: { prefix: "backups/" },
                        deleteMarkerReplication: { status: "Disabled" },
                        destination: {
                            bucket: "arn:aws:s3:::acme-orders-backup-copy",
                            account: "222222222222",
                            accessControlTranslation: { owner: "Destination" },
                        },
                    },
                ],
            });
            expect(config.dependencies).toEqual(expect.arrayContaining([get(T.versioning, `${NAME}-versioning`).urn]));
            expect(
                JSON.parse(get(T.role, `${NAME}-replication-role`).inputs.assumeRolePolicy as string).Statement,
            ).toEqual([{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: ["sts:AssumeRole"] }]);
            const policy = policyOf(`${NAME}-replication-policy`);
            expect(policy.Statement.map((st: { Sid: string; Resource: string }) => [st.Sid, st.Resource])).toEqual([
                ["ReadSourceConfiguration", BUCKET_ARN],
                ["ReadSourceVersions", `${BUCKET_ARN}/backups/*`],
                ["WriteReplicas", "arn:aws:s3:::acme-orders-backup-copy/backups/*"],
            ]);
            expect(policy.Statement[2].Action).toContain("s3:ObjectOwnerOverrideToBucketOwner");
        });

        test("restoreSettings tells datomic-restore everything it needs", async () => {
            world();
            const backup = await build({
                transactorGroupName: "acme-orders-transactors",
                replicaBucketArn: "arn:aws:s3:::acme-orders-backup-copy",
            });
            expect(await valueOf(backup.restoreSettings)).toEqual({
                region: REGION,
                systemName: NAME,
                tableName: NAME,
                bucketName: BUCKET,
                replicaBucketName: "acme-orders-backup-copy",
                databases: ["orders", "inventory"],
                lockTableName: `${NAME}-datomic-backup-locks`,
                restoreParameterName: `/datomic/${NAME}/restore`,
                restoreGroupName: `${NAME}-datomic-restore`,
                backupGroupName: `${NAME}-datomic-backup`,
                restoreDrillGroupName: `${NAME}-datomic-restore-drill`,
                transactorGroupName: "acme-orders-transactors",
                transactorMetricsDimension: NAME,
                commandTimeoutMinutes: 360,
                logGroupName: `/datomic/${NAME}/backup`,
            });
        });
    });

    describe("the runs", () => {
        test("launch templates boot the rendered scripts with IMDSv2, after their policies are in place", async () => {
            world();
            await build({ sha256: "a".repeat(64), javaXmx: "6g", instanceType: "r6i.large" });
            const scriptSettings = {
                version: "1.0.7075",
                sha256: "a".repeat(64),
                region: REGION,
                jrePackage: "java-21-amazon-corretto-headless",
                javaXmx: "6g",
                systemName: NAME,
                tableName: NAME,
                databases: ["orders", "inventory"],
                bucketName: BUCKET,
                logGroupName: `/datomic/${NAME}/backup`,
                commandTimeoutMinutes: 360,
                lockTableName: `${NAME}-datomic-backup-locks`,
                lockWaitMinutes: 30,
                restoreParameterName: `/datomic/${NAME}/restore`,
            };
            expect(userDataOf(`${NAME}-backup-template`)).toBe(renderBackupScript(scriptSettings));
            expect(userDataOf(`${NAME}-restore-drill-template`)).toBe(renderRestoreDrillScript(scriptSettings));
            for (const kind of ["backup", "restore-drill"]) {
                const template = get(T.launchTemplate, `${NAME}-${kind}-template`);
                expect(template.inputs).toMatchObject({
                    name: `${NAME}-datomic-${kind}`,
                    imageId: "ami-0a1b2c3d4e5f60789",
                    instanceType: "r6i.large",
                    iamInstanceProfile: { arn: `arn:aws:iam:${REGION}:${ACCOUNT}:${NAME}-${kind}-profile` },
                    vpcSecurityGroupIds: [`${NAME}-sg-id`],
                    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                    instanceInitiatedShutdownBehavior: "terminate",
                });
                expect(template.dependencies).toContain(get(T.rolePolicy, `${NAME}-${kind}-policy`).urn);
                const group = get(T.asg, `${NAME}-${kind}-group`);
                expect(group.inputs).toMatchObject({
                    name: `${NAME}-datomic-${kind}`,
                    minSize: 0,
                    maxSize: 1,
                    desiredCapacity: 0,
                    vpcZoneIdentifiers: SUBNETS,
                    launchTemplate: { id: `${NAME}-${kind}-template-id`, version: "4" },
                });
                // The schedule and the instances change it; an update must not reset a run in progress.
                expect(group.ignoreChanges).toEqual(["desiredCapacity"]);
            }
            expect(get(T.group, `${NAME}-sg`).inputs).toMatchObject({ namePrefix: `${NAME}-datomic-backup-` });
        });

        test("the schedule starts one backup run on the cron schedule", async () => {
            world();
            const backup = await build({ schedule: "30 2 * * *", scheduleTimeZone: "Europe/Berlin" });
            expect(get(T.schedule, `${NAME}-schedule`).inputs).toEqual({
                scheduledActionName: `${NAME}-datomic-backup`,
                autoscalingGroupName: `${NAME}-datomic-backup`,
                recurrence: "30 2 * * *",
                timeZone: "Europe/Berlin",
                minSize: 0,
                maxSize: 1,
                desiredCapacity: 1,
            });
            expect(await valueOf(backup.backupNowCommand)).toBe(
                `aws autoscaling set-desired-capacity --region ${REGION} --auto-scaling-group-name ${NAME}-datomic-backup --desired-capacity 1`,
            );
            expect(await valueOf(backup.restoreDrillCommand)).toBe(
                `aws autoscaling set-desired-capacity --region ${REGION} --auto-scaling-group-name ${NAME}-datomic-restore-drill --desired-capacity 1`,
            );
            expect(await valueOf(backup.backupUris)).toEqual({
                orders: `s3://${BUCKET}/backups/orders`,
                inventory: `s3://${BUCKET}/backups/inventory`,
            });
        });

        test("the drill runs weekly by default, on its own schedule", async () => {
            world();
            await build({ drillSchedule: "15 4 * * 3" });
            expect(get(T.schedule, `${NAME}-restore-drill-schedule`).inputs).toEqual({
                scheduledActionName: `${NAME}-datomic-restore-drill`,
                autoscalingGroupName: `${NAME}-datomic-restore-drill`,
                recurrence: "15 4 * * 3",
                timeZone: "Etc/UTC",
                minSize: 0,
                maxSize: 1,
                desiredCapacity: 1,
            });
            world();
            await build();
            expect(get(T.schedule, `${NAME}-restore-drill-schedule`).inputs.recurrence).toBe("0 3 * * 0");
        });

        test("restoreDrill: false creates no drill role, group, schedule or alarm", async () => {
            world();
            const backup = await build({ restoreDrill: false });
            expect(recorder.resources.filter((r) => /restore-drill|drill-failed/.test(r.name))).toEqual([]);
            expect(await valueOf(backup.restoreDrillCommand)).toBeUndefined();
            expect(await valueOf(backup.drillAlarmNames)).toEqual({});
        });
    });

    describe("alarms", () => {
        const TOPIC = "arn:aws:sns:us-east-1:111111111111:ops";
        test("staleness per database: no false alarm on a new system (missing data is missing), a notice when runs stop", async () => {
            world();
            const backup = await build({ maxBackupAgeHours: 24, alarmTopicArn: TOPIC });
            for (const db of ["orders", "inventory"]) {
                expect(get(T.alarm, `${NAME}-stale-${db}`).inputs).toEqual({
                    name: `${NAME}-datomic-backup-stale-${db}`,
                    alarmDescription: `No successful Datomic backup of ${db} (${NAME}) in the last 24 hours (INSUFFICIENT_DATA after OK: no backup ran at all); see the log group /datomic/${NAME}/backup`,
                    namespace: "Datomic/Backup",
                    metricName: "BackupSucceeded",
                    dimensions: { System: NAME, Database: db },
                    statistic: "Sum",
                    period: 86400,
                    evaluationPeriods: 1,
                    threshold: 1,
                    comparisonOperator: "LessThanThreshold",
                    treatMissingData: "missing",
                    alarmActions: [TOPIC],
                    okActions: [TOPIC],
                    insufficientDataActions: [TOPIC],
                    tags: {},
                });
            }
            expect(await valueOf(backup.alarmNames)).toEqual({
                orders: `${NAME}-datomic-backup-stale-orders`,
                inventory: `${NAME}-datomic-backup-stale-inventory`,
            });
        });

        test("a failed drill alarms and stays in alarm until a drill passes (missing data is ignored)", async () => {
            world();
            const backup = await build({ alarmTopicArn: TOPIC });
            expect(get(T.alarm, `${NAME}-drill-failed-orders`).inputs).toMatchObject({
                name: `${NAME}-datomic-restore-drill-failed-orders`,
                metricName: "RestoreDrillSucceeded",
                dimensions: { System: NAME, Database: "orders" },
                statistic: "Minimum",
                threshold: 1,
                comparisonOperator: "LessThanThreshold",
                treatMissingData: "ignore",
                alarmActions: [TOPIC],
                okActions: [TOPIC],
            });
            expect(await valueOf(backup.drillAlarmNames)).toEqual({
                orders: `${NAME}-datomic-restore-drill-failed-orders`,
                inventory: `${NAME}-datomic-restore-drill-failed-inventory`,
            });
        });

        test("a restore in progress keeps its alarm on, even when the command stops publishing", async () => {
            world();
            await build({ alarmTopicArn: TOPIC });
            expect(get(T.alarm, `${NAME}-restore-in-progress`).inputs).toMatchObject({
                name: `${NAME}-datomic-restore-in-progress`,
                metricName: "RestoreInProgress",
                dimensions: { System: NAME },
                statistic: "Maximum",
                threshold: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                treatMissingData: "ignore",
                alarmActions: [TOPIC],
            });
        });
    });

    describe("refuses bad arguments at preview, before creating anything", () => {
        test.each<[string, Partial<DatomicBackupArgs>, string]>([
            ["no databases", { databases: [] }, "databases: is empty; list the databases to back up"],
            [
                "a database name with a slash",
                { databases: ["orders/eu"] },
                'databases: "orders/eu" is not a database name',
            ],
            ["a database twice", { databases: ["orders", "orders"] }, 'databases: "orders" is listed twice'],
            [
                "a six-field cron",
                { schedule: "0 0 */6 * * ?" },
                'schedule: "0 0 */6 * * ?" is not a five-field cron expression',
            ],
            [
                "an age the alarm cannot evaluate",
                { maxBackupAgeHours: 36 },
                "maxBackupAgeHours: 36 is not a whole number of hours from 1 to 24 (a CloudWatch alarm evaluates at most one day)",
            ],
            [
                "a retention CloudWatch refuses",
                { logRetentionDays: 45 },
                "logRetentionDays: 45 is not a retention CloudWatch Logs accepts",
            ],
            ["a licensed release", { version: "1.0.6711" }, "version: 1.0.6711 needs a license key"],
            [
                "a drill schedule with six fields",
                { drillSchedule: "0 0 3 * * 0" },
                'drillSchedule: "0 0 3 * * 0" is not a five-field cron expression',
            ],
            ["a zero lock wait", { lockWaitMinutes: 0 }, "lockWaitMinutes: 0 is not a whole number of at least 1"],
            ["a heap with a unit", { javaXmx: "4GB" }, 'javaXmx: "4GB" is not a heap size'],
            [
                "a bucket name with capitals",
                { bucketName: "Acme_Backups" },
                'bucketName: "Acme_Backups" is not an S3 bucket name',
            ],
            [
                "a zero timeout",
                { commandTimeoutMinutes: 0 },
                "commandTimeoutMinutes: 0 is not a whole number of at least 1",
            ],
        ])("%s", (_label, extra, message) => {
            world();
            expect(() => new DatomicBackup("bad", args(extra))).toThrow(message);
            expect(recorder.resources.filter((r) => r.custom)).toEqual([]);
        });
    });

    test("refuses a live table name known only at deploy time when it names a scratch table", async () => {
        world();
        const errors = await captureRejections(async () => {
            const backup = new DatomicBackup(NAME, args({ tableName: pulumi.output("acme-drill-20260101000000") }));
            await valueOf(backup.bucketName);
            await recorder.settle();
        });
        expect(errors.length).toBeGreaterThan(0);
        for (const error of errors) {
            expect(error.message).toMatch(
                /tableName: "acme-drill-20260101000000" contains "-drill-", which names the restore drill's scratch tables$/,
            );
        }
        expect(recorder.ofType(T.rolePolicy)).toEqual([]);
    });
});
