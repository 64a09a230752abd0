import * as pulumi from "@pulumi/pulumi";
import { RecordedResource } from "../../../plan/recorded";
import {
    AL2023_AMI_PARAMETERS,
    DatomicTransactor,
    DatomicTransactorArgs,
} from "../../../components/pro/transactor/transactor";
import { renderTransactorProperties } from "../../../components/pro/transactor/properties";
import { installMocks, resetWorld, TestWorld, valueOf } from "../../support/harness";
import { captureRejections } from "../../support/rejections";
import {
    AMI_ARM,
    AMI_PINNED,
    AMI_X86,
    ensureTransactorTable,
    MAIN_ROUTE_TABLE,
    NAMED_GROUPS,
    SUBNETS,
    tableLookup,
    transactorLookups,
    VPC_CIDR,
    VPC_ID,
} from "../../fixtures/proTransactor";

const recorder = installMocks();

const T = {
    component: "datomic:pro:Transactor",
    table: "aws:dynamodb/table:Table",
    bucket: "aws:s3/bucket:Bucket",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    role: "aws:iam/role:Role",
    profile: "aws:iam/instanceProfile:InstanceProfile",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    policy: "aws:iam/policy:Policy",
    group: "aws:ec2/securityGroup:SecurityGroup",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    asg: "aws:autoscaling/group:Group",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
} as const;

const NAME = "acme-orders";
const ACCOUNT = "111111111111";
const REGION = "us-east-1";
const APPS_SG = "sg-0123456789abcdef0";

