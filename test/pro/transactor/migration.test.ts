import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parseCfProperties, parseTransactorProperties } from "../../../components/pro/transactor/migration";
import { DatomicTransactor } from "../../../components/pro/transactor/transactor";
import { installMocks, resetWorld, valueOf } from "../../support/harness";
import { AMI_PINNED, NAMED_GROUPS, SUBNETS, transactorLookups, VPC_ID } from "../../fixtures/proTransactor";

const recorder = installMocks();

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "../../fixtures/pro", name), "utf8");
const LOG_BUCKET = "datomic-logs-3f6c1d2e-8a4b-4c5d-9e0f-1a2b3c4d5e6f";

describe("parseTransactorProperties", () => {
    test("reads the file ensure-transactor wrote (comments, blank values, CRLF) into arguments that keep its names", () => {
        const text = fixture("transactor.properties");
        expect(text).toContain("\r\n");
        expect(parseTransactorProperties(text)).toEqual({
            tableName: "datomic-acme-prod",
            region: "us-east-1",
            transactorRoleName: "datomic-aws-transactor",
            peerRoleName: "datomic-aws-peer",
            memoryIndexThreshold: "32m",
            memoryIndexMax: "512m",
            objectCacheMax: "1g",
            logBucketName: LOG_BUCKET,
            cloudWatchRegion: "us-east-1",
            cloudWatchDimensionValue: "acme-prod",
            memcached: "acme-prod-mc.abc123.cfg.use1.cache.amazonaws.com:11211",
            writeConcurrency: 4,
            readConcurrency: 8,
            heartbeatIntervalMsec: 5000,
            pingHost: "0.0.0.0",
            pingPort: 9999,
            extraProperties: { "encrypt-channel": "true" },
        });
    });

    test("never copies the license key or credentials", () => {
        const secrets = [
            "license-key",
            "aws-access-key-id",
            "aws-secret-access-key",
            "aws-secret-key",
            "aws-session-token",
            "aws-dynamodb-secret-key",
            "aws-cloudwatch-access-key-id",
            "aws-cloudwatch-secret-key",
            "sql-password",
            "memcached-password",
            "local-memcached-password",
        ];
        const parsed = parseTransactorProperties(
            `protocol=ddb\n${secrets.map((key) => `${key}=SECRET\n`).join("")}metrics-callback=acme/cb\n`,
        );
        expect(JSON.stringify(parsed)).not.toContain("SECRET");
        expect(parsed).toEqual({ extraProperties: { "metrics-callback": "acme/cb" } });
    });

    test("reports every unknown or misspelt key with the closest known one, rather than dropping it", () => {
        expect(() =>
            parseTransactorProperties(
                "protocol=ddb\naws-dynamodb-tabel=datomic-prod\nmemory-index-treshold=32m\nflux-capacitor=on\nsql-url=jdbc:x\n",
            ),
        ).toThrow(
            [
                'transactor properties, line 2: "aws-dynamodb-tabel" is not a Datomic transactor property; did you mean "aws-dynamodb-table"?',
                'transactor properties, line 3: "memory-index-treshold" is not a Datomic transactor property; did you mean "memory-index-threshold"?',
                'transactor properties, line 4: "flux-capacitor" is not a Datomic transactor property',
                'transactor properties, line 5: "sql-url" is a property of sql storage; only DynamoDB storage can be migrated',
            ].join("\n"),
        );
        expect(() => parseCfProperties("aws-instance-typ=c5.large\naws-ingres-cidrs=10.0.0.0/8\n")).toThrow(
            [
                'CF properties, line 1: "aws-instance-typ" is not a CF property; did you mean "aws-instance-type"?',
                'CF properties, line 2: "aws-ingres-cidrs" is not a CF property; did you mean "aws-ingress-cidrs"?',
            ].join("\n"),
        );
    });

    test("a blank log bucket id asks for a bucket with a generated name, as it did for ensure-transactor", () => {
        expect(parseTransactorProperties("protocol=ddb\naws-s3-log-bucket-id=\n")).toEqual({ logBucket: true });
        expect(parseTransactorProperties("protocol=ddb\n# aws-s3-log-bucket-id=\n")).toEqual({});
    });

    test("fails clearly on what cannot be migrated", () => {
        expect(() => parseTransactorProperties("protocol=sql\nsql-url=jdbc:postgresql://db/datomic\n")).toThrow(
            "transactor properties, line 1: protocol=sql; only DynamoDB storage (protocol=ddb) can be migrated",
        );
        expect(() => parseTransactorProperties("protocol=ddb\r\nport=4335\r\n")).toThrow(
            "transactor properties, line 2: port=4335; the transactor group listens on 4334, the port ensure-cf opened",
        );
        expect(() => parseTransactorProperties("# tuning\nwrite-concurrency=four\n")).toThrow(
            "transactor properties, line 2: write-concurrency=four is not a whole number",
        );
        expect(() => parseTransactorProperties("protocol=ddb\nmemcached=\\u00zz\n")).toThrow(
            'transactor properties, line 2: malformed \\uXXXX escape "\\u00zz"',
        );
    });
});

