/**
 * The environment program with flavor "pro": config parsing, and index.ts run
 * under the mocks with a Datomic Pro stack (test/fixtures/pro-environment,
 * whose Pulumi.yaml points at the repository's index.ts).
 */
import * as path from "path";
import { EnvironmentConfigError, parseEnvironmentConfig } from "../../environment/config";
import { UNKNOWN } from "../../plan/recorded";
import { runStack } from "../support/program";

const PROGRAM_DIR = path.join(__dirname, "../fixtures/pro-environment");

const base = {
    "aws:region": "eu-west-1",
    "aws:assumeRoles": [{ roleArn: "arn:aws:iam::555555555555:role/pulumi-datomic-deployer" }],
    "datomic:flavor": "pro",
    "datomic:pro": { version: "1.0.7075", vpcId: "vpc-0c0ffee000000a001", subnetIds: ["subnet-0c0ffee000000b001"] },
};

function problemsOf(values: Record<string, unknown>): string[] {
    try {
        parseEnvironmentConfig(values);
    } catch (e) {
        expect(e).toBeInstanceOf(EnvironmentConfigError);
        return (e as EnvironmentConfigError).problems;
    }
    throw new Error("expected the config to be refused");
}

describe("parseEnvironmentConfig, flavor pro", () => {
    test("turns datomic:pro into transactor arguments, pinned to the stack's region", () => {
        expect(parseEnvironmentConfig(base)).toEqual({
            flavor: "pro",
            region: "eu-west-1",
            accountId: "555555555555",
            deployRoleArn: "arn:aws:iam::555555555555:role/pulumi-datomic-deployer",
            pro: { ...base["datomic:pro"], region: "eu-west-1" },
        });
    });

    test("names the key of every problem", () => {
        expect(
            problemsOf({
                ...base,
                "datomic:cloud": { mode: "adopt", systemName: "acme" },
                "datomic:pro": {
                    version: "1.0.7075",
                    region: "us-east-1",
                    vpcId: "my-vpc",
                    subnetIds: [],
                    groupSize: 0,
                    billingMode: "ON_DEMAND",
                    instanceTyp: "m6i.large",
                },
            }),
        ).toEqual([
            'datomic:pro.vpcId: expected a VPC id such as vpc-0a1b2c3d (got "my-vpc")',
            "datomic:pro.subnetIds: Too small: expected array to have >=1 items (got [])",
            "datomic:pro.groupSize: Too small: expected number to be >0 (got 0)",
            'datomic:pro.billingMode: Invalid option: expected one of "PAY_PER_REQUEST"|"PROVISIONED" (got "ON_DEMAND")',
            'datomic:pro: Unrecognized key: "instanceTyp"',
            'datomic:cloud: only applies when datomic:flavor is "cloud" (it is "pro")',
        ]);
        expect(problemsOf({ ...base, "datomic:pro": { ...base["datomic:pro"], region: "us-east-1" } })).toEqual([
            'datomic:pro.region: "us-east-1" differs from aws:region "eu-west-1", the region the stack deploys to',
        ]);
        expect(problemsOf({ ...base, "datomic:pro": undefined })).toEqual([
            'datomic:pro: required when datomic:flavor is "pro"',
        ]);
    });

    test("a cloud stack may not carry datomic:pro", () => {
        expect(
            problemsOf({
                ...base,
                "datomic:flavor": "cloud",
                "datomic:cloud": { mode: "adopt", systemName: "acme", topology: "nlb" },
            }),
        ).toEqual(['datomic:pro: only applies when datomic:flavor is "pro" (it is "cloud")']);
    });
});

describe("the environment program on Datomic Pro", () => {
    test("builds a transactor and exports the pro contract", async () => {
        const run = await runStack("pro", { programDir: PROGRAM_DIR });
        expect(run.errors).toEqual([]);
        const types = run.resources.map((resource) => `${resource.type}::${resource.name}`);
        expect(types).toEqual(
            expect.arrayContaining([
                "datomic:pro:Transactor::datomic",
                "aws:dynamodb/table:Table::datomic-table",
                "aws:s3/bucket:Bucket::datomic-logs",
                "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration::datomic-logs-expiry",
                "aws:ec2/launchTemplate:LaunchTemplate::datomic-launch-template",
                "aws:autoscaling/group:Group::datomic-group",
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::datomic-ingress-10-60-0-0-16",
                "aws:cloudwatch/metricAlarm:MetricAlarm::datomic-heartbeat",
            ]),
        );
        const table = run.resources.find((resource) => resource.name === "datomic-table")!;
        expect(table.inputs).toMatchObject({ name: "acme-pro", billingMode: "PAY_PER_REQUEST" });
        expect(table.protect).toBe(true);
        const template = run.resources.find((resource) => resource.name === "datomic-launch-template")!;
        expect(template.inputs).toMatchObject({ instanceType: "m6i.xlarge", imageId: "ami-0a1b2c3d4e5f60789" });
        expect(run.outputs).toEqual({
            flavor: "pro",
            region: "eu-west-1",
            accountId: "555555555555",
            systemName: "acme-pro",
            vpcId: "vpc-0c0ffee000000a001",
            vpcCidrBlock: "10.60.0.0/16",
            subnetCidrBlocks: ["10.60.1.0/24", "10.60.2.0/24"],
            routeTableIds: ["rtb-0c0ffee000000c001", "rtb-0c0ffee000000c000"],
            connectionUriBase: "datomic:ddb://eu-west-1/acme-pro/",
            peerInstanceProfileName: "acme-pro-peer-eu-west-1",
            // Known once AWS has created them.
            nodeSecurityGroupId: UNKNOWN,
            peerSecurityGroupId: UNKNOWN,
            peerRoleArn: UNKNOWN,
        });
    });

    test("reports a transactor argument the component refuses under its config key", async () => {
        const run = await runStack("bad-heap", { programDir: PROGRAM_DIR });
        expect(run.errors.map((error) => error.message)).toEqual([
            'datomic:pro.javaXmx: "4GB" is not a heap size; use a whole number of gigabytes or megabytes such as "4g" or "2625m" (without "-Xmx")',
        ]);
        expect(run.resources.filter((resource) => resource.custom)).toEqual([]);
    });
});
