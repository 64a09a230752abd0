/**
 * DatomicBackup's scripts: shellcheck-clean, and run for real against fakes:
 * an instance metadata service and a download server on 127.0.0.1, a Datomic
 * zip whose bin/datomic is test/fakes/backup/datomic (storage and backups as
 * files), and test/fakes/backup/aws for the AWS CLI (CloudWatch Logs and
 * metrics, S3, DynamoDB scratch tables, Auto Scaling), which hands the lock
 * table's and SSM's calls to moto_server, sent as the AWS CLI sends them
 * (test/fakes/backup/aws-moto). Runs are independent
 * (each its own lock table), so they run concurrently.
 */
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { execFile, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { drillFailedAlarmArgs } from "../../../components/pro/backup/alarms";
import { renderRestoreScript } from "../../../components/pro/backup/restoreScript";
import {
    BACKUP_METRICS_NAMESPACE,
    BackupScriptSettings,
    renderBackupScript,
    renderRestoreDrillScript,
} from "../../../components/pro/backup/scripts";
import { resolveBackupSettings } from "../../../components/pro/backup/settings";
import { USER_DATA_MAX_BYTES } from "../../../components/pro/datomicInstall";
import { Moto, startMoto } from "../../support/moto";
import { buildFakeDatomicZip, FAKES, fakeBin } from "./fakeDatomicZip";
import { requireTools } from "../../support/tools";

const VERSION = "1.0.7075";
const INSTANCE_ID = "i-0b22a22eec53b9321";
const IMDS_TOKEN = "AQAEAFakeToken==";
const TABLE = "acme-orders";
const BUCKET = "acme-orders-datomic-backups";
const LOG_GROUP = "/datomic/acme-orders/backup";

const settings: BackupScriptSettings = {
    version: VERSION,
    region: "us-east-1",
    jrePackage: "java-21-amazon-corretto-headless",
    systemName: "acme-orders",
    tableName: TABLE,
    databases: ["orders", "inventory"],
    bucketName: BUCKET,
    logGroupName: LOG_GROUP,
    commandTimeoutMinutes: 360,
    lockTableName: "replaced-per-run",
    lockWaitMinutes: 30,
    restoreParameterName: "/datomic/acme-orders/restore",
};
/** The lock table's calls go to moto; everything else stays with the file-backed fake. */
const MOTO_CALLS = "dynamodb:put-item dynamodb:get-item dynamodb:delete-item dynamodb:update-item ssm:get-parameter";
const uriOf = (db: string) => `s3://${BUCKET}/backups/${db}`;

let dir: string;
let url: string;
let zipSha256: string;
let server: http.Server;
let moto: Moto;
let dynamodb: DynamoDBClient;
const imdsRequests: string[] = [];

beforeAll(async () => {
    requireTools("shellcheck", "zip", "unzip", "curl", "sha256sum", "jq", "timeout");
    moto = await startMoto();
    dynamodb = new DynamoDBClient({ endpoint: moto.endpoint, region: "us-east-1", credentials: credentials() });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "datomic-backup-"));
    const zip = buildFakeDatomicZip(dir, VERSION);
    zipSha256 = createHash("sha256").update(zip).digest("hex");
    fakeBin(dir);
    server = http.createServer((req, res) => {
        const send = (status: number, body: string | Buffer) => {
            res.writeHead(status);
            res.end(body);
        };
        if (req.url?.startsWith("/latest/")) {
            imdsRequests.push(`${req.method} ${req.url}`);
        }
        if (req.method === "PUT" && req.url === "/latest/api/token") {
            return req.headers["x-aws-ec2-metadata-token-ttl-seconds"] ? send(200, IMDS_TOKEN) : send(400, "");
        }
        if (req.url === "/latest/meta-data/instance-id") {
            return req.headers["x-aws-ec2-metadata-token"] === IMDS_TOKEN ? send(200, INSTANCE_ID) : send(401, "");
        }
        if (req.method === "GET" && req.url === `/downloads/${VERSION}/datomic-pro-${VERSION}.zip`) {
            return send(200, zip);
        }
        send(404, "not found");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

function credentials() {
    return { accessKeyId: moto.env.AWS_ACCESS_KEY_ID, secretAccessKey: moto.env.AWS_SECRET_ACCESS_KEY };
}

afterAll(async () => {
    dynamodb?.destroy();
    await moto?.stop();
    await new Promise((resolve) => server?.close(resolve));
    if (dir) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

/** The world a run starts in: databases in the live table (name to basis t), and earlier backups. */
interface World {
    storage?: Record<string, number>;
    /** Backups already taken: database to t, with the status object written hours ago. */
    backups?: Record<string, { t: number; hoursAgo: number }>;
    /** Locks other runs hold: database to holder and seconds until the lock expires (negative: expired). */
    locks?: Record<string, { owner: string; expiresIn: number }>;
    env?: Record<string, string>;
}

interface Run {
    code: number;
    state: string;
    calls: string[];
    metrics: string[];
    /** Messages the run sent to CloudWatch Logs, by stream. */
    logs: Record<string, string[]>;
    /** Tables left in DynamoDB. */
    tables: string[];
    s3(key: string): string | undefined;
    /** The holder of a database's lock after the run. */
    lockOwner(db: string): Promise<string | undefined>;
}

/** A run's own lock table in moto, with the locks other runs hold. */
async function lockTable(name: string, locks: World["locks"] = {}): Promise<string> {
    const table = `locks-${name}`;
    await dynamodb.send(
        new CreateTableCommand({
            TableName: table,
            BillingMode: "PAY_PER_REQUEST",
            AttributeDefinitions: [{ AttributeName: "uri", AttributeType: "S" }],
            KeySchema: [{ AttributeName: "uri", KeyType: "HASH" }],
        }),
    );
    const now = Math.round(Date.now() / 1000);
    for (const [db, lock] of Object.entries(locks)) {
        await dynamodb.send(
            new PutItemCommand({
                TableName: table,
                Item: {
                    uri: { S: uriOf(db) },
                    owner: { S: lock.owner },
                    kind: { S: lock.owner.split("/")[0] },
                    takenAt: { N: String(now - 60) },
                    expiresAt: { N: String(now + lock.expiresIn) },
                },
            }),
        );
    }
    return table;
}

async function lockOwner(table: string, db: string): Promise<string | undefined> {
    const item = await dynamodb.send(
        new GetItemCommand({ TableName: table, Key: { uri: { S: uriOf(db) } }, ConsistentRead: true }),
    );
    return item.Item?.owner?.S;
}

async function run(name: string, render: (settings: BackupScriptSettings) => string, world: World = {}): Promise<Run> {
    const table = await lockTable(name, world.locks);
    const script = render({ ...settings, lockTableName: table });
    const root = path.join(dir, name);
    const state = path.join(root, "state");
    fs.mkdirSync(path.join(state, "tables", TABLE), { recursive: true });
    fs.writeFileSync(path.join(state, "calls.log"), "");
    for (const [db, t] of Object.entries(world.storage ?? {})) {
        fs.writeFileSync(path.join(state, "tables", TABLE, db), `${t}\n`);
    }
    for (const [db, backup] of Object.entries(world.backups ?? {})) {
        const prefix = path.join(state, "s3", BUCKET, "backups", db);
        fs.mkdirSync(path.join(prefix, "roots"), { recursive: true });
        fs.writeFileSync(path.join(prefix, "owner"), `${db}\n`);
        for (const t of [backup.t - 20, backup.t]) {
            fs.writeFileSync(path.join(prefix, "roots", String(t)), "");
        }
        const epoch = Math.round(Date.now() / 1000 - backup.hoursAgo * 3600);
        fs.mkdirSync(path.join(state, "s3", BUCKET, "status"), { recursive: true });
        fs.writeFileSync(
            path.join(state, "s3", BUCKET, "status", `${db}.json`),
            JSON.stringify({ database: db, t: backup.t, finishedAtEpoch: epoch }),
        );
    }
    const file = path.join(root, "user-data.sh");
    fs.writeFileSync(file, script, { mode: 0o755 });
    fs.writeFileSync(path.join(root, "meminfo"), "MemTotal:        8000000 kB\n");
    const env: NodeJS.ProcessEnv = {
        PATH: `${path.join(dir, "bin")}:${process.env.PATH}`,
        HOME: root,
        DATOMIC_IMDS_URL: url,
        DATOMIC_DOWNLOAD_URL: `${url}/downloads`,
        DATOMIC_INSTALL_ROOT: path.join(root, "opt/datomic"),
        DATOMIC_WORK_DIR: path.join(root, "work"),
        DATOMIC_MEMINFO: path.join(root, "meminfo"),
        DATOMIC_SYSTEMCTL: path.join(dir, "bin", "systemctl"),
        FAKE_STATE: state,
        FAKE_AWS_MOTO: MOTO_CALLS,
        FAKE_MOTO_URL: moto.endpoint,
        AWS_ACCESS_KEY_ID: moto.env.AWS_ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: moto.env.AWS_SECRET_ACCESS_KEY,
        DATOMIC_LOCK_WAIT_SECONDS: "0",
        DATOMIC_LOCK_POLL_SECONDS: "1",
        ...world.env,
    };
    const code = await new Promise<number>((resolve) =>
        // Generous: the machine is shared, and a killed run would look like a failed one.
        execFile("bash", [file], { env, timeout: 150_000 }, (error) =>
            resolve(error ? ((error as { code?: number }).code ?? 1) : 0),
        ),
    );
    const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
    const lines = (text: string) => text.split("\n").filter((line) => line !== "");
    const logs: Record<string, string[]> = {};
    const logDir = path.join(state, "logs", LOG_GROUP.replace(/\//g, "_"));
    for (const stream of fs.existsSync(logDir) ? fs.readdirSync(logDir) : []) {
        logs[stream.replace(/_/g, "/")] = lines(read(path.join(logDir, stream))).map(
            (event) => (JSON.parse(event) as { message: string }).message,
        );
    }
    return {
        code,
        state,
        calls: lines(read(path.join(state, "calls.log"))),
        metrics: lines(read(path.join(state, "metrics.log"))),
        logs,
        tables: fs.readdirSync(path.join(state, "tables")),
        s3: (key) =>
            fs.existsSync(path.join(state, "s3", BUCKET, key)) ? read(path.join(state, "s3", BUCKET, key)) : undefined,
        lockOwner: (db) => lockOwner(table, db),
    };
}

/** The run's only log stream and its messages. */
function onlyStream(result: Run): [string, string[]] {
    const streams = Object.entries(result.logs);
    expect(streams).toHaveLength(1);
    return streams[0];
}

const HEAP = ["-Xmx5468m", "-Xms5468m"]; // 70% of the fake's 8,000,000 kB
const TERMINATE = `aws autoscaling terminate-instance-in-auto-scaling-group --instance-id ${INSTANCE_ID} --should-decrement-desired-capacity`;
const metric = (name: string, db: string, value: string, unit = "Count") =>
    `${BACKUP_METRICS_NAMESPACE} ${name} System=acme-orders,Database=${db} ${value} ${unit}`;

describe("the backup scripts", () => {
    test("pass shellcheck, and so do the fakes they are tested with", () => {
        for (const script of [
            renderBackupScript(settings),
            renderRestoreDrillScript({ ...settings, sha256: "a".repeat(64), javaXmx: "6g" }),
            renderRestoreScript(settings),
        ]) {
            const result = spawnSync("shellcheck", ["--shell=bash", "--severity=style", "-"], {
                input: script,
                encoding: "utf8",
            });
            expect(result.stdout).toBe("");
            expect(result.status).toBe(0);
            // Room left for long database lists (runs.ts refuses user data over the limit).
            expect(Buffer.byteLength(script)).toBeLessThan((USER_DATA_MAX_BYTES * 3) / 4);
        }
        const fakes = spawnSync("shellcheck", ["aws", "aws-moto", "datomic", "recorder"], {
            cwd: FAKES,
            encoding: "utf8",
        });
        expect(fakes.stdout).toBe("");
    });
});

describe("the backup scripts, run against the fakes", () => {
    // The runs are independent (each its own directories and fake state), so they go concurrently.
    let success: Run, failure: Run, drill: Run, badDrill: Run, stuck: Run, tampered: Run;
    let busy: Run, expired: Run, busyDrill: Run, unlockedRestore: Run;
    beforeAll(async () => {
        const ssm = new SSMClient({ endpoint: moto.endpoint, region: "us-east-1", credentials: credentials() });
        await ssm.send(
            new PutParameterCommand({
                Name: settings.restoreParameterName,
                Type: "String",
                Value: JSON.stringify({
                    id: "r-by-hand",
                    database: "orders",
                    sourceUri: uriOf("orders"),
                    lockUri: uriOf("orders"),
                }),
            }),
        );
        ssm.destroy();
        [success, failure, drill, badDrill, stuck, tampered, busy, expired, busyDrill, unlockedRestore] =
            await Promise.all([
                run("success", (s) => renderBackupScript({ ...s, sha256: zipSha256 }), {
                    storage: { orders: 1042, inventory: 77 },
                }),
                // "inventory" is not in the storage: bin/datomic fails as it does for a database missing from the catalog.
                run("failure", renderBackupScript, { storage: { orders: 1042 } }),
                run("drill", renderRestoreDrillScript, {
                    storage: { orders: 1100, inventory: 80 },
                    backups: { orders: { t: 1042, hoursAgo: 3 }, inventory: { t: 77, hoursAgo: 27.5 } },
                }),
                run("bad-drill", renderRestoreDrillScript, {
                    backups: { orders: { t: 1042, hoursAgo: 3 }, inventory: { t: 77, hoursAgo: 3 } },
                    env: { FAKE_CORRUPT_BACKUPS: "orders" },
                }),
                run("stuck", renderBackupScript, {
                    storage: { orders: 1042, inventory: 77 },
                    env: { FAKE_AWS_DENY: "autoscaling:terminate-instance-in-auto-scaling-group" },
                }),
                run("tampered", (s) => renderBackupScript({ ...s, sha256: "0".repeat(64) }), {
                    storage: { orders: 1042, inventory: 77 },
                }),
                // A drill holds the lock on orders' backup URI for another hour.
                run("busy", renderBackupScript, {
                    storage: { orders: 1042, inventory: 77 },
                    locks: { orders: { owner: "restore-drill/i-0d7111d7111d71111", expiresIn: 3600 } },
                }),
                // A drill that died holding the lock: it expired a minute ago.
                run("expired", renderBackupScript, {
                    storage: { orders: 1042, inventory: 77 },
                    locks: { orders: { owner: "restore-drill/i-0dead0dead0dead00", expiresIn: -60 } },
                }),
                // A backup holds inventory's URI: the drill drills orders, reports inventory busy, fails nothing.
                run("busy-drill", renderRestoreDrillScript, {
                    backups: { orders: { t: 1042, hoursAgo: 3 }, inventory: { t: 77, hoursAgo: 3 } },
                    locks: { inventory: { owner: "backup/i-0bac0bac0bac0bac0", expiresIn: 3600 } },
                }),
                // A restore run started by hand, with no datomic-restore holding the lock.
                run("unlocked-restore", renderRestoreScript, {
                    backups: { orders: { t: 1042, hoursAgo: 3 } },
                }),
            ]);
    }, 400_000);

    test("a backup runs backup-db per database, heap first, then records its t and publishes a metric", () => {
        expect(success.code).toBe(0);
        expect(success.calls.filter((call) => call.startsWith("datomic "))).toEqual([
            `datomic ${HEAP.join(" ")} backup-db --encryption sse datomic:ddb://us-east-1/${TABLE}/orders s3://${BUCKET}/backups/orders`,
            `datomic ${HEAP.join(" ")} list-backups s3://${BUCKET}/backups/orders`,
            `datomic ${HEAP.join(" ")} backup-db --encryption sse datomic:ddb://us-east-1/${TABLE}/inventory s3://${BUCKET}/backups/inventory`,
            `datomic ${HEAP.join(" ")} list-backups s3://${BUCKET}/backups/inventory`,
        ]);
        expect(success.metrics).toEqual([
            metric("BackupSucceeded", "orders", "1"),
            metric("BackupSucceeded", "inventory", "1"),
        ]);
        expect(JSON.parse(success.s3("status/orders.json")!)).toMatchObject({ database: "orders", t: 1042 });
        expect(JSON.parse(success.s3("status/inventory.json")!)).toMatchObject({ database: "inventory", t: 77 });
        const [stream, messages] = onlyStream(success);
        expect(stream).toMatch(new RegExp(`^backup/\\d{4}/\\d{2}/\\d{2}/\\d{6}/${INSTANCE_ID}$`));
        expect(messages.some((m) => m.endsWith("datomic-backup: backed up orders: t 1042"))).toBe(true);
        expect(messages.some((m) => m.endsWith("datomic-backup: backed up inventory: t 77"))).toBe(true);
        expect(messages.at(-1)).toMatch(/datomic-backup: finished with exit status 0$/);
        expect(success.calls.slice(0, 3)).toEqual([
            expect.stringMatching(/^aws logs create-log-stream /),
            "dnf install -y java-21-amazon-corretto-headless unzip jq",
            "java -version",
        ]);
        expect(success.calls.at(-1)).toBe(TERMINATE);
        expect(success.calls).not.toContain("systemctl poweroff --no-block");
        expect(imdsRequests).toEqual(
            expect.arrayContaining(["PUT /latest/api/token", "GET /latest/meta-data/instance-id"]),
        );
    });

    test("a failed backup publishes 0 and no status for it, backs up the others and exits non-zero", () => {
        expect(failure.code).toBe(1);
        expect(failure.metrics).toEqual([
            metric("BackupSucceeded", "orders", "1"),
            metric("BackupSucceeded", "inventory", "0"),
        ]);
        expect(failure.s3("status/inventory.json")).toBeUndefined();
        const failureLog = onlyStream(failure)[1].join("\n");
        expect(failureLog).toContain(":db.error/db-not-found Could not find inventory in catalog");
        expect(failureLog).toContain("the backup of inventory FAILED");
        expect(failureLog).toMatch(/finished with exit status 1$/);
        expect(failure.calls.at(-1)).toBe(TERMINATE);
    });

    test("a drill verifies and restores the newest t into a scratch table, reports, and deletes the table", () => {
        expect(drill.code).toBe(0);
        const created = drill.calls.find((call) => call.startsWith("aws dynamodb create-table"))!;
        const scratch = /--table-name (\S+)/.exec(created)![1];
        expect(scratch).toMatch(new RegExp(`^${TABLE}-drill-\\d{14}$`));
        expect(drill.calls.filter((call) => call.startsWith("datomic "))).toEqual([
            `datomic ${HEAP.join(" ")} list-backups s3://${BUCKET}/backups/orders`,
            `datomic ${HEAP.join(" ")} verify-backup s3://${BUCKET}/backups/orders true 1042`,
            `datomic ${HEAP.join(" ")} restore-db s3://${BUCKET}/backups/orders datomic:ddb://us-east-1/${scratch}/orders 1042`,
            `datomic ${HEAP.join(" ")} list-backups s3://${BUCKET}/backups/inventory`,
            `datomic ${HEAP.join(" ")} verify-backup s3://${BUCKET}/backups/inventory true 77`,
            `datomic ${HEAP.join(" ")} restore-db s3://${BUCKET}/backups/inventory datomic:ddb://us-east-1/${scratch}/inventory 77`,
        ]);
        expect(drill.calls).toContain(`aws dynamodb delete-table --table-name ${scratch}`);
        expect(drill.tables).toEqual([TABLE]);
        // The live table is named nowhere but in the settings: never written, never deleted.
        const live = new RegExp(`ddb://us-east-1/${TABLE}/|--table-name ${TABLE}( |$)`);
        expect(drill.calls.filter((call) => live.test(call))).toEqual([]);
        expect(fs.readFileSync(path.join(drill.state, "tables", TABLE, "orders"), "utf8")).toBe("1100\n");
        expect(drill.metrics).toEqual([
            metric("RestoreDrillBackupAgeHours", "orders", "3.0", "None"),
            metric("RestoreDrillSucceeded", "orders", "1"),
            metric("RestoreDrillBackupAgeHours", "inventory", "27.5", "None"),
            metric("RestoreDrillSucceeded", "inventory", "1"),
        ]);
        const [drillStream, drillLog] = onlyStream(drill);
        expect(drillStream).toMatch(/^restore-drill\//);
        expect(drillLog.filter((m) => m.includes("RESULT"))).toEqual([
            expect.stringMatching(
                new RegExp(`RESULT orders: PASSED \\(t 1042, backup 3.0 hours old, restored into ${scratch}\\)$`),
            ),
            expect.stringMatching(/RESULT inventory: PASSED \(t 77, backup 27.5 hours old, /),
        ]);
        expect(drill.calls.at(-1)).toBe(TERMINATE);
    });

    test("a drill whose backup fails verify-backup restores nothing of it, reports FAILED and still cleans up", () => {
        expect(badDrill.code).toBe(1);
        expect(badDrill.calls.filter((call) => call.includes("restore-db"))).toHaveLength(1);
        expect(badDrill.metrics).toEqual([
            metric("RestoreDrillSucceeded", "orders", "0"),
            metric("RestoreDrillBackupAgeHours", "inventory", "3.0", "None"),
            metric("RestoreDrillSucceeded", "inventory", "1"),
        ]);
        expect(onlyStream(badDrill)[1].filter((m) => m.includes("RESULT orders"))).toEqual([
            expect.stringMatching(/RESULT orders: FAILED$/),
        ]);
        expect(badDrill.tables).toEqual([TABLE]);
    });

    test("a run that may not leave its group powers off instead (the group then replaces it)", () => {
        expect(stuck.code).toBe(0);
        expect(stuck.calls.slice(-2)).toEqual([TERMINATE, "systemctl poweroff --no-block"]);
        expect(fs.readFileSync(path.join(stuck.state, "..", "work", "backup.log"), "utf8")).toContain(
            "could not leave the Auto Scaling group; powering off",
        );
    });

    test("a download with the wrong checksum runs nothing, and still leaves the group", () => {
        expect(tampered.code).toBe(1);
        expect(tampered.calls.filter((call) => call.startsWith("datomic "))).toEqual([]);
        expect(onlyStream(tampered)[1].join("\n")).toContain(
            `datomic-pro-${VERSION}.zip does not have the expected SHA-256 ${"0".repeat(64)}`,
        );
        expect(tampered.calls.at(-1)).toBe(TERMINATE);
    });

    test("a backup takes and releases each URI's lock around its commands", async () => {
        const lockCalls = success.calls.filter((call) => / dynamodb (put|delete)-item /.test(call));
        expect(lockCalls.map((call) => call.split(" ").slice(0, 3).join(" "))).toEqual([
            "aws dynamodb put-item",
            "aws dynamodb delete-item",
            "aws dynamodb put-item",
            "aws dynamodb delete-item",
        ]);
        const backupDb = success.calls.findIndex((call) => call.includes("backup-db") && call.includes("/orders"));
        expect(backupDb).toBeGreaterThan(success.calls.findIndex((call) => call.includes("put-item")));
        expect(await success.lockOwner("orders")).toBeUndefined();
    });

    test("a lock held by the drill: that database is reported busy, untouched and without a metric", async () => {
        expect(busy.code).toBe(3);
        expect(busy.calls.filter((call) => call.includes("backup-db"))).toEqual([
            expect.stringContaining(`s3://${BUCKET}/backups/inventory`),
        ]);
        expect(busy.metrics).toEqual([metric("BackupSucceeded", "inventory", "1")]);
        const log = onlyStream(busy)[1].join("\n");
        expect(log).toMatch(
            new RegExp(
                `BUSY: s3://${BUCKET}/backups/orders is locked by restore-drill/i-0d7111d7111d71111 until \\d{4}-`,
            ),
        );
        expect(log).toContain("not backed up, another run held the lock: orders");
        expect(await busy.lockOwner("orders")).toBe("restore-drill/i-0d7111d7111d71111");
        expect(await busy.lockOwner("inventory")).toBeUndefined();
    });

    test("an expired lock does not block: the backup takes it over", async () => {
        expect(expired.code).toBe(0);
        expect(expired.metrics).toEqual([
            metric("BackupSucceeded", "orders", "1"),
            metric("BackupSucceeded", "inventory", "1"),
        ]);
        expect(await expired.lockOwner("orders")).toBeUndefined();
    });

    test("a drill does not read a URI a backup holds: busy, no failure metric", async () => {
        expect(busyDrill.code).toBe(3);
        expect(busyDrill.calls.filter((call) => call.startsWith("datomic ") && call.includes("/inventory"))).toEqual(
            [],
        );
        expect(busyDrill.metrics).toEqual([
            metric("RestoreDrillBackupAgeHours", "orders", "3.0", "None"),
            metric("RestoreDrillSucceeded", "orders", "1"),
        ]);
        expect(
            onlyStream(busyDrill)[1].some((m) =>
                m.endsWith("RESULT inventory: BUSY (another run held the lock; not drilled)"),
            ),
        ).toBe(true);
        expect(await busyDrill.lockOwner("inventory")).toBe("backup/i-0bac0bac0bac0bac0");
    });

    test("the drill's failure alarm fires on what a failing drill publishes, and stays quiet on a passing one", () => {
        const resolved = resolveBackupSettings(
            "acme-orders",
            {
                version: VERSION,
                tableName: TABLE,
                databases: ["orders", "inventory"],
                vpcId: "vpc-0a1b2c3d4e5f67890",
                subnetIds: [],
                amiId: "ami-0a1b2c3d4e5f60789",
            },
            (argument, problem) => {
                throw new Error(`${argument}: ${problem}`);
            },
        );
        const states = (published: string[], db: string) => {
            const alarm = drillFailedAlarmArgs(resolved, db);
            const dims = Object.entries(alarm.dimensions)
                .map(([k, v]) => `${k}=${v}`)
                .join(",");
            const values = published
                .map((line) => line.split(" "))
                .filter(([ns, name, d]) => ns === alarm.namespace && name === alarm.metricName && d === dims)
                .map((fields) => Number(fields[3]));
            expect(alarm).toMatchObject({ statistic: "Minimum", comparisonOperator: "LessThanThreshold" });
            return values.length === 0 ? "unchanged" : Math.min(...values) < alarm.threshold ? "ALARM" : "OK";
        };
        expect(states(badDrill.metrics, "orders")).toBe("ALARM");
        expect(states(badDrill.metrics, "inventory")).toBe("OK");
        expect(states(drill.metrics, "orders")).toBe("OK");
        // Busy publishes nothing: the alarm keeps its state (treatMissingData "ignore").
        expect(states(busyDrill.metrics, "inventory")).toBe("unchanged");
    });

    test("a restore run refuses unless a datomic-restore holds the lock, and writes nothing", () => {
        expect(unlockedRestore.code).toBe(1);
        expect(unlockedRestore.calls.filter((call) => call.startsWith("datomic "))).toEqual([]);
        expect(onlyStream(unlockedRestore)[1].join("\n")).toContain(
            `REFUSED: restore r-by-hand does not hold the lock on s3://${BUCKET}/backups/orders (held by`,
        );
        expect(unlockedRestore.calls.at(-1)).toBe(TERMINATE);
    });
});
