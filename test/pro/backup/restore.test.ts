/**
 * datomic-restore end to end. The command (the real bin, spawned) drives moto_server on 127.0.0.1
 * through the AWS SDK: Auto Scaling groups for the transactors and the backup, drill and restore runs,
 * the lock table in DynamoDB, the record in SSM, metrics in CloudWatch. The test plays EC2 and the
 * transactors, which moto lacks: while the transactor group has instances, the table is marked as
 * written by a transactor and `HeartbeatMsec` is published; when the restore group gets an instance,
 * the restore run's real user data runs against the fakes (test/fakes/backup: bin/datomic refuses a
 * restore while a transactor writes the table or another command uses the backup URI), reading its
 * request from SSM and reporting on the lock item in moto, and leaves its group in moto.
 */
import {
    AutoScalingClient,
    CreateAutoScalingGroupCommand,
    CreateLaunchConfigurationCommand,
    DescribeAutoScalingGroupsCommand,
    SuspendProcessesCommand,
    TerminateInstanceInAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, GetMetricStatisticsCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { ChildProcess, execFile, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { RESTORE_EXIT } from "../../../cli/restore/exitCodes";
import { renderRestoreScript } from "../../../components/pro/backup/restoreScript";
import { RestoreSettings } from "../../../components/pro/backup/restoreSettings";
import { compiledCommand } from "../../support/compiledCommand";
import { Moto, startMoto } from "../../support/moto";
import { requireTools } from "../../support/tools";
import { buildFakeDatomicZip, fakeBin } from "./fakeDatomicZip";

jest.setTimeout(300_000);

const VERSION = "1.0.7075";
const REGION = "us-east-1";
const MOTO_CALLS =
    "dynamodb:put-item dynamodb:get-item dynamodb:delete-item dynamodb:update-item ssm:get-parameter autoscaling:terminate-instance-in-auto-scaling-group";

let moto: Moto;
let dir: string;
let url: string;
let server: http.Server;
let clients: {
    autoscaling: AutoScalingClient;
    dynamodb: DynamoDBClient;
    ssm: SSMClient;
    cloudwatch: CloudWatchClient;
};

beforeAll(async () => {
    requireTools("zip", "unzip", "curl", "jq", "timeout");
    moto = await startMoto();
    const config = {
        endpoint: moto.endpoint,
        region: REGION,
        credentials: { accessKeyId: moto.env.AWS_ACCESS_KEY_ID, secretAccessKey: moto.env.AWS_SECRET_ACCESS_KEY },
    };
    clients = {
        autoscaling: new AutoScalingClient(config),
        dynamodb: new DynamoDBClient(config),
        ssm: new SSMClient(config),
        cloudwatch: new CloudWatchClient(config),
    };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "datomic-restore-"));
    const zip = buildFakeDatomicZip(dir, VERSION);
    fakeBin(dir);
    // The metadata service answers each instance under its own prefix: /<instance id>/latest/...
    server = http.createServer((req, res) => {
        const match = /^\/(i-[0-9a-f]+)\/latest\/(api\/token|meta-data\/instance-id)$/.exec(req.url ?? "");
        const download = req.url === `/downloads/${VERSION}/datomic-pro-${VERSION}.zip`;
        res.writeHead(match || download ? 200 : 404);
        res.end(match ? (match[2] === "api/token" ? "AQAEAFakeToken==" : match[1]) : download ? zip : "");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
    await Promise.all(systems.map((system) => system.stop()));
    Object.values(clients ?? {}).forEach((client) => client.destroy());
    await moto?.stop();
    await new Promise((resolve) => server?.close(resolve));
    if (dir) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

const systems: System[] = [];

/** One system in moto and on disk, and the test playing EC2 and the transactors for it. */
class System {
    readonly settings: RestoreSettings;
    readonly state: string;
    readonly settingsFile: string;
    /** Restore runs the test started, by instance id. */
    readonly runs = new Map<string, Promise<number>>();
    private ticking = false;
    private loop?: Promise<void>;
    /** Extra environment of restore runs. */
    runEnv: Record<string, string> = {};
    /** How many restore instances die before they run (as a lost spot of bad luck would). */
    loseRuns = 0;
    onRunStart?: (instanceId: string) => void;

    constructor(
        readonly name: string,
        replicaBucketName?: string,
    ) {
        this.settings = {
            ...(replicaBucketName ? { replicaBucketName } : {}),
            region: REGION,
            systemName: name,
            tableName: `${name}-table`,
            bucketName: `${name}-backups`,
            databases: ["orders", "inventory"],
            lockTableName: `${name}-datomic-backup-locks`,
            restoreParameterName: `/datomic/${name}/restore`,
            restoreGroupName: `${name}-datomic-restore`,
            backupGroupName: `${name}-datomic-backup`,
            restoreDrillGroupName: `${name}-datomic-restore-drill`,
            transactorGroupName: `${name}-transactors`,
            transactorMetricsDimension: name,
            commandTimeoutMinutes: 10,
            logGroupName: `/datomic/${name}/backup`,
        };
        this.state = path.join(dir, name, "state");
        this.settingsFile = path.join(dir, name, "restore.json");
    }

    async create(): Promise<void> {
        const s = this.settings;
        fs.mkdirSync(path.join(this.state, "tables", s.tableName), { recursive: true });
        fs.writeFileSync(path.join(this.state, "calls.log"), "");
        fs.writeFileSync(path.join(this.state, "tables", s.tableName, "orders"), "1100\n");
        // The copy, when there is one, holds what S3 replication copied of `backups/`.
        for (const bucket of [s.bucketName, ...(s.replicaBucketName ? [s.replicaBucketName] : [])]) {
            const backup = path.join(this.state, "s3", bucket, "backups", "orders");
            fs.mkdirSync(path.join(backup, "roots"), { recursive: true });
            fs.writeFileSync(path.join(backup, "owner"), "orders\n");
            for (const t of ["1000", "1042"]) {
                fs.writeFileSync(path.join(backup, "roots", t), "");
            }
        }
        fs.writeFileSync(this.settingsFile, JSON.stringify(s));
        await clients.autoscaling.send(
            new CreateLaunchConfigurationCommand({
                LaunchConfigurationName: `${this.name}-lc`,
                ImageId: "ami-12c6146b",
                InstanceType: "m6i.large",
            }),
        );
        const group = async (name: string, size: number, max = size) =>
            clients.autoscaling.send(
                new CreateAutoScalingGroupCommand({
                    AutoScalingGroupName: name,
                    LaunchConfigurationName: `${this.name}-lc`,
                    MinSize: size,
                    MaxSize: max,
                    DesiredCapacity: size,
                    AvailabilityZones: [`${REGION}a`],
                }),
            );
        await group(s.transactorGroupName!, 2);
        for (const run of [s.backupGroupName, s.restoreDrillGroupName!, s.restoreGroupName]) {
            await group(run, 0, 1);
        }
        await clients.dynamodb.send(
            new CreateTableCommand({
                TableName: s.lockTableName,
                BillingMode: "PAY_PER_REQUEST",
                AttributeDefinitions: [{ AttributeName: "uri", AttributeType: "S" }],
                KeySchema: [{ AttributeName: "uri", KeyType: "HASH" }],
            }),
        );
        this.ticking = true;
        systems.push(this);
        this.loop = this.play();
    }

    async stop(): Promise<void> {
        this.ticking = false;
        await this.loop;
        await this.runsDone();
    }

    /** Until every restore run started so far has ended (and shipped its log). */
    async runsDone(): Promise<void> {
        await Promise.all(this.runs.values());
    }

    /** EC2 and the transactors, every 200 ms. */
    private async play(): Promise<void> {
        const s = this.settings;
        const marker = path.join(this.state, "tables", s.tableName, ".transactor");
        while (this.ticking) {
            const transactors = await this.instances(s.transactorGroupName!);
            if (transactors.length > 0) {
                fs.writeFileSync(marker, transactors.join("\n"));
                await clients.cloudwatch.send(
                    new PutMetricDataCommand({
                        Namespace: "Datomic",
                        MetricData: [
                            {
                                MetricName: "HeartbeatMsec",
                                Dimensions: [{ Name: "Transactor", Value: s.systemName }],
                                Value: 5000,
                            },
                        ],
                    }),
                );
            } else {
                fs.rmSync(marker, { force: true });
            }
            for (const instance of await this.instances(s.restoreGroupName)) {
                if (this.runs.has(instance)) {
                    continue;
                }
                if (this.loseRuns > 0) {
                    this.loseRuns -= 1;
                    this.runs.set(instance, Promise.resolve(-1));
                    await clients.autoscaling.send(
                        new TerminateInstanceInAutoScalingGroupCommand({
                            InstanceId: instance,
                            ShouldDecrementDesiredCapacity: true,
                        }),
                    );
                    continue;
                }
                this.runs.set(instance, this.bootRestoreRun(instance));
                this.onRunStart?.(instance);
            }
            await new Promise((resolve) => setTimeout(resolve, 200));
        }
    }

    async instances(group: string): Promise<string[]> {
        const answer = await clients.autoscaling.send(
            new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }),
        );
        return (answer.AutoScalingGroups?.[0]?.Instances ?? [])
            .filter((i) => i.LifecycleState === "InService")
            .map((i) => i.InstanceId!);
    }

    async group(name: string) {
        const answer = await clients.autoscaling.send(
            new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }),
        );
        const group = answer.AutoScalingGroups![0];
        return {
            desired: group.DesiredCapacity,
            min: group.MinSize,
            suspended: (group.SuspendedProcesses ?? []).map((p) => p.ProcessName),
        };
    }

    /** The restore run's user data, as the instance would run it. */
    private bootRestoreRun(instanceId: string): Promise<number> {
        const s = this.settings;
        const root = path.join(dir, this.name, instanceId);
        fs.mkdirSync(root, { recursive: true });
        const script = path.join(root, "user-data.sh");
        fs.writeFileSync(
            script,
            renderRestoreScript({
                version: VERSION,
                region: REGION,
                jrePackage: "java-21-amazon-corretto-headless",
                systemName: s.systemName,
                tableName: s.tableName,
                databases: s.databases,
                bucketName: s.bucketName,
                logGroupName: s.logGroupName,
                commandTimeoutMinutes: s.commandTimeoutMinutes,
                lockTableName: s.lockTableName,
                lockWaitMinutes: 1,
                restoreParameterName: s.restoreParameterName,
            }),
        );
        fs.writeFileSync(path.join(root, "meminfo"), "MemTotal:        8000000 kB\n");
        const env = {
            PATH: `${path.join(dir, "bin")}:${process.env.PATH}`,
            HOME: root,
            DATOMIC_IMDS_URL: `${url}/${instanceId}`,
            DATOMIC_DOWNLOAD_URL: `${url}/downloads`,
            DATOMIC_INSTALL_ROOT: path.join(root, "opt"),
            DATOMIC_WORK_DIR: path.join(root, "work"),
            DATOMIC_MEMINFO: path.join(root, "meminfo"),
            DATOMIC_SYSTEMCTL: path.join(dir, "bin", "systemctl"),
            FAKE_STATE: this.state,
            FAKE_AWS_MOTO: MOTO_CALLS,
            FAKE_MOTO_URL: moto.endpoint,
            AWS_ACCESS_KEY_ID: moto.env.AWS_ACCESS_KEY_ID,
            AWS_SECRET_ACCESS_KEY: moto.env.AWS_SECRET_ACCESS_KEY,
            ...this.runEnv,
        };
        return new Promise((resolve) =>
            execFile("bash", [script], { env, timeout: 200_000 }, (error) =>
                resolve(error ? ((error as { code?: number }).code ?? 1) : 0),
            ),
        );
    }

    /** The run's log, as the fake CloudWatch Logs kept it. */
    runLog(): string {
        const logs = path.join(this.state, "logs", this.settings.logGroupName.replace(/\//g, "_"));
        return fs.existsSync(logs)
            ? fs
                  .readdirSync(logs)
                  .map((stream) => fs.readFileSync(path.join(logs, stream), "utf8"))
                  .join("")
            : "";
    }

    restored(db: string): string {
        return fs.readFileSync(path.join(this.state, "tables", this.settings.tableName, db), "utf8").trim();
    }

    datomicCalls(): string[] {
        return fs
            .readFileSync(path.join(this.state, "calls.log"), "utf8")
            .split("\n")
            .filter((line) => line.startsWith("datomic "));
    }

    async lockOwner(db: string): Promise<string | undefined> {
        const item = await clients.dynamodb.send(
            new GetItemCommand({
                TableName: this.settings.lockTableName,
                Key: { uri: { S: `s3://${this.settings.bucketName}/backups/${db}` } },
                ConsistentRead: true,
            }),
        );
        return item.Item?.owner?.S;
    }

    async record(): Promise<{ id: string; step: string } | undefined> {
        try {
            const answer = await clients.ssm.send(
                new GetParameterCommand({ Name: this.settings.restoreParameterName }),
            );
            return JSON.parse(answer.Parameter!.Value!);
        } catch {
            return undefined;
        }
    }

    /** The smallest and largest RestoreInProgress the command published. */
    async inProgressRange(): Promise<[number | undefined, number | undefined]> {
        const answer = await clients.cloudwatch.send(
            new GetMetricStatisticsCommand({
                Namespace: "Datomic/Backup",
                MetricName: "RestoreInProgress",
                Dimensions: [{ Name: "System", Value: this.settings.systemName }],
                StartTime: new Date(Date.now() - 3600_000),
                EndTime: new Date(Date.now() + 60_000),
                Period: 3600 * 2,
                Statistics: ["Minimum", "Maximum"],
            }),
        );
        const points = answer.Datapoints ?? [];
        return [
            points.length ? Math.min(...points.map((p) => p.Minimum!)) : undefined,
            points.length ? Math.max(...points.map((p) => p.Maximum!)) : undefined,
        ];
    }
}

interface CliResult {
    code: number;
    stdout: string;
    stderr: string;
}

/** Spawns the real bin; `started` sees the process (to interrupt it). */
function restoreCli(args: string[], started?: (child: ChildProcess) => void): Promise<CliResult> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [compiledCommand("cli/restore.ts"), ...args], {
            cwd: path.join(__dirname, "../../.."),
            env: { ...process.env, ...moto.env },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
        started?.(child);
    });
}

