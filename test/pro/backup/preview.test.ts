/**
 * DatomicBackup in a preview: the bucket's name, the table's name and every ARN are unknown, as on a
 * first `pulumi preview`. The component must still register everything with the same options, and
 * keep what only depends on its arguments (alarms, schedule, group sizes) known.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatomicBackup } from "../../../components/pro/backup/backup";
import { fixtureAnswers } from "../../../plan/fixtures";
import { UNKNOWN } from "../../../plan/recorded";
import { MockRecorder } from "../../../plan/recorder";
import { TEST_ACCOUNT, TEST_REGION, valueOf } from "../../support/harness";

// No resource outputs beyond inputs: every id, ARN and generated name is unknown, as in a real first preview.
const recorder = new MockRecorder(
    fixtureAnswers({ accountId: TEST_ACCOUNT }, { region: TEST_REGION, source: "the test" }, () => ({})),
);
recorder.install(pulumi, { project: "datomic", stack: "test", preview: true });

test("a preview with unknown table and bucket registers every resource with its options", async () => {
    // The table name comes from a transactor created in the same preview.
    const table = new aws.dynamodb.Table("live-table", { hashKey: "id", attributes: [{ name: "id", type: "S" }] });
    const backup = new DatomicBackup("acme", {
        version: "1.0.7075",
        tableName: table.name,
        databases: ["orders"],
        vpcId: "vpc-0a1b2c3d4e5f67890",
        subnetIds: ["subnet-0aa11bb22cc33dd44"],
        amiId: "ami-0a1b2c3d4e5f60789",
    });
    await valueOf(backup.alarmNames);
    await recorder.settle();
    expect(recorder.failures).toEqual([]);

    const byName = (name: string) => recorder.resources.find((r) => r.name === name)!;
    const registered = recorder.resources.filter((r) => r.custom && r.name !== "live-table").map((r) => r.name);
    expect(registered.sort()).toEqual(
        [
            "backup-group",
            "backup-policy",
            "backup-profile",
            "backup-role",
            "backup-template",
            "bucket",
            "drill-failed-orders",
            "encryption",
            "lifecycle",
            "locks",
            "logs",
            "public-access",
            "restore-drill-group",
            "restore-drill-policy",
            "restore-drill-profile",
            "restore-drill-role",
            "restore-drill-schedule",
            "restore-drill-template",
            "restore-group",
            "restore-in-progress",
            "restore-policy",
            "restore-profile",
            "restore-role",
            "restore-template",
            "schedule",
            "sg",
            "sg-egress-ipv4",
            "stale-orders",
            "tls-only",
            "versioning",
        ].map((suffix) => `acme-${suffix}`),
    );
    expect(byName("acme-bucket")).toMatchObject({ protect: true, retainOnDelete: true });
    expect(byName("acme-versioning")).toMatchObject({ retainOnDelete: true });
    // The scripts need the bucket's and table's names: unknown until they exist.
    for (const kind of ["backup", "restore-drill", "restore"]) {
        expect(byName(`acme-${kind}-template`).inputs.userData).toBe(UNKNOWN);
        expect(byName(`acme-${kind}-group`)).toMatchObject({
            inputs: { minSize: 0, maxSize: 1, desiredCapacity: 0 },
            ignoreChanges: ["desiredCapacity"],
        });
        expect(byName(`acme-${kind}-policy`).inputs.policy).toBe(UNKNOWN);
    }
    expect(byName("acme-schedule").inputs).toMatchObject({ recurrence: "0 */6 * * *", desiredCapacity: 1 });
    expect(byName("acme-restore-drill-schedule").inputs).toMatchObject({ recurrence: "0 3 * * 0", desiredCapacity: 1 });
    // What datomic-restore needs waits for the table and bucket names (valueOf answers undefined while unknown).
    expect(await valueOf(backup.restoreSettings)).toBeUndefined();
    expect(await (backup.restoreSettings as unknown as { isKnown: Promise<boolean> }).isKnown).toBe(false);
    expect(byName("acme-stale-orders").inputs).toMatchObject({
        period: 12 * 3600,
        treatMissingData: "missing",
        dimensions: { System: "acme", Database: "orders" },
    });
});