describe("parseCfProperties", () => {
    test("reads the file ensure-cf wrote into instance, group and ingress arguments", () => {
        expect(parseCfProperties(fixture("cf.properties"))).toEqual({
            region: "us-east-1",
            instanceType: "c5.large",
            groupSize: 2,
            javaXmx: "2625m",
            javaOpts: "-XX:+UseG1GC -XX:MaxGCPauseMillis=50",
            version: "1.0.7075",
            securityGroupName: "datomic",
            securityGroupDescription: "Provisioned by Datomic",
            peerSecurityGroupNames: ["acme-apps", "datomic"],
            peerCidrs: ["10.30.0.0/16", "10.31.0.0/16"],
            detailedMonitoring: true,
        });
    });

    test("aws-instance-monitoring becomes detailedMonitoring, in any case; anything else fails naming the line", () => {
        expect(parseCfProperties("aws-instance-monitoring=FALSE\n")).toEqual({ detailedMonitoring: false });
        expect(parseCfProperties("aws-instance-monitoring=\n")).toEqual({});
        expect(() => parseCfProperties("aws-region=us-east-1\naws-instance-monitoring=yes\n")).toThrow(
            "CF properties, line 2: aws-instance-monitoring=yes is neither true nor false",
        );
    });

    test("blank values are not set; an -Xmx prefix is dropped", () => {
        expect(parseCfProperties("java-opts=\naws-ingress-groups=\njava-xmx=-Xmx4g\n")).toEqual({ javaXmx: "4g" });
    });

    test("fails clearly on a group of another account and a group size that is not a number", () => {
        expect(() =>
            parseCfProperties("aws-security-group=datomic\naws-ingress-groups=apps,123456789012:peers\n"),
        ).toThrow(
            'CF properties, line 2: aws-ingress-groups entry "123456789012:peers" names a group of another account; give its security group id in peerSecurityGroupIds instead',
        );
        expect(() => parseCfProperties("aws-autoscaling-group-size=two\n")).toThrow(
            "CF properties, line 1: aws-autoscaling-group-size=two is not a whole number",
        );
    });
});