function tableArn(table: string): string {
    return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}`;
}

/** Mock answers: the fixtures' lookups, a realistic table ARN and launch template version. */
function world(table = NAME, outputs: TestWorld["outputs"] = {}): void {
    resetWorld(recorder, {
        fixtures: { lookups: transactorLookups() },
        outputs: {
            [T.table]: { "*": { arn: tableArn(table) } },
            [T.launchTemplate]: { "*": { latestVersion: 3 } },
            ...outputs,
        },
    });
}

function args(extra: Partial<DatomicTransactorArgs> = {}): DatomicTransactorArgs {
    return {
        version: "1.0.7075",
        vpcId: VPC_ID,
        subnetIds: SUBNETS.map((subnet) => subnet.id),
        amiId: AMI_PINNED,
        ...extra,
    };
}

async function build(extra: Partial<DatomicTransactorArgs> = {}, name = NAME): Promise<DatomicTransactor> {
    const transactor = new DatomicTransactor(name, args(extra));
    await valueOf(pulumi.output(transactor.contractOutputs()));
    await recorder.settle();
    expect(recorder.failures).toEqual([]);
    return transactor;
}

function get(type: string, name: string): RecordedResource {
    return recorder.get(type, name);
}

function policyOf(resource: RecordedResource): unknown {
    return JSON.parse(resource.inputs.policy as string);
}

function userDataOf(): string {
    return Buffer.from(get(T.launchTemplate, `${NAME}-launch-template`).inputs.userData as string, "base64").toString();
}

function embeddedProperties(userData: string): string {
    const match = /cat <<'DATOMIC_PROPERTIES'\n([\s\S]*?)\nDATOMIC_PROPERTIES\n/.exec(userData);
    expect(match).not.toBeNull();
    return `${match![1]}\n`;
}

describe("DatomicTransactor", () => {
    test("creates the storage, IAM, security groups, launch template, group and alarms, all parented to it", async () => {
        world();
        await build();
        expect(recorder.resources.map((r) => `${r.type}::${r.name}`).sort()).toEqual(
            [
                `${T.component}::${NAME}`,
                `${T.table}::${NAME}-table`,
                `${T.role}::${NAME}-transactor-role`,
                `${T.role}::${NAME}-peer-role`,
                `${T.profile}::${NAME}-transactor-profile`,
                `${T.profile}::${NAME}-peer-profile`,
                `${T.rolePolicy}::${NAME}-transactor-table-policy`,
                `${T.rolePolicy}::${NAME}-transactor-metrics-policy`,
                `${T.rolePolicy}::${NAME}-transactor-instance-health-policy`,
                `${T.rolePolicy}::${NAME}-peer-table-policy`,
                `${T.policy}::${NAME}-peer-policy`,
                `${T.group}::${NAME}-sg`,
                `${T.group}::${NAME}-peer-sg`,
                `${T.egress}::${NAME}-sg-egress-ipv4`,
                `${T.egress}::${NAME}-peer-sg-egress-ipv4`,
                `${T.ingress}::${NAME}-ingress-peer-sg`,
                `${T.launchTemplate}::${NAME}-launch-template`,
                `${T.asg}::${NAME}-group`,
                `${T.alarm}::${NAME}-alarm`,
                `${T.alarm}::${NAME}-heartbeat`,
                `${T.alarm}::${NAME}-standby`,
                `${T.rolePolicy}::${NAME}-transactor-ready-policy`,
                `aws:autoscaling/lifecycleHook:LifecycleHook::${NAME}-ready-hook`,
                `command:local:Command::${NAME}-roll`,
            ].sort(),
        );
        const component = get(T.component, NAME);
        for (const resource of recorder.resources.filter((r) => r !== component)) {
            expect([resource.name, resource.parent]).toEqual([resource.name, component.urn]);
        }
    });

    describe("the DynamoDB table", () => {
        test("has hash key id (S), is on demand with point-in-time recovery, and is protected and retained", async () => {
            world();
            await build({ tags: { team: "orders" } });
            const table = get(T.table, `${NAME}-table`);
            expect(table.inputs).toEqual({
                name: NAME,
                hashKey: "id",
                attributes: [{ name: "id", type: "S" }],
                billingMode: "PAY_PER_REQUEST",
                pointInTimeRecovery: { enabled: true },
                deletionProtectionEnabled: true,
                tags: { team: "orders" },
            });
            expect(table).toMatchObject({
                protect: true,
                retainOnDelete: true,
                deleteBeforeReplace: false,
                importId: undefined,
                ignoreChanges: [],
                replaceOnChanges: [],
            });
        });

        test("adopts an existing table exactly as it is, so the import is followed by no update", async () => {
            world("datomic-prod");
            await build({ tableName: "datomic-prod", adoptTable: true, tags: { team: "orders" } });
            const table = get(T.table, `${NAME}-table`);
            expect(table.importId).toBe("datomic-prod");
            // ensure-transactor's table: provisioned 100/50, no point-in-time recovery, no deletion protection, no tags.
            expect(table.inputs).toEqual({
                name: "datomic-prod",
                hashKey: "id",
                attributes: [{ name: "id", type: "S" }],
                billingMode: "PROVISIONED",
                readCapacity: 100,
                writeCapacity: 50,
                pointInTimeRecovery: { enabled: false },
                deletionProtectionEnabled: false,
                tags: {},
            });
            expect(table).toMatchObject({ protect: true, retainOnDelete: true, deleteBeforeReplace: false });
            expect(recorder.callsTo("aws:dynamodb/getTable:getTable").map((call) => call.inputs)).toEqual([
                { name: "datomic-prod" },
            ]);
        });

        test("an adopted table takes a billing mode or capacity given explicitly, as a deliberate change", async () => {
            world("datomic-prod");
            await build({ tableName: "datomic-prod", adoptTable: true, billingMode: "PROVISIONED", writeCapacity: 80 });
            expect(get(T.table, `${NAME}-table`).inputs).toMatchObject({
                billingMode: "PROVISIONED",
                readCapacity: 100,
                writeCapacity: 80,
            });
            world("datomic-prod");
            await build({
                tableName: "datomic-prod",
                adoptTable: true,
                billingMode: "PAY_PER_REQUEST",
                protectStorage: true,
            });
            const inputs = get(T.table, `${NAME}-table`).inputs;
            expect(inputs).toMatchObject({ billingMode: "PAY_PER_REQUEST", deletionProtectionEnabled: true });
            expect([inputs.readCapacity, inputs.writeCapacity]).toEqual([undefined, undefined]);
        });

        test("refuses to adopt a table that is not a Datomic table", async () => {
            resetWorld(recorder, {
                fixtures: {
                    lookups: [
                        tableLookup({ ...ensureTransactorTable("orders-events"), hashKey: "pk" }),
                        ...transactorLookups(),
                    ],
                },
            });
            const errors = await captureRejections(async () => {
                new DatomicTransactor(NAME, args({ tableName: "orders-events", adoptTable: true }));
                await recorder.settle();
            });
            expect(errors.map((error) => String((error as Error).message ?? error))).toContainEqual(
                expect.stringContaining(
                    'tableName: the table "orders-events" has hash key pk (S); a Datomic table has only hash key "id" (S)',
                ),
            );
            expect(recorder.ofType(T.table)).toEqual([]);
        });

        test("protectStorage: false relaxes protection, retention and deletion protection, not point-in-time recovery", async () => {
            world();
            await build({ protectStorage: false, logBucket: true });
            const table = get(T.table, `${NAME}-table`);
            expect(table).toMatchObject({ protect: false, retainOnDelete: false });
            expect(table.inputs).toMatchObject({
                deletionProtectionEnabled: false,
                pointInTimeRecovery: { enabled: true },
            });
            expect(get(T.bucket, `${NAME}-logs`)).toMatchObject({ protect: false, retainOnDelete: false });
            expect(get(T.bucket, `${NAME}-logs`).inputs.forceDestroy).toBe(true);
        });
    });

    test("creates an encrypted, private log bucket with optional expiry, protected like the table", async () => {
        world();
        await build({ logBucketName: "acme-orders-datomic-logs", logExpirationDays: 30 });
        const bucket = get(T.bucket, `${NAME}-logs`);
        expect(bucket.inputs).toMatchObject({ bucket: "acme-orders-datomic-logs", forceDestroy: false });
        expect(bucket).toMatchObject({ protect: true, retainOnDelete: true, deleteBeforeReplace: false });
        expect(get(T.encryption, `${NAME}-logs-encryption`).inputs).toEqual({
            bucket: `${NAME}-logs-id`,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        });
        expect(get(T.publicAccess, `${NAME}-logs-public-access`).inputs).toEqual({
            bucket: `${NAME}-logs-id`,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        expect(get(T.lifecycle, `${NAME}-logs-expiry`).inputs).toEqual({
            bucket: `${NAME}-logs-id`,
            rules: [{ id: "expire-transactor-logs", status: "Enabled", filter: {}, expiration: { days: 30 } }],
        });
    });

    test("has no log bucket, logs policy or lifecycle unless asked", async () => {
        world();
        await build();
        expect(recorder.ofType(T.bucket)).toEqual([]);
        expect(recorder.ofType(T.lifecycle)).toEqual([]);
        expect(recorder.resources.filter((r) => r.name.endsWith("-logs-policy"))).toEqual([]);
    });

    describe("IAM, scoped as ensure-transactor scoped it", () => {
        const ec2Trust = {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole"] }],
        };

        test("roles and instance profiles of the same names, trusting EC2", async () => {
            world("datomic");
            await build({
                tableName: "datomic",
                transactorRoleName: "datomic-aws-transactor",
                peerRoleName: "datomic-aws-peer",
            });
            for (const [kind, roleName] of [
                ["transactor", "datomic-aws-transactor"],
                ["peer", "datomic-aws-peer"],
            ]) {
                const role = get(T.role, `${NAME}-${kind}-role`);
                expect(role.inputs.name).toBe(roleName);
                expect(JSON.parse(role.inputs.assumeRolePolicy as string)).toEqual(ec2Trust);
                expect(get(T.profile, `${NAME}-${kind}-profile`).inputs).toMatchObject({
                    name: roleName,
                    role: roleName,
                });
            }
        });

        test("every policy document, statement by statement", async () => {
            world();
            await build({
                logBucketName: "acme-orders-datomic-logs",
                licenseKeyParameterName: "/acme/datomic/license-key",
            });
            // The readiness policy is checked with the roll (roll.test.ts).
            const inline = recorder
                .ofType(T.rolePolicy)
                .filter((policy) => !policy.name.endsWith("-ready-policy"))
                .map((policy) => ({
                    resource: policy.name,
                    role: policy.inputs.role,
                    name: policy.inputs.name,
                    document: policyOf(policy),
                }));
            const version = "2012-10-17";
            expect(inline.sort((a, b) => a.resource.localeCompare(b.resource))).toEqual([
                {
                    resource: `${NAME}-peer-table-policy`,
                    role: `${NAME}-peer-${REGION}`,
                    name: `${NAME}-peer`,
                    document: {
                        Version: version,
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: [
                                    "dynamodb:GetItem",
                                    "dynamodb:BatchGetItem",
                                    "dynamodb:Scan",
                                    "dynamodb:Query",
                                ],
                                Resource: tableArn(NAME),
                            },
                        ],
                    },
                },
                {
                    resource: `${NAME}-transactor-instance-health-policy`,
                    role: `${NAME}-transactor-${REGION}`,
                    name: "transactor-instance-health",
                    document: {
                        Version: version,
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: ["autoscaling:SetInstanceHealth"],
                                Resource: `arn:aws:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:*:autoScalingGroupName/${NAME}-transactor`,
                            },
                        ],
                    },
                },
                {
                    resource: `${NAME}-transactor-license-key-policy`,
                    role: `${NAME}-transactor-${REGION}`,
                    name: "transactor-license-key",
                    document: {
                        Version: version,
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: ["ssm:GetParameter"],
                                Resource: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/acme/datomic/license-key`,
                            },
                        ],
                    },
                },
                {
                    resource: `${NAME}-transactor-logs-policy`,
                    role: `${NAME}-transactor-${REGION}`,
                    name: "acme-orders-datomic-logs-transactor-logs",
                    document: {
                        Version: version,
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: ["s3:PutObject"],
                                Resource: [
                                    `arn:aws:s3:${REGION}:${ACCOUNT}:${NAME}-logs`,
                                    `arn:aws:s3:${REGION}:${ACCOUNT}:${NAME}-logs/*`,
                                ],
                            },
                        ],
                    },
                },
                {
                    resource: `${NAME}-transactor-metrics-policy`,
                    role: `${NAME}-transactor-${REGION}`,
                    name: "transactor-metrics",
                    document: {
                        Version: version,
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: ["cloudwatch:PutMetricData", "cloudwatch:PutMetricDataBatch"],
                                Resource: "*",
                                Condition: { Bool: { "aws:SecureTransport": "true" } },
                            },
                        ],
                    },
                },
                {
                    resource: `${NAME}-transactor-table-policy`,
                    role: `${NAME}-transactor-${REGION}`,
                    name: `${NAME}-transactor`,
                    document: {
                        Version: version,
                        Statement: [{ Effect: "Allow", Action: ["dynamodb:*"], Resource: tableArn(NAME) }],
                    },
                },
            ]);
            const managed = get(T.policy, `${NAME}-peer-policy`);
            expect(managed.inputs.name).toBe(`${NAME}-datomic-peer-${REGION}`);
            expect(policyOf(managed)).toEqual(inline[0].document);
        });

        test("no metrics policy when CloudWatch metrics are off, no instance health policy without the health check", async () => {
            world();
            await build({ cloudWatchMetrics: false, alarms: false, healthCheck: false });
            expect(
                recorder
                    .ofType(T.rolePolicy)
                    .map((policy) => policy.name)
                    .sort(),
            ).toEqual([
                `${NAME}-peer-table-policy`,
                `${NAME}-transactor-ready-policy`,
                `${NAME}-transactor-table-policy`,
            ]);
            expect(embeddedProperties(userDataOf())).not.toMatch(/aws-cloudwatch/);
        });
    });

    describe("security groups", () => {
        test("admit TCP 4334 only from the peer group, listed groups and CIDRs; the health port from the VPC only", async () => {
            world();
            await build({
                peerSecurityGroupIds: [APPS_SG],
                peerSecurityGroupNames: ["acme-apps"],
                peerCidrs: ["10.30.0.0/16", "2001:db8::/56"],
                pingPort: 9999,
            });
            const transactorGroup = get(T.group, `${NAME}-sg`);
            const peerGroup = get(T.group, `${NAME}-peer-sg`);
            expect(transactorGroup.inputs).toMatchObject({
                namePrefix: `${NAME}-transactor-`,
                description: `Datomic transactors of ${NAME}`,
                vpcId: VPC_ID,
                tags: { Name: `${NAME}-transactor` },
            });
            expect(transactorGroup.inputs.name).toBeUndefined();
            expect(transactorGroup.inputs.ingress ?? []).toEqual([]);
            expect(peerGroup.inputs).toMatchObject({ name: `${NAME}-datomic-peers`, vpcId: VPC_ID });
            const rules = recorder.ofType(T.ingress).map((rule) => {
                const { securityGroupId, ipProtocol, fromPort, toPort, referencedSecurityGroupId, cidrIpv4, cidrIpv6 } =
                    rule.inputs;
                return [
                    rule.name,
                    { securityGroupId, ipProtocol, fromPort, toPort, referencedSecurityGroupId, cidrIpv4, cidrIpv6 },
                ];
            });
            const onTransactors = { securityGroupId: `${NAME}-sg-id`, ipProtocol: "tcp", fromPort: 4334, toPort: 4334 };
            const undefinedSources = { referencedSecurityGroupId: undefined, cidrIpv4: undefined, cidrIpv6: undefined };
            expect(Object.fromEntries(rules)).toEqual({
                [`${NAME}-ingress-peer-sg`]: {
                    ...onTransactors,
                    ...undefinedSources,
                    referencedSecurityGroupId: `${NAME}-peer-sg-id`,
                },
                [`${NAME}-ingress-sg-0123456789abcdef0`]: {
                    ...onTransactors,
                    ...undefinedSources,
                    referencedSecurityGroupId: APPS_SG,
                },
                [`${NAME}-ingress-sg-acme-apps`]: {
                    ...onTransactors,
                    ...undefinedSources,
                    referencedSecurityGroupId: NAMED_GROUPS["acme-apps"],
                },
                [`${NAME}-ingress-10-30-0-0-16`]: { ...onTransactors, ...undefinedSources, cidrIpv4: "10.30.0.0/16" },
                [`${NAME}-ingress-2001-db8-56`]: { ...onTransactors, ...undefinedSources, cidrIpv6: "2001:db8::/56" },
                [`${NAME}-health-vpc`]: {
                    securityGroupId: `${NAME}-sg-id`,
                    ipProtocol: "tcp",
                    fromPort: 9999,
                    toPort: 9999,
                    ...undefinedSources,
                    cidrIpv4: VPC_CIDR,
                },
            });
            expect(recorder.callsTo("aws:ec2/getSecurityGroup:getSecurityGroup").map((call) => call.inputs)).toEqual([
                { name: "acme-apps", vpcId: VPC_ID },
            ]);
            const egress = recorder
                .ofType(T.egress)
                .map((rule) => [rule.name, rule.inputs.securityGroupId, rule.inputs.ipProtocol, rule.inputs.cidrIpv4]);
            expect(egress.sort()).toEqual([
                [`${NAME}-peer-sg-egress-ipv4`, `${NAME}-peer-sg-id`, "-1", "0.0.0.0/0"],
                [`${NAME}-sg-egress-ipv4`, `${NAME}-sg-id`, "-1", "0.0.0.0/0"],
            ]);
        });

        test("the transactors' group can be replaced while instances use it: the new one first, under a fresh name", async () => {
            world();
            await build({ securityGroupDescription: "Datomic transactors, rev 2" });
            const group = get(T.group, `${NAME}-sg`);
            expect(group).toMatchObject({ deleteBeforeReplace: false, customTimeouts: { delete: "60m" } });
            expect([group.inputs.name, group.inputs.namePrefix]).toEqual([undefined, `${NAME}-transactor-`]);
            // The launch template follows the group's id, so a new group rolls the instances onto it.
            expect(get(T.launchTemplate, `${NAME}-launch-template`).inputs.vpcSecurityGroupIds).toEqual([
                `${NAME}-sg-id`,
            ]);
            // An adopted group keeps its exact name.
            world();
            await build({ securityGroupName: "datomic" });
            expect(get(T.group, `${NAME}-sg`).inputs).toMatchObject({ name: "datomic", tags: { Name: "datomic" } });
            expect(get(T.group, `${NAME}-sg`).inputs.namePrefix).toBeUndefined();
        });

        test("opens no health port unless pingPort is set, and takes a given VPC CIDR without a lookup", async () => {
            world();
            await build({ vpcCidrBlock: "10.99.0.0/16" });
            expect(recorder.ofType(T.ingress).map((rule) => rule.name)).toEqual([`${NAME}-ingress-peer-sg`]);
            expect(recorder.callsTo("aws:ec2/getVpc:getVpc")).toEqual([]);
        });

        test.each(["0.0.0.0/0", "::/0"])("refuses %s unless allowPublicIngress is set", async (cidr) => {
            world();
            expect(() => new DatomicTransactor(`public-${cidr.length}`, args({ peerCidrs: [cidr] }))).toThrow(
                `peerCidrs: "${cidr}" opens the transactor port 4334 to the whole internet; list your peers' networks, or set allowPublicIngress: true to accept the risk`,
            );
            await build({ peerCidrs: [cidr], allowPublicIngress: true }, `allowed-${cidr.length}`);
            expect(recorder.ofType(T.ingress).map((rule) => rule.inputs.cidrIpv4 ?? rule.inputs.cidrIpv6)).toContain(
                cidr,
            );
        });
    });

    describe("compute", () => {
        test("a launch template with IMDSv2, an encrypted root volume, the transactor profile and the pinned AMI", async () => {
            world();
            await build({ keyName: "ops" });
            const template = get(T.launchTemplate, `${NAME}-launch-template`);
            expect(template.inputs).toMatchObject({
                name: `${NAME}-transactor`,
                imageId: AMI_PINNED,
                instanceType: "m6i.large",
                keyName: "ops",
                iamInstanceProfile: { arn: `arn:aws:iam:${REGION}:${ACCOUNT}:${NAME}-transactor-profile` },
                vpcSecurityGroupIds: [`${NAME}-sg-id`],
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                blockDeviceMappings: [
                    {
                        deviceName: "/dev/xvda",
                        ebs: { volumeSize: 20, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
                    },
                ],
                instanceInitiatedShutdownBehavior: "terminate",
                updateDefaultVersion: true,
            });
            // Pinned: no lookup could change it.
            expect(recorder.callsTo("aws:ssm/getParameter:getParameter")).toEqual([]);
            // The instances boot with their policies in place.
            for (const policy of recorder.ofType(T.rolePolicy).filter((p) => p.name.includes("-transactor-"))) {
                expect(template.dependencies).toContain(policy.urn);
            }
        });

        test("follows an AMI parameter as its plain value, for either architecture", async () => {
            world();
            await build({ amiId: undefined, amiParameterName: AL2023_AMI_PARAMETERS.arm64, instanceType: "m7g.large" });
            expect(get(T.launchTemplate, `${NAME}-launch-template`).inputs.imageId).toBe(AMI_ARM);
            world();
            await build({ amiId: undefined, amiParameterName: AL2023_AMI_PARAMETERS.x86_64 });
            expect(get(T.launchTemplate, `${NAME}-launch-template`).inputs.imageId).toBe(AMI_X86);
            expect(recorder.callsTo("aws:ssm/getParameter:getParameter").map((call) => call.inputs.name)).toEqual([
                AL2023_AMI_PARAMETERS.x86_64,
            ]);
        });

        test("user data renders the typed properties and names the secret parameters, never a secret", async () => {
            world();
            await build({
                logBucketName: "acme-orders-datomic-logs",
                memoryIndexMax: "512m",
                objectCacheMax: "1g",
                memcached: "mc.internal:11211",
                writeConcurrency: 4,
                readConcurrency: 8,
                heartbeatIntervalMsec: 5000,
                pingPort: 9999,
                valcachePath: "/mnt/valcache",
                valcacheMaxGb: 50,
                extraProperties: { "encrypt-channel": "true" },
                javaXmx: "5g",
                javaOpts: "-XX:+UseG1GC",
                licenseKeyParameterName: "/acme/datomic/license-key",
                secretProperties: { "memcached-password": "/acme/datomic/memcached" },
                version: "1.0.6711",
                sha256: "b".repeat(64),
                downloadUrl: "https://my.datomic.com/repo/com/datomic/datomic-pro/",
                downloadCredentialsParameterName: "/acme/datomic/download-credentials",
            });
            const userData = userDataOf();
            expect(embeddedProperties(userData)).toBe(
                renderTransactorProperties({
                    tableName: NAME,
                    region: REGION,
                    transactorRoleName: `${NAME}-transactor-${REGION}`,
                    peerRoleName: `${NAME}-peer-${REGION}`,
                    memoryIndexThreshold: "32m",
                    memoryIndexMax: "512m",
                    objectCacheMax: "1g",
                    logBucketName: "acme-orders-datomic-logs",
                    cloudWatchRegion: REGION,
                    cloudWatchDimensionValue: NAME,
                    memcached: "mc.internal:11211",
                    writeConcurrency: 4,
                    readConcurrency: 8,
                    heartbeatIntervalMsec: 5000,
                    pingHost: "0.0.0.0",
                    pingPort: 9999,
                    valcachePath: "/mnt/valcache",
                    valcacheMaxGb: 50,
                    extraProperties: { "encrypt-channel": "true" },
                }),
            );
            for (const line of [
                "    DATOMIC_VERSION='1.0.6711' \\",
                `    DATOMIC_SHA256='${"b".repeat(64)}' \\`,
                "    AWS_REGION_NAME='us-east-1' \\",
                "    JAVA_XMX='5g' \\",
                "    JAVA_OPTS_VALUE='-XX:+UseG1GC' \\",
                "    DOWNLOAD_URL='https://my.datomic.com/repo/com/datomic/datomic-pro' \\",
                "secret_parameters=('license-key=/acme/datomic/license-key' 'memcached-password=/acme/datomic/memcached')",
            ]) {
                expect(userData.split("\n")).toContain(line);
            }
            expect(userData).not.toMatch(/^(license-key|memcached-password)=/m);
            expect(userData).toContain("ssm_secret '/acme/datomic/download-credentials' download_credentials");
            // The role reads the download credentials, and nothing else through that policy.
            expect(policyOf(get(T.rolePolicy, `${NAME}-transactor-download-credentials-policy`))).toEqual({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: ["ssm:GetParameter"],
                        Resource: [`arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/acme/datomic/download-credentials`],
                    },
                ],
            });
            // The role reads exactly the secret parameters.
            expect(policyOf(get(T.rolePolicy, `${NAME}-transactor-secret-properties-policy`))).toEqual({
                Version: "2012-10-17",
                Statement: [
                    {
                        Effect: "Allow",
                        Action: ["ssm:GetParameter"],
                        Resource: [`arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/acme/datomic/memcached`],
                    },
                ],
            });
        });

        test("an Auto Scaling group of groupSize, with room to launch a new set before terminating the old one", async () => {
            world();
            await build({ groupSize: 3, instanceWarmupSeconds: 240, tags: { team: "orders" } });
            const group = get(T.asg, `${NAME}-group`);
            expect(group.inputs).toMatchObject({
                name: `${NAME}-transactor`,
                minSize: 3,
                maxSize: 6,
                desiredCapacity: 3,
                vpcZoneIdentifiers: SUBNETS.map((subnet) => subnet.id),
                launchTemplate: { id: `${NAME}-launch-template-id`, version: "3" },
                healthCheckType: "EC2",
                healthCheckGracePeriod: 240,
                instanceMaintenancePolicy: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
                tags: [
                    { key: "Name", value: `${NAME}-transactor`, propagateAtLaunch: true },
                    { key: "team", value: "orders", propagateAtLaunch: true },
                ],
            });
            // The provider starts no refresh of its own: the roll command does (see roll.test.ts).
            expect(group.inputs.instanceRefresh).toBeUndefined();
            expect(group.dependencies).toContain(get(T.launchTemplate, `${NAME}-launch-template`).urn);
        });

        test("watches the transactor's /health on the instance by default, reachable from the instance only", async () => {
            world();
            await build();
            const userData = userDataOf();
            expect(embeddedProperties(userData)).toContain("ping-host=127.0.0.1\nping-port=9999\n");
            expect(userData.split("\n")).toContain("    HEALTH_URL='http://127.0.0.1:9999/health' \\");
            expect(userData).toContain("systemctl enable --now datomic-health-watch.service\n");
            // The watcher's grace period is the group's.
            expect(userData).toContain('grace_seconds="${DATOMIC_HEALTH_GRACE_SECONDS:-300}"');
            expect(recorder.resources.filter((r) => r.name === `${NAME}-health-vpc`)).toEqual([]);
        });

        test("asks a pingPort open to the VPC on the loopback address, and installs no watcher without the health check", async () => {
            world();
            await build({ pingPort: 8080 });
            expect(embeddedProperties(userDataOf())).toContain("ping-host=0.0.0.0\nping-port=8080\n");
            expect(userDataOf().split("\n")).toContain("    HEALTH_URL='http://127.0.0.1:8080/health' \\");
            world();
            await build({ healthCheck: false });
            expect(embeddedProperties(userDataOf())).not.toMatch(/ping-/);
            expect(userDataOf()).not.toContain("datomic-health-watch");
            expect(recorder.resources.filter((r) => r.name.endsWith("-instance-health-policy"))).toEqual([]);
        });

        test("defaults to an HA pair", async () => {
            world();
            await build();
            expect(get(T.asg, `${NAME}-group`).inputs).toMatchObject({ minSize: 2, maxSize: 4, desiredCapacity: 2 });
        });
    });

    describe("alarms", () => {
        test("on the transactor's Alarm and HeartbeatMsec metrics, notifying the topic", async () => {
            world();
            const topic = "arn:aws:sns:us-east-1:111111111111:datomic-alarms";
            await build({ alarmTopicArn: topic, cloudWatchDimensionValue: "orders-prod" });
            const common = {
                namespace: "Datomic",
                dimensions: { Transactor: "orders-prod" },
                period: 60,
                threshold: 1,
                alarmActions: [topic],
                okActions: [topic],
            };
            expect(get(T.alarm, `${NAME}-alarm`).inputs).toMatchObject({
                ...common,
                name: `${NAME}-transactor-alarm`,
                metricName: "Alarm",
                statistic: "Sum",
                evaluationPeriods: 1,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                treatMissingData: "notBreaching",
            });
            expect(get(T.alarm, `${NAME}-heartbeat`).inputs).toMatchObject({
                ...common,
                name: `${NAME}-transactor-heartbeat`,
                metricName: "HeartbeatMsec",
                statistic: "SampleCount",
                evaluationPeriods: 3,
                comparisonOperator: "LessThanThreshold",
                treatMissingData: "breaching",
            });
            expect(embeddedProperties(userDataOf())).toContain(
                "aws-cloudwatch-region=us-east-1\naws-cloudwatch-dimension-value=orders-prod\n",
            );
        });

        test("can be turned off, and cannot be on without the metrics", async () => {
            world();
            await build({ alarms: false });
            expect(recorder.ofType(T.alarm)).toEqual([]);
            expect(() => new DatomicTransactor("nometrics", args({ cloudWatchMetrics: false }))).toThrow(
                "alarms: need the transactor's CloudWatch metrics; set cloudWatchMetrics: true or alarms: false",
            );
        });
    });

    test("outputs the names, ARNs and the environment contract", async () => {
        world();
        const transactor = await build({ logBucketName: "acme-orders-datomic-logs" });
        expect(
            await valueOf(
                pulumi.output({
                    ...transactor.contractOutputs(),
                    tableName: transactor.tableName,
                    transactorRoleArn: transactor.transactorRoleArn,
                    peerPolicyArn: transactor.peerPolicyArn,
                    securityGroupId: transactor.securityGroupId,
                    autoScalingGroupName: transactor.autoScalingGroupName,
                    logBucketName: transactor.logBucketName,
                }),
            ),
        ).toEqual({
            flavor: "pro",
            region: REGION,
            accountId: ACCOUNT,
            systemName: NAME,
            vpcId: VPC_ID,
            vpcCidrBlock: VPC_CIDR,
            subnetCidrBlocks: SUBNETS.map((subnet) => subnet.cidrBlock),
            routeTableIds: [...SUBNETS.map((subnet) => subnet.routeTableId), MAIN_ROUTE_TABLE],
            nodeSecurityGroupId: `${NAME}-sg-id`,
            peerRoleArn: `arn:aws:iam:${REGION}:${ACCOUNT}:${NAME}-peer-role`,
            peerInstanceProfileName: `${NAME}-peer-${REGION}`,
            peerSecurityGroupId: `${NAME}-peer-sg-id`,
            connectionUriBase: `datomic:ddb://${REGION}/${NAME}/`,
            tableName: NAME,
            transactorRoleArn: `arn:aws:iam:${REGION}:${ACCOUNT}:${NAME}-transactor-role`,
            peerPolicyArn: `arn:aws:iam:${REGION}:${ACCOUNT}:${NAME}-peer-policy`,
            securityGroupId: `${NAME}-sg-id`,
            autoScalingGroupName: `${NAME}-transactor`,
            logBucketName: "acme-orders-datomic-logs",
        });
        const routeTableLookups = recorder.callsTo("aws:ec2/getRouteTables:getRouteTables").map((call) => call.inputs);
        expect(routeTableLookups.sort((a, b) => JSON.stringify(b).localeCompare(JSON.stringify(a)))).toEqual([
            { vpcId: VPC_ID, filters: [{ name: "association.subnet-id", values: SUBNETS.map((subnet) => subnet.id) }] },
            { vpcId: VPC_ID, filters: [{ name: "association.main", values: ["true"] }] },
        ]);
    });

    describe("refuses bad arguments before creating anything", () => {
        test.each<[string, Partial<DatomicTransactorArgs>, string]>([
            [
                "a malformed version",
                { version: "1.0" },
                'version: "1.0" is not a Datomic Pro release (expected <major>.<minor>.<build>, such as 1.0.7075)',
            ],
            [
                "an -Xmx that is not <n>g or <n>m",
                { javaXmx: "-Xmx4g" },
                'javaXmx: "-Xmx4g" is not a heap size; use a whole number of gigabytes or megabytes such as "4g" or "2625m" (without "-Xmx")',
            ],
            [
                "a group size below 1",
                { groupSize: 0 },
                "groupSize: 0 is not a usable group size; use a whole number of at least 1 (2 runs an active transactor and a standby)",
            ],
            [
                "a table name AWS would reject",
                { tableName: "acme orders" },
                'tableName: "acme orders" is not a DynamoDB table name: use only letters, digits, "_", "-" and "."',
            ],
            [
                "a table name too short",
                { tableName: "ab" },
                'tableName: "ab" is 2 characters long; DynamoDB table names have 3 to 255',
            ],
            [
                "a licensed release without a license parameter",
                { version: "1.0.6711" },
                "licenseKeyParameterName: is required for version 1.0.6711: releases up to 1.0.6711 need a license key; store it as an SSM SecureString and name the parameter here",
            ],
            [
                "provisioned billing without capacity",
                { billingMode: "PROVISIONED", writeCapacity: 10 },
                'readCapacity: is required with billingMode "PROVISIONED"',
            ],
            [
                "capacity with on-demand billing",
                { readCapacity: 10 },
                'readCapacity: only applies with billingMode "PROVISIONED" (billingMode is "PAY_PER_REQUEST")',
            ],
            [
                "an unknown billing mode",
                { billingMode: "ON_DEMAND" },
                'billingMode: "ON_DEMAND" is not a DynamoDB billing mode',
            ],
            [
                "a malformed CIDR",
                { peerCidrs: ["10.0.0.1/16"] },
                'peerCidrs: "10.0.0.1/16" has host bits set; did you mean 10.0.0.0/16?',
            ],
            [
                "a group name given as an id",
                { peerSecurityGroupIds: ["apps"] },
                'peerSecurityGroupIds: "apps" is not a security group id',
            ],
            [
                "the same role twice",
                { transactorRoleName: "acme-datomic", peerRoleName: "acme-datomic" },
                'peerRoleName: "acme-datomic" is also the transactor role',
            ],
            ["a ping port on the transactor port", { pingPort: 4334 }, "pingPort: 4334 is the transactor's own port"],
            [
                "two alt-hosts",
                { altHost: "tx.internal", altHostIsPublicIp: true },
                "altHostIsPublicIp: cannot be combined with altHost",
            ],
            [
                "a secret in extraProperties",
                { extraProperties: { "license-key": "x" } },
                'extraProperties: "license-key" must not appear in user data',
            ],
            [
                "AWS credentials in extraProperties",
                { extraProperties: { "aws-secret-access-key": "x" } },
                'extraProperties: "aws-secret-access-key" is an AWS credential and must not appear in user data; the transactor authenticates with its instance role, so leave it out',
            ],
            [
                "a password in extraProperties",
                { extraProperties: { "memcached-password": "x" } },
                'extraProperties: "memcached-password" holds a secret and must not appear in user data; store it as an SSM SecureString and name the parameter in secretProperties ({ "memcached-password": "/path/to/parameter" }): the instance reads it at boot',
            ],
            [
                "a misspelt extra property",
                { extraProperties: { "encrypt-chanel": "false" } },
                'extraProperties: "encrypt-chanel" is not a Datomic transactor property; did you mean "encrypt-channel"?',
            ],
            [
                "another storage's property",
                { extraProperties: { "sql-url": "jdbc:postgresql://db/datomic" } },
                'extraProperties: "sql-url" is a property of sql storage; this transactor stores in DynamoDB',
            ],
            [
                "the license key in secretProperties",
                { secretProperties: { "license-key": "/k" } },
                'secretProperties: "license-key" has an argument of its own; set licenseKeyParameterName',
            ],
            [
                "a misspelt secret property",
                { secretProperties: { "memcached-pasword": "/p" } },
                'secretProperties: "memcached-pasword" is not a Datomic transactor property; did you mean "memcached-password"?',
            ],
            [
                "a secret property's bad parameter name",
                { secretProperties: { "memcached-password": "not a name" } },
                'secretProperties["memcached-password"]: "not a name" is not an SSM parameter name',
            ],
            ["a malformed digest", { sha256: "abc" }, 'sha256: "abc" is not a SHA-256 digest'],
            [
                "a malformed memcached list",
                { memcached: "mc.internal" },
                'memcached: "mc.internal" is not a list of host:port pairs',
            ],
            [
                "a JRE package with shell in it",
                { jrePackage: "java; rm -rf /" },
                'jrePackage: "java; rm -rf /" is not a dnf package name',
            ],
            ["a bad system name", { systemName: "acme_orders" }, 'systemName: "acme_orders" cannot name a transactor'],
            [
                "a ping host with shell in it",
                { pingHost: "$(id)" },
                'pingHost: "$(id)" is not a host name or IPv4 address',
            ],
        ])("%s", (_label, extra, message) => {
            world();
            expect(() => new DatomicTransactor("bad", args(extra))).toThrow(message);
            expect(recorder.resources.filter((r) => r.custom)).toEqual([]);
        });
    });

    test("a provider in another region than `region` fails before the table is registered", async () => {
        world();
        const errors = await captureRejections(async () => {
            const transactor = new DatomicTransactor(NAME, args({ region: "eu-west-1" }));
            await expect(valueOf(transactor.region)).rejects.toThrow(
                "region: the provider deploys to us-east-1, not eu-west-1",
            );
            await recorder.settle();
        });
        expect(errors.length).toBeGreaterThan(0);
        expect(recorder.ofType(T.table)).toEqual([]);
    });
});