const common = (system: System) => ["--settings", system.settingsFile, "--poll-interval", "0.3", "--json"];

test("--help documents the exit statuses; a restore without the peers' confirmation changes nothing", async () => {
    const help = await restoreCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--peers-stopped");
    expect(help.stdout).toContain("3 busy");
    const system = new System("usage");
    fs.mkdirSync(path.dirname(system.settingsFile), { recursive: true });
    fs.writeFileSync(system.settingsFile, JSON.stringify(system.settings));
    const refused = await restoreCli(["--settings", system.settingsFile, "--database", "payroll"]);
    expect(refused.code).toBe(RESTORE_EXIT.usage);
    expect(refused.stderr).toContain('--database: "payroll" is not backed up here; one of orders, inventory');
    expect(refused.stderr).toContain(
        "--peers-stopped or --stop-peers <command>: Datomic requires every peer to be stopped",
    );
});

test("a restore: lock, schedules paused, peers and transactors stopped, restore-db at t, everything back, reported", async () => {
    const system = new System("acme");
    await system.create();
    // The operator paused the drill's schedule earlier: the restore must leave it paused.
    await clients.autoscaling.send(
        new SuspendProcessesCommand({
            AutoScalingGroupName: system.settings.restoreDrillGroupName,
            ScalingProcesses: ["ScheduledActions"],
        }),
    );
    const peers = path.join(dir, "acme-peers.log");
    const result = await restoreCli([
        ...common(system),
        "--database",
        "orders",
        "--t",
        "1000",
        "--stop-peers",
        `echo stop >> ${peers}`,
        "--start-peers",
        `echo start >> ${peers}`,
    ]);
    await system.stop();
    expect([result.code, result.stderr]).toEqual([0, expect.stringContaining("restored orders at t 1000")]);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ status: "restored", database: "orders", t: "1000", inMaintenance: false });
    expect(report.source).toBe("s3://acme-backups/backups/orders");
    expect(report.history.map((h: { step: string }) => h.step)).toEqual([
        "pause-schedules",
        "stop-peers",
        "stop-transactors",
        "restore",
        "start-transactors",
        "wait-active",
        "start-peers",
        "resume-schedules",
        "unlock",
        "done",
    ]);
    expect(system.restored("orders")).toBe("1000");
    expect(system.datomicCalls().filter((call) => call.includes("restore-db"))).toEqual([
        expect.stringMatching(
            /restore-db s3:\/\/acme-backups\/backups\/orders datomic:ddb:\/\/us-east-1\/acme-table\/orders 1000$/,
        ),
    ]);
    expect(system.runLog()).toContain("RESULT orders: RESTORED t 1000 from s3://acme-backups/backups/orders");
    expect(fs.readFileSync(peers, "utf8")).toBe("stop\nstart\n");
    expect(await system.group("acme-transactors")).toMatchObject({ desired: 2, min: 2 });
    expect(await system.group("acme-datomic-backup")).toMatchObject({ suspended: [] });
    expect(await system.group("acme-datomic-restore-drill")).toMatchObject({ suspended: ["ScheduledActions"] });
    expect(await system.group("acme-datomic-restore")).toMatchObject({ desired: 0 });
    expect(await system.lockOwner("orders")).toBeUndefined();
    expect(await system.record()).toBeUndefined();
    expect(await system.inProgressRange()).toEqual([0, 1]);
});

