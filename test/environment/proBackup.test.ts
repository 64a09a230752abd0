/**
 * The environment program's pro flavor backs its databases up in the stage and prod stacks:
 * config parsing by stack, and index.ts run under the mocks as the stacks stage, prod and pro
 * (test/fixtures/pro-environment).
 */
import * as path from "path";
import { EnvironmentConfigError, parseEnvironmentConfig } from "../../environment/config";
import { runStack } from "../support/program";

const PROGRAM_DIR = path.join(__dirname, "../fixtures/pro-environment");

const transactor = {
    version: "1.0.7075",
    vpcId: "vpc-0c0ffee000000a001",
    subnetIds: ["subnet-0c0ffee000000b001"],
    amiId: "ami-0a1b2c3d4e5f60789",
    instanceType: "r6i.xlarge",
    javaXmx: "24g",
};
const values = (pro: Record<string, unknown>) => ({
    "aws:region": "eu-west-1",
    "aws:assumeRoles": [{ roleArn: "arn:aws:iam::555555555555:role/pulumi-datomic-deployer" }],
    "datomic:flavor": "pro",
    "datomic:pro": pro,
});

function problemsOf(pro: Record<string, unknown>, stack: string): string[] {
    try {
        parseEnvironmentConfig(values(pro), [], [], stack);
    } catch (e) {
        expect(e).toBeInstanceOf(EnvironmentConfigError);
        return (e as EnvironmentConfigError).problems;
    }
    throw new Error("expected the config to be refused");
}

describe("parseEnvironmentConfig: backups of the pro flavor", () => {
    test.each(["stage", "prod"])(
        "are on in %s, on the transactor's release, network, image, instance type and heap",
        (stack) => {
            const config = parseEnvironmentConfig(
                values({ ...transactor, backup: { databases: ["orders"], maxBackupAgeHours: 6 } }),
                [],
                [],
                stack,
            );
            expect(config.flavor === "pro" && config.backup).toEqual({
                version: "1.0.7075",
                vpcId: "vpc-0c0ffee000000a001",
                subnetIds: ["subnet-0c0ffee000000b001"],
                amiId: "ami-0a1b2c3d4e5f60789",
                instanceType: "r6i.xlarge",
                javaXmx: "24g",
                databases: ["orders"],
                maxBackupAgeHours: 6,
            });
            // The transactor's arguments do not carry the backup's.
            expect(config.flavor === "pro" && "backup" in config.pro).toBe(false);
        },
    );

    test("are off in other stacks unless enabled, and can be turned off in prod", () => {
        const backup = { databases: ["orders"] };
        const backupOf = (pro: Record<string, unknown>, stack: string) => {
            const config = parseEnvironmentConfig(values(pro), [], [], stack);
            return config.flavor === "pro" ? config.backup : "cloud";
        };
        expect(backupOf({ ...transactor, backup }, "dev")).toBeUndefined();
        expect(backupOf(transactor, "dev")).toBeUndefined();
        expect(backupOf({ ...transactor, backup: { ...backup, enabled: true } }, "dev")).toMatchObject(backup);
        expect(backupOf({ ...transactor, backup: { enabled: false } }, "prod")).toBeUndefined();
    });

    test("need the databases and a pinned image where they are on, and name the key", () => {
        const { amiId: _amiId, ...unpinned } = transactor;
        expect(problemsOf(unpinned, "prod")).toEqual([
            'datomic:pro.backup.databases: required, as backups are on in stack "prod": list the databases to back up (or set datomic:pro.backup.enabled: false)',
            'datomic:pro.backup.amiId: required, as backups are on in stack "prod" and datomic:pro.amiId is not set: pin the Amazon Linux 2023 image',
        ]);
        expect(problemsOf({ ...transactor, backup: { enabled: true, databases: [] } }, "dev")).toEqual([
            "datomic:pro.backup.databases: required, as backup.enabled is true: list the databases to back up (or set datomic:pro.backup.enabled: false)",
        ]);
        expect(problemsOf({ ...transactor, backup: { databases: ["orders"], schedul: "0 * * * *" } }, "prod")).toEqual([
            'datomic:pro.backup: Unrecognized key: "schedul"',
        ]);
    });
});