describe("a transactor built from the migrated arguments", () => {
    test("keeps every existing name and adopts the table", async () => {
        resetWorld(recorder, {
            fixtures: { lookups: transactorLookups() },
            outputs: {
                "aws:dynamodb/table:Table": {
                    "*": { arn: "arn:aws:dynamodb:us-east-1:111111111111:table/datomic-acme-prod" },
                },
                "aws:s3/bucket:Bucket": { "*": { arn: `arn:aws:s3:::${LOG_BUCKET}` } },
                "aws:ec2/launchTemplate:LaunchTemplate": { "*": { latestVersion: 1 } },
            },
        });
        const transactor = new DatomicTransactor("acme-prod", {
            ...parseTransactorProperties(fixture("transactor.properties")),
            ...parseCfProperties(fixture("cf.properties")),
            version: "1.0.7075",
            vpcId: VPC_ID,
            subnetIds: SUBNETS.map((subnet) => subnet.id),
            // ensure-cf's aws-ami was Datomic's own image for its own boot script; the component needs AL2023.
            amiId: AMI_PINNED,
            adoptTable: true,
        });
        await valueOf(pulumi.output(transactor.contractOutputs()));
        await recorder.settle();
        expect(recorder.failures).toEqual([]);

        const table = recorder.get("aws:dynamodb/table:Table", "acme-prod-table");
        expect([table.inputs.name, table.importId, table.protect]).toEqual([
            "datomic-acme-prod",
            "datomic-acme-prod",
            true,
        ]);
        expect(recorder.get("aws:s3/bucket:Bucket", "acme-prod-logs").inputs.bucket).toBe(LOG_BUCKET);
        expect(
            recorder
                .ofType("aws:iam/role:Role")
                .map((role) => role.inputs.name)
                .sort(),
        ).toEqual(["datomic-aws-peer", "datomic-aws-transactor"]);
        expect(
            recorder
                .ofType("aws:iam/instanceProfile:InstanceProfile")
                .map((p) => p.inputs.name)
                .sort(),
        ).toEqual(["datomic-aws-peer", "datomic-aws-transactor"]);
        // ensure-transactor's inline policy names, so the existing policies can be imported as they are.
        expect(
            recorder
                .ofType("aws:iam/rolePolicy:RolePolicy")
                .map((policy) => `${policy.inputs.role}:${policy.inputs.name}`)
                .sort(),
        ).toEqual([
            "datomic-aws-peer:datomic-acme-prod-peer",
            "datomic-aws-transactor:datomic-acme-prod-transactor",
            `datomic-aws-transactor:${LOG_BUCKET}-transactor-logs`,
            // New with the component: the health watcher's right to mark its own instance unhealthy.
            "datomic-aws-transactor:transactor-instance-health",
            "datomic-aws-transactor:transactor-metrics",
            // New with the component: completing its own group's launch hook once the transactor is ready.
            "datomic-aws-transactor:transactor-ready",
        ]);
        expect(
            recorder.get("aws:ec2/launchTemplate:LaunchTemplate", "acme-prod-launch-template").inputs.monitoring,
        ).toEqual({
            enabled: true,
        });
        expect(recorder.get("aws:ec2/securityGroup:SecurityGroup", "acme-prod-sg").inputs).toMatchObject({
            name: "datomic",
            description: "Provisioned by Datomic",
        });
        expect(
            recorder
                .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
                .map((rule) => rule.inputs.referencedSecurityGroupId ?? rule.inputs.cidrIpv4)
                .sort(),
        ).toEqual(
            [
                "acme-prod-peer-sg-id",
                NAMED_GROUPS["acme-apps"],
                NAMED_GROUPS.datomic,
                "10.30.0.0/16",
                "10.31.0.0/16",
                // The health port, from the VPC.
                "10.20.0.0/16",
            ].sort(),
        );
        expect(
            recorder.get("aws:ec2/launchTemplate:LaunchTemplate", "acme-prod-launch-template").inputs.instanceType,
        ).toBe("c5.large");
        expect(recorder.get("aws:autoscaling/group:Group", "acme-prod-group").inputs.desiredCapacity).toBe(2);
        const userData = Buffer.from(
            recorder.get("aws:ec2/launchTemplate:LaunchTemplate", "acme-prod-launch-template").inputs
                .userData as string,
            "base64",
        ).toString();
        for (const line of [
            "    JAVA_XMX='2625m' \\",
            "    JAVA_OPTS_VALUE='-XX:+UseG1GC -XX:MaxGCPauseMillis=50' \\",
            "aws-dynamodb-table=datomic-acme-prod",
            `aws-s3-log-bucket-id=${LOG_BUCKET}`,
            "aws-cloudwatch-dimension-value=acme-prod",
            "encrypt-channel=true",
        ]) {
            expect(userData.split("\n")).toContain(line);
        }
        expect(userData).not.toContain("Ojm4RK1xkz5VY7dn5fNPDDrU6");
    });

    test("refuses the sample's 0.0.0.0/0 ingress until it is replaced or explicitly allowed", () => {
        resetWorld(recorder, { fixtures: { lookups: transactorLookups() } });
        const migrated = parseCfProperties("aws-ingress-cidrs=0.0.0.0/0\ndatomic-version=1.0.7075\n");
        expect(
            () =>
                new DatomicTransactor("public", {
                    version: "1.0.7075",
                    ...migrated,
                    vpcId: VPC_ID,
                    subnetIds: SUBNETS.map((subnet) => subnet.id),
                    amiId: AMI_PINNED,
                }),
        ).toThrow('peerCidrs: "0.0.0.0/0" opens the transactor port 4334 to the whole internet');
    });
});