test("--from-copy restores from the replicated bucket, and only a system with a copy accepts it", async () => {
    const plain = new System("nocopy");
    fs.mkdirSync(path.dirname(plain.settingsFile), { recursive: true });
    fs.writeFileSync(plain.settingsFile, JSON.stringify(plain.settings));
    const refused = await restoreCli([...common(plain), "--database", "orders", "--peers-stopped", "--from-copy"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--from-copy: this system has no copy");

    const system = new System("copy", "copy-backups-replica");
    await system.create();
    const result = await restoreCli([...common(system), "--database", "orders", "--peers-stopped", "--from-copy"]);
    await system.stop();
    expect([result.code, result.stderr]).toEqual([0, expect.stringContaining("restored orders at t 1042")]);
    expect(JSON.parse(result.stdout).source).toBe("s3://copy-backups-replica/backups/orders");
    expect(system.datomicCalls().filter((call) => call.includes("restore-db"))).toEqual([
        expect.stringMatching(
            /restore-db s3:\/\/copy-backups-replica\/backups\/orders datomic:ddb:\/\/us-east-1\/copy-table\/orders 1042$/,
        ),
    ]);
});

test("an interrupted restore stays in maintenance, refuses a second one, and --resume finishes it", async () => {
    const system = new System("interrupted");
    await system.create();
    // restore-db takes 3 s: the command is interrupted while it waits for the run.
    system.runEnv = { FAKE_DATOMIC_SECONDS: "3" };
    let interruptedAt: string | undefined;
    const first = await restoreCli([...common(system), "--database", "orders", "--peers-stopped"], (child) => {
        system.onRunStart = (instance) => {
            interruptedAt = instance;
            child.kill("SIGINT");
        };
    });
    expect(interruptedAt).toBeDefined();
    expect(first.code).toBe(RESTORE_EXIT.interrupted);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: "stopped", step: "restore", inMaintenance: true });
    const record = (await system.record())!;
    expect(record.step).toBe("restore");
    expect(await system.lockOwner("orders")).toBe(`restore/${record.id}`);
    expect(await system.group("interrupted-transactors")).toMatchObject({ desired: 0, min: 0 });
    expect(await system.group("interrupted-datomic-backup")).toMatchObject({ suspended: ["ScheduledActions"] });
    expect((await system.inProgressRange())[1]).toBe(1);

    const second = await restoreCli([...common(system), "--database", "inventory", "--peers-stopped"]);
    expect(second.code).toBe(RESTORE_EXIT.busy);
    expect(JSON.parse(second.stdout).message).toContain(`restore ${record.id} of orders is in progress`);

    // The run goes on without the command; --resume waits for its result and brings everything back.
    const resumed = await restoreCli([...common(system), "--resume"]);
    await system.stop();
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: "restored", restoreId: record.id, t: "1042" });
    expect(system.restored("orders")).toBe("1042");
    expect(system.runs.size).toBe(1);
    expect(await system.group("interrupted-transactors")).toMatchObject({ desired: 2, min: 2 });
    expect(await system.group("interrupted-datomic-backup")).toMatchObject({ suspended: [] });
    expect(await system.lockOwner("orders")).toBeUndefined();
    expect(await system.record()).toBeUndefined();
});