describe("the environment program on Datomic Pro, with backups", () => {
    test("prod runs DatomicBackup beside the transactor, named after it, on its table", async () => {
        const run = await runStack("prod", { programDir: PROGRAM_DIR });
        expect(run.errors).toEqual([]);
        const names = run.resources.map((resource) => `${resource.type}::${resource.name}`);
        expect(names).toEqual(
            expect.arrayContaining([
                "datomic:pro:Transactor::datomic",
                "datomic:pro:Backup::datomic-backup",
                "aws:s3/bucket:Bucket::datomic-backup-bucket",
                "aws:autoscaling/schedule:Schedule::datomic-backup-schedule",
                "aws:autoscaling/group:Group::datomic-backup-restore-drill-group",
                "aws:cloudwatch/metricAlarm:MetricAlarm::datomic-backup-stale-orders",
                "aws:cloudwatch/metricAlarm:MetricAlarm::datomic-backup-stale-inventory",
                "aws:autoscaling/group:Group::datomic-backup-restore-group",
                "aws:dynamodb/table:Table::datomic-backup-locks",
            ]),
        );
        const byName = (name: string) => run.resources.find((resource) => resource.name === name)!;
        expect(byName("datomic-backup-bucket")).toMatchObject({ protect: true, retainOnDelete: true });
        expect(byName("datomic-backup-schedule").inputs).toMatchObject({ recurrence: "15 */4 * * *" });
        expect(byName("datomic-backup-stale-orders").inputs).toMatchObject({
            name: "acme-pro-datomic-backup-stale-orders",
            period: 8 * 3600,
            treatMissingData: "missing",
            alarmActions: ["arn:aws:sns:eu-west-1:555555555555:datomic-alarms"],
        });
        expect(byName("datomic-backup-backup-template").inputs).toMatchObject({
            imageId: "ami-0a1b2c3d4e5f60789",
            instanceType: "r6i.xlarge",
        });
        // The environment contract is unchanged by the backups.
        expect(Object.keys(run.outputs)).not.toContain("backupBucketName");
    });

    test("prod backs up every database before a version change rolls the transactors", async () => {
        const run = await runStack("prod", {
            programDir: PROGRAM_DIR,
            preview: false,
            resourceOutputs: (type, name) =>
                type === "aws:s3/bucket:Bucket" && name === "datomic-backup-bucket"
                    ? { bucket: "acme-pro-backups-0a1b2c" }
                    : undefined,
        });
        expect(run.errors).toEqual([]);
        const byName = (name: string) => run.resources.find((resource) => resource.name === name)!;
        const backupFirst = byName("datomic-backup-before-roll");
        expect(backupFirst.type).toBe("command:local:Command");
        const create = String(backupFirst.inputs.create);
        expect(create).toContain("--backup-only");
        expect(create).toContain("--backup-group acme-pro-datomic-backup");
        expect(create).toContain("--backup-bucket acme-pro-backups-0a1b2c");
        expect(create).toMatch(/--backup-database orders --backup-database inventory/);
        // Triggered by the version alone, after the backup's group and bucket exist; the roll waits for it.
        expect(backupFirst.inputs.triggers).toEqual(["1.0.7075"]);
        expect(backupFirst.dependencies).toEqual(
            expect.arrayContaining([byName("datomic-backup-backup-group").urn, byName("datomic-backup-bucket").urn]),
        );
        expect(byName("datomic-roll").dependencies).toContain(backupFirst.urn);
    });

    test("stage has backups on too, and refuses to run without the databases to back up", async () => {
        const refused = await runStack("stage", { programDir: PROGRAM_DIR });
        expect(refused.errors.map((error) => error.message).join("\n")).toContain(
            'datomic:pro.backup.databases: required, as backups are on in stack "stage"',
        );
        const pro = {
            version: "1.0.7075",
            systemName: "acme-stage",
            vpcId: "vpc-0c0ffee000000a001",
            subnetIds: ["subnet-0c0ffee000000b001"],
            amiId: "ami-0a1b2c3d4e5f60789",
            backup: { databases: ["orders"] },
        };
        const run = await runStack("stage", {
            programDir: PROGRAM_DIR,
            config: { "datomic:pro": JSON.stringify(pro) },
        });
        expect(run.errors).toEqual([]);
        expect(run.resources.map((resource) => resource.type)).toContain("datomic:pro:Backup");
    });

    test("deployed (not a preview), the runs boot scripts naming the live table and the bucket", async () => {
        // AWS names a bucket created without a name; the mocks answer as it would.
        const run = await runStack("prod", {
            programDir: PROGRAM_DIR,
            preview: false,
            resourceOutputs: (type) =>
                type === "aws:s3/bucket:Bucket" ? { bucket: "datomic-backup-bucket-5d1e2f3" } : undefined,
        });
        expect(run.errors).toEqual([]);
        const template = run.resources.find((resource) => resource.name === "datomic-backup-backup-template")!;
        const script = Buffer.from(String(template.inputs.userData), "base64").toString();
        expect(script).toContain("TABLE_NAME='acme-pro'");
        expect(script).toContain("readonly DATABASES=('orders' 'inventory')");
        expect(script).toContain("JAVA_XMX='24g'");
        expect(script).toContain("BUCKET='datomic-backup-bucket-5d1e2f3'");
    });

    test("a backup setting the component refuses is reported under its config key", async () => {
        const pro = {
            version: "1.0.7075",
            vpcId: "vpc-0c0ffee000000a001",
            subnetIds: ["subnet-0c0ffee000000b001"],
            amiId: "ami-0a1b2c3d4e5f60789",
            backup: { databases: ["orders"], maxBackupAgeHours: 36 },
        };
        const run = await runStack("stage", {
            programDir: PROGRAM_DIR,
            config: { "datomic:pro": JSON.stringify(pro) },
        });
        expect(run.errors.map((error) => error.message)).toEqual([
            "datomic:pro.backup.maxBackupAgeHours: 36 is not a whole number of hours from 1 to 24 (a CloudWatch alarm evaluates at most one day)",
        ]);
    });

    test("another pro stack runs no backups", async () => {
        const run = await runStack("pro", { programDir: PROGRAM_DIR });
        expect(run.errors).toEqual([]);
        expect(run.resources.filter((resource) => resource.type === "datomic:pro:Backup")).toEqual([]);
    });
});