test("a restore run lost without a result stops the restore in maintenance; --resume starts a new run", async () => {
    const system = new System("lost");
    await system.create();
    system.loseRuns = 1;
    const first = await restoreCli([...common(system), "--database", "orders", "--peers-stopped"]);
    expect(first.code).toBe(RESTORE_EXIT.restoreFailed);
    expect(JSON.parse(first.stdout)).toMatchObject({
        status: "stopped",
        step: "restore",
        inMaintenance: true,
        message: expect.stringContaining("the restore run lost (its instance ended without a result)"),
    });
    expect(await system.group("lost-transactors")).toMatchObject({ desired: 0 });
    const resumed = await restoreCli([...common(system), "--resume"]);
    await system.stop();
    expect(resumed.stderr).toContain("the restore run started before ended without a result; starting a new one");
    expect([resumed.code, JSON.parse(resumed.stdout).status]).toEqual([0, "restored"]);
    expect(system.runs.size).toBe(2);
    expect(system.restored("orders")).toBe("1042");
    expect(await system.group("lost-transactors")).toMatchObject({ desired: 2 });
});

test("a lock held by the drill: busy, and nothing was changed", async () => {
    const system = new System("drilling");
    await system.create();
    const now = Math.floor(Date.now() / 1000);
    await clients.dynamodb.send(
        new PutItemCommand({
            TableName: system.settings.lockTableName,
            Item: {
                uri: { S: "s3://drilling-backups/backups/orders" },
                owner: { S: "restore-drill/i-0d7111d7111d71111" },
                kind: { S: "restore-drill" },
                takenAt: { N: String(now) },
                expiresAt: { N: String(now + 3600) },
            },
        }),
    );
    const result = await restoreCli([...common(system), "--database", "orders", "--peers-stopped"]);
    await system.stop();
    expect(result.code).toBe(RESTORE_EXIT.busy);
    expect(JSON.parse(result.stdout)).toMatchObject({
        status: "stopped",
        inMaintenance: false,
        message: expect.stringMatching(
            /^busy: s3:\/\/drilling-backups\/backups\/orders is locked by restore-drill\/i-0d7111d7111d71111 until .*; nothing was changed/,
        ),
    });
    expect(await system.record()).toBeUndefined();
    expect(await system.group("drilling-transactors")).toMatchObject({ desired: 2 });
    expect(await system.group("drilling-datomic-backup")).toMatchObject({ suspended: [] });
    expect(await system.lockOwner("orders")).toBe("restore-drill/i-0d7111d7111d71111");
    expect(system.runs.size).toBe(0);
});

test("a failed restore keeps the transactors stopped; --abort brings the system back and says the table may be partial", async () => {
    const system = new System("failing");
    await system.create();
    const failed = await restoreCli([...common(system), "--database", "orders", "--t", "999", "--peers-stopped"]);
    expect(failed.code).toBe(RESTORE_EXIT.restoreFailed);
    expect(JSON.parse(failed.stdout)).toMatchObject({ status: "stopped", step: "restore", inMaintenance: true });
    await system.runsDone();
    expect(system.runLog()).toContain("No backup at t 999");
    expect(await system.group("failing-transactors")).toMatchObject({ desired: 0 });

    const aborted = await restoreCli([...common(system), "--abort"]);
    await system.stop();
    expect(aborted.code).toBe(0);
    expect(JSON.parse(aborted.stdout)).toMatchObject({
        status: "aborted",
        inMaintenance: false,
        message: "the live table may hold a partial restore of orders",
    });
    expect(await system.group("failing-transactors")).toMatchObject({ desired: 2, min: 2 });
    expect(await system.group("failing-datomic-backup")).toMatchObject({ suspended: [] });
    expect(await system.lockOwner("orders")).toBeUndefined();
    expect(await system.record()).toBeUndefined();
    expect(await system.inProgressRange()).toEqual([0, 1]);
    const nothing = await restoreCli([...common(system), "--resume"]);
    expect(nothing.code).toBe(RESTORE_EXIT.nothingInProgress);
});
