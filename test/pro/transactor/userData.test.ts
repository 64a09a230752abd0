/**
 * The transactor's user data: shellcheck-clean, and run for real against
 * fakes: an instance metadata service and a download server on 127.0.0.1, a
 * Datomic zip built here with a fake bin/transactor, and fake dnf, java,
 * useradd, id, chown, aws and systemctl on PATH (the fake systemctl runs the
 * transactor unit's ExecStart and then its ExecStopPost, as systemd would when
 * the process exits).
 *
 * Every script run is started at once in `beforeAll` (each under its own URL
 * prefix on the one server, so its requests are told apart) and the tests read
 * the results: the runs spend their time waiting on processes, not on the CPU.
 */
import { execFile, spawn } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { parseJavaPropertyEntries } from "../../../components/internal/javaProperties";
import { renderTransactorProperties } from "../../../components/pro/transactor/properties";
import {
    HEALTH_WATCH_UNIT,
    renderHealthWatcher,
    renderTransactorUserData,
    TransactorUserDataSettings,
    TRANSACTOR_UNIT,
} from "../../../components/pro/transactor/userData";
import { READY_SIGNAL_UNIT, renderReadySignal } from "../../../components/pro/transactor/readinessScript";
import { USER_DATA_MAX_BYTES } from "../../../components/pro/datomicInstall";
import { requireTools } from "../../support/tools";

const VERSION = "1.0.7075";
const PRIVATE_IP = "10.20.1.37";
const PUBLIC_IP = "54.210.1.2";
const INSTANCE_ID = "i-0123456789abcdef0";
const IMDS_TOKEN = "AQAEAFakeToken==";
const LICENSE_KEY = "Ojm4RK1xkz5VY7dn5fNPDDrU6/whneQxorSs5ybW+VAn27Z==";
const JAVA_OPTS = `-XX:+UseG1GC -XX:MaxGCPauseMillis=50 -Dacme.label='it''s "quoted" $HOME'`;
const HEALTH_URL = "http://127.0.0.1:9999/health";
const POWEROFF = "systemctl poweroff --no-block";
/** A secret value Java-properties text must escape: a leading space, backslashes, line breaks, a tab, and its own closing newline. */
const TRICKY_SECRET = " C:\\temp\\new\nsecond line\twith tab\r\f#!=: ends in a newline\n";
/** my.datomic.com-style credentials, with the characters curl's config quoting escapes. */
const DOWNLOAD_CREDENTIALS = 'ops@acme.example:k"ey\\1';

const propertiesText = renderTransactorProperties({
    tableName: "acme-orders",
    region: "us-east-1",
    transactorRoleName: "acme-orders-transactor",
    peerRoleName: "acme-orders-peer",
    memoryIndexThreshold: "32m",
    memoryIndexMax: "512m",
    objectCacheMax: "1g",
    logBucketName: "acme-orders-logs",
    cloudWatchRegion: "us-east-1",
    cloudWatchDimensionValue: "acme-orders",
    memcached: "mc.internal:11211",
    pingHost: "0.0.0.0",
    pingPort: 9999,
});

const base: TransactorUserDataSettings = {
    version: VERSION,
    region: "us-east-1",
    propertiesText,
    jrePackage: "java-21-amazon-corretto-headless",
};

interface Request {
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
}

interface Run {
    code: number;
    stderr: string;
    root: string;
    log: string[];
    transactor: string[] | undefined;
    properties: string | undefined;
    /** Requests the run made, without its URL prefix. */
    requests: Request[];
}

interface Scenario {
    settings: TransactorUserDataSettings;
    /** Extra environment, e.g. a broken download URL or a failing JRE. */
    env?: (sandbox: Sandbox) => NodeJS.ProcessEnv;
}

interface Sandbox {
    dir: string;
    sha256: string;
    /** The server, e.g. http://127.0.0.1:41234; each run's URLs start with `${url}/<run>`. */
    url: string;
    requests: Map<string, Request[]>;
    /** Health answers per watcher run: the status of each successive /health request (then the last, forever). */
    healthAnswers: Map<string, number[]>;
    /** A port that was free a moment ago, for a metadata service that cannot be reached. */
    closedPort: number;
}

let sandbox: Sandbox;
let server: http.Server;
const runs = new Map<string, Promise<Run>>();
let shellcheck: Promise<{ stdout: string; code: number }>;

function writeExecutable(file: string, text: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text, { mode: 0o755 });
}

/** Fake commands that append their arguments to $FAKE_LOG. */
function writeFakes(bin: string): void {
    const recorder = (name: string, extra = "") => `#!/bin/bash\nprintf '%s\\n' "${name} $*" >>"$FAKE_LOG"\n${extra}`;
    writeExecutable(path.join(bin, "dnf"), recorder("dnf"));
    writeExecutable(path.join(bin, "useradd"), recorder("useradd"));
    writeExecutable(path.join(bin, "chown"), recorder("chown"));
    writeExecutable(path.join(bin, "id"), recorder("id", "exit 1\n"));
    // SSM answers as the CLI's text output does (the value, then one newline): the license key, the tricky
    // secret and the download credentials for their parameters, "secret-of:<name>" for any other.
    writeExecutable(
        path.join(bin, "aws"),
        recorder(
            "aws",
            `if [[ "\${FAKE_AWS_FAIL:-}" == 1 ]]; then echo "An error occurred (ValidationError)" >&2; exit 254; fi
name=""
while (($#)); do [[ "$1" == --name ]] && name="$2"; shift; done
case "$name" in
*/license-key) printf '%s\\n' "$FAKE_LICENSE_KEY" ;;
*/tricky) printf '%s\\n' "$FAKE_TRICKY_SECRET" ;;
*/download-credentials) printf '%s\\n' "$FAKE_DOWNLOAD_CREDENTIALS" ;;
*) printf 'secret-of:%s\\n' "$name" ;;
esac
`,
        ),
    );
    // A JRE that runs, or (FAKE_JAVA_BROKEN=1) one that fails as a broken install does.
    writeExecutable(
        path.join(bin, "java"),
        recorder(
            "java",
            `if [[ "\${FAKE_JAVA_BROKEN:-}" == 1 ]]; then
    echo "Error: could not find libjava.so" >&2
    exit 1
fi
echo 'openjdk version "21.0.5" 2024-10-15 LTS' >&2
`,
        ),
    );
    writeExecutable(
        path.join(bin, "systemctl"),
        `#!/bin/bash
set -euo pipefail
printf '%s\\n' "systemctl $*" >>"$FAKE_LOG"
if [[ "$1" == enable && "$2" == --now && "$3" == ${TRANSACTOR_UNIT} ]]; then
    unit="$DATOMIC_UNIT_DIR/$3"
    start="$(sed -n 's/^ExecStart=//p' "$unit")"
    stop_post="$(sed -n 's/^ExecStopPost=+\\{0,1\\}//p' "$unit")"
    workdir="$(sed -n 's/^WorkingDirectory=//p' "$unit")"
    status=0
    (cd "$workdir" && $start) || status=$?
    printf '%s\\n' "transactor exited $status" >>"$FAKE_LOG"
    $stop_post
fi
`,
    );
}

/** A Datomic Pro zip whose bin/transactor records how it was started. */
async function buildZip(dir: string): Promise<Buffer> {
    const root = path.join(dir, "zip-build");
    writeExecutable(
        path.join(root, `datomic-pro-${VERSION}`, "bin", "transactor"),
        `#!/bin/bash
{
    printf 'cwd=%s\\n' "$PWD"
    printf 'JAVA_OPTS=%s\\n' "$JAVA_OPTS"
    for arg in "$@"; do printf 'arg=%s\\n' "$arg"; done
} >"$FAKE_TRANSACTOR_RECORD"
`,
    );
    fs.writeFileSync(path.join(root, `datomic-pro-${VERSION}`, "LICENSE"), "Apache License 2.0\n");
    const zipFile = path.join(dir, "datomic.zip");
    await promisify(execFile)("zip", ["-qr", zipFile, `datomic-pro-${VERSION}`], { cwd: root });
    return fs.readFileSync(zipFile);
}

function startServer(zip: Buffer, requests: Sandbox["requests"], healthAnswers: Sandbox["healthAnswers"]) {
    return http.createServer((req, res) => {
        const [, run, ...rest] = req.url!.split("/");
        const url = `/${rest.join("/")}`;
        const list = requests.get(run) ?? [];
        list.push({ method: req.method!, url, headers: req.headers });
        requests.set(run, list);
        const send = (status: number, body: string | Buffer) => {
            res.writeHead(status);
            res.end(body);
        };
        if (req.method === "PUT" && url === "/latest/api/token") {
            return req.headers["x-aws-ec2-metadata-token-ttl-seconds"]
                ? send(200, IMDS_TOKEN)
                : send(400, "missing TTL");
        }
        if (url.startsWith("/latest/meta-data/")) {
            if (req.headers["x-aws-ec2-metadata-token"] !== IMDS_TOKEN) {
                return send(401, "IMDSv2 token required");
            }
            const answers: Record<string, string> = {
                "local-ipv4": PRIVATE_IP,
                "public-ipv4": PUBLIC_IP,
                "instance-id": INSTANCE_ID,
            };
            const answer = answers[url.slice("/latest/meta-data/".length)];
            return answer ? send(200, answer) : send(404, "not found");
        }
        if (req.method === "GET" && url === `/downloads/${VERSION}/datomic-pro-${VERSION}.zip`) {
            return send(200, zip);
        }
        // A licensed repository (my.datomic.com): HTTP basic authentication with the account's credentials.
        if (req.method === "GET" && url === `/licensed/${VERSION}/datomic-pro-${VERSION}.zip`) {
            const expected = `Basic ${Buffer.from(DOWNLOAD_CREDENTIALS).toString("base64")}`;
            return req.headers.authorization === expected ? send(200, zip) : send(401, "credentials required");
        }
        if (url === "/health") {
            const answers = healthAnswers.get(run) ?? [503];
            const status = answers.length > 1 ? answers.shift()! : answers[0];
            // 0: no answer at all, as from a transactor that is down or hung.
            return status === 0 ? req.socket.destroy() : send(status, "");
        }
        send(404, "not found");
    });
}

/** Runs the script in a fresh directory tree, with the fakes first on PATH. */
async function runScript(name: string, scenario: Scenario): Promise<Run> {
    const root = path.join(sandbox.dir, name);
    fs.mkdirSync(root);
    const script = path.join(root, "user-data.sh");
    fs.writeFileSync(script, renderTransactorUserData(scenario.settings), { mode: 0o755 });
    fs.writeFileSync(path.join(root, "meminfo"), "MemTotal:        8000000 kB\nMemFree:         7000000 kB\n");
    const prefix = `${sandbox.url}/${name}`;
    const env: NodeJS.ProcessEnv = {
        PATH: `${path.join(sandbox.dir, "bin")}:${process.env.PATH}`,
        HOME: root,
        TMPDIR: root,
        DATOMIC_IMDS_URL: prefix,
        DATOMIC_DOWNLOAD_URL: `${prefix}/downloads`,
        DATOMIC_INSTALL_ROOT: path.join(root, "opt/datomic"),
        DATOMIC_CONFIG_DIR: path.join(root, "etc/datomic"),
        DATOMIC_UNIT_DIR: path.join(root, "etc/systemd/system"),
        DATOMIC_MEMINFO: path.join(root, "meminfo"),
        DATOMIC_SYSTEMCTL: path.join(sandbox.dir, "bin", "systemctl"),
        FAKE_LOG: path.join(root, "fake.log"),
        FAKE_TRANSACTOR_RECORD: path.join(root, "transactor.record"),
        FAKE_LICENSE_KEY: LICENSE_KEY,
        FAKE_TRICKY_SECRET: TRICKY_SECRET,
        FAKE_DOWNLOAD_CREDENTIALS: DOWNLOAD_CREDENTIALS,
        ...scenario.env?.(sandbox),
    };
    // Asynchronous, so the fake metadata and download server in this process can answer.
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile("bash", [script], { env, timeout: 30_000 }, (error, _stdout, stderrText) =>
            resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr: stderrText }),
        );
    });
    const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined);
    return {
        code,
        stderr,
        root,
        log: (read(env.FAKE_LOG!) ?? "").split("\n").filter((line) => line !== ""),
        transactor: read(env.FAKE_TRANSACTOR_RECORD!)
            ?.split("\n")
            .filter((line) => line !== ""),
        properties: read(path.join(root, "etc/datomic/transactor.properties")),
        requests: sandbox.requests.get(name) ?? [],
    };
}

const withHealth: TransactorUserDataSettings = { ...base, healthCheck: { url: HEALTH_URL, graceSeconds: 300 } };
const READINESS = { groupName: "acme-orders-transactor", hookName: "datomic-transactor-ready" };

/** Every scenario, by name; all run at once in beforeAll. */
const scenarios: Record<string, Scenario> = {
    full: {
        settings: {
            ...withHealth,
            javaXmx: "4g",
            javaOpts: JAVA_OPTS,
            secretParameters: {
                "license-key": "/acme/datomic/license-key",
                "memcached-password": "/acme/datomic/memcached-password",
            },
            altHost: "transactor.acme.internal",
            readiness: READINESS,
        },
    },
    defaults: { settings: { ...base, altHostIsPublicIp: true } },
    // A release from a licensed repository, with credentials from SSM, and a secret that needs escaping.
    licensed: {
        settings: {
            ...base,
            secretParameters: { "memcached-password": "/acme/datomic/tricky" },
            download: {
                url: "https://my.datomic.com/repo/com/datomic/datomic-pro",
                credentialsParameterName: "/acme/datomic/download-credentials",
            },
        },
        env: (s) => ({ DATOMIC_DOWNLOAD_URL: `${s.url}/licensed/licensed` }),
    },
    checksum: { settings: { ...base, sha256: "0".repeat(64) } },
    download: { settings: base, env: (s) => ({ DATOMIC_DOWNLOAD_URL: `${s.url}/download/missing` }) },
    java: { settings: base, env: () => ({ FAKE_JAVA_BROKEN: "1" }) },
    // A port nothing listens on; no retries and a short connect timeout, so the run fails in
    // milliseconds even where a closed port drops connections instead of refusing them.
    imdsDown: {
        settings: withHealth,
        env: (s) => ({
            DATOMIC_IMDS_URL: `http://127.0.0.1:${s.closedPort}`,
            DATOMIC_CURL_RETRIES: "0",
            DATOMIC_CURL_CONNECT_TIMEOUT_SECONDS: "1",
        }),
    },
};

/** Health watcher runs: the answers its /health gets, and how many questions to wait for at most. */
const watches: Record<string, { answers: number[]; checks: number }> = {
    // No answer, an answer (the count starts again), then no answer three times in a row.
    failing: { answers: [0, 200, 0, 0, 0], checks: 50 },
    serving: { answers: [204], checks: 6 },
    // Datomic does not document what a standby answers; an answer of any status is a process that is up.
    answeringWithAnError: { answers: [503], checks: 6 },
};
const watchRuns = new Map<string, Promise<{ log: string[]; asked: number }>>();

/** Readiness signal runs: the line the transactor logs (after a moment), or none; a failing aws CLI. */
const readyCases: Record<string, { line?: string; failAws?: boolean; neverReady?: boolean }> = {
    standby: {
        line: "2026-12-03 16:20:01.123 INFO  default    datomic.lifecycle-ext - {:event :transactor/standby, :rev 41, :missed 0, :timestamp 1796314801000, :pid 811, :tid 31}",
    },
    active: {
        line: '2026-12-03 16:20:01.123 INFO  default    datomic.lifecycle - {:event :transactor/heartbeat, :rev 42, :host "10.20.1.37", :port 4334, :pid 811, :tid 31}',
    },
    never: {
        line: "2026-12-03 16:20:01.123 INFO  default    datomic.transactor - {:event :transactor/start, :pid 811, :tid 1}",
        neverReady: true,
    },
    noAction: { line: "INFO datomic.lifecycle - {:event :transactor/heartbeat, :rev 1}", failAws: true },
};
const readyRuns = new Map<string, Promise<{ log: string[]; code: number | null; stderr: string }>>();

/** Runs the readiness signal against a log directory the "transactor" writes a line into after 50 ms. */
async function runReadySignal(name: string, readyCase: { line?: string; failAws?: boolean; neverReady?: boolean }) {
    const root = path.join(sandbox.dir, `ready-${name}`);
    const logDir = path.join(root, "log");
    fs.mkdirSync(root);
    const script = path.join(root, "ready-signal");
    writeExecutable(script, renderReadySignal());
    const fakeLog = path.join(root, "fake.log");
    let stderr = "";
    const child = spawn("bash", [script, READINESS.groupName, READINESS.hookName, INSTANCE_ID, "us-east-1", logDir], {
        env: {
            PATH: `${path.join(sandbox.dir, "bin")}:${process.env.PATH}`,
            FAKE_LOG: fakeLog,
            FAKE_AWS_FAIL: readyCase.failAws ? "1" : "0",
            DATOMIC_READY_INTERVAL_SECONDS: "0.01",
        },
        stdio: ["ignore", "ignore", "pipe"],
    });
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    // The log directory appears with the transactor's first lines, as logback creates it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    fs.mkdirSync(logDir);
    fs.writeFileSync(path.join(logDir, "2026-12-03.log"), `${readyCase.line}\n`);
    // A run that should end gets long enough on a loaded machine; the one that never should, a moment.
    const waitMilliseconds = readyCase.neverReady ? 500 : 15_000;
    const timeout = new Promise<"running">((resolve) => setTimeout(() => resolve("running"), waitMilliseconds));
    const outcome = await Promise.race([exited, timeout]);
    if (outcome === "running") {
        child.kill();
        await exited;
    }
    const log = fs.existsSync(fakeLog) ? fs.readFileSync(fakeLog, "utf8").split("\n").filter(Boolean) : [];
    return { log, code: outcome === "running" ? null : outcome, stderr };
}

/** Runs the watcher against the server's /health with the given answers, in milliseconds per check. */
async function runWatcher(name: string, answers: number[], checks: number): Promise<{ log: string[]; asked: number }> {
    sandbox.healthAnswers.set(name, [...answers]);
    const root = path.join(sandbox.dir, `watch-${name}`);
    fs.mkdirSync(root);
    const script = path.join(root, "health-watch");
    writeExecutable(script, renderHealthWatcher({ url: HEALTH_URL, graceSeconds: 300 }));
    const fakeLog = path.join(root, "fake.log");
    const child = spawn("bash", [script, `${sandbox.url}/${name}/health`, INSTANCE_ID, "us-east-1"], {
        env: {
            PATH: `${path.join(sandbox.dir, "bin")}:${process.env.PATH}`,
            FAKE_LOG: fakeLog,
            DATOMIC_HEALTH_GRACE_SECONDS: "0",
            DATOMIC_HEALTH_INTERVAL_SECONDS: "0.01",
        },
        stdio: "ignore",
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    // A watcher that never marks the instance runs forever: stop it once it has asked `checks` times.
    const deadline = Date.now() + 10_000;
    const asked = () => (sandbox.requests.get(name) ?? []).length;
    while (child.exitCode === null && asked() < checks && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (child.exitCode === null) {
        child.kill();
    }
    await exited;
    const log = fs.existsSync(fakeLog) ? fs.readFileSync(fakeLog, "utf8").split("\n").filter(Boolean) : [];
    return { log, asked: asked() };
}

beforeAll(async () => {
    requireTools("shellcheck", "zip", "unzip", "curl", "sha256sum");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "datomic-user-data-"));
    writeFakes(path.join(dir, "bin"));
    // shellcheck runs while the zip is built and the scripts run.
    shellcheck = shellcheckVariants(dir);
    const zip = await buildZip(dir);
    const requests: Sandbox["requests"] = new Map();
    const healthAnswers: Sandbox["healthAnswers"] = new Map();
    server = startServer(zip, requests, healthAnswers);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const sha256 = createHash("sha256").update(zip).digest("hex");
    const closedPort = await freePort();
    sandbox = { dir, sha256, url: `http://127.0.0.1:${port}`, requests, healthAnswers, closedPort };
    // The full run checks the real digest.
    scenarios.full.settings = { ...scenarios.full.settings, sha256 };
    for (const [name, scenario] of Object.entries(scenarios)) {
        runs.set(name, runScript(name, scenario));
    }
    for (const [name, watch] of Object.entries(watches)) {
        watchRuns.set(name, runWatcher(name, watch.answers, watch.checks));
    }
    for (const [name, readyCase] of Object.entries(readyCases)) {
        readyRuns.set(name, runReadySignal(name, readyCase));
    }
    await Promise.all([...runs.values(), ...watchRuns.values(), ...readyRuns.values()]);
});

/** A port the system just handed out and that nothing listens on any more. */
async function freePort(): Promise<number> {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    return port;
}

afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (sandbox) {
        fs.rmSync(sandbox.dir, { recursive: true, force: true });
    }
});

/**
 * shellcheck over the script with every optional block and with none, and over the watcher, in one
 * process. Settings that only change a quoted constant (alt-host from the public IP) need no run of their own.
 */
async function shellcheckVariants(dir: string): Promise<{ stdout: string; code: number }> {
    const variants: TransactorUserDataSettings[] = [
        base,
        {
            ...withHealth,
            sha256: "a".repeat(64),
            javaXmx: "4g",
            javaOpts: JAVA_OPTS,
            secretParameters: { "license-key": "/acme/datomic/license-key" },
            altHost: "transactor.acme.internal",
            readiness: READINESS,
        },
    ];
    const files = variants.map((settings, index) => {
        const file = path.join(dir, `variant-${index}.sh`);
        fs.writeFileSync(file, renderTransactorUserData(settings));
        return file;
    });
    const watcher = path.join(dir, "health-watch.sh");
    fs.writeFileSync(watcher, renderHealthWatcher({ url: HEALTH_URL, graceSeconds: 300 }));
    const readySignal = path.join(dir, "ready-signal.sh");
    fs.writeFileSync(readySignal, renderReadySignal());
    return new Promise((resolve) => {
        execFile("shellcheck", ["--shell=bash", "--severity=style", ...files, watcher, readySignal], (error, stdout) =>
            resolve({ stdout, code: error ? ((error as { code?: number }).code ?? 1) : 0 }),
        );
    });
}

function run(name: string): Promise<Run> {
    return runs.get(name)!;
}

function renderedEntries(): [string, string][] {
    return parseJavaPropertyEntries(propertiesText).map((entry) => [entry.key, entry.value]);
}

describe("the transactor user data", () => {
    test("passes shellcheck with every option on and with none, and so does the health watcher", async () => {
        const result = await shellcheck;
        expect(result.stdout).toBe("");
        expect(result.code).toBe(0);
    });

    test("with every option on, leaves at least 5 KB of EC2's 16 KB user data limit for extraProperties and javaOpts", () => {
        const size = Buffer.byteLength(
            renderTransactorUserData({
                ...withHealth,
                javaOpts: JAVA_OPTS,
                secretParameters: { "license-key": "/p" },
                sha256: "a".repeat(64),
                download: {
                    url: "https://my.datomic.com/repo/com/datomic/datomic-pro",
                    credentialsParameterName: "/d",
                },
                readiness: READINESS,
            }),
        );
        expect(size).toBeLessThan(USER_DATA_MAX_BYTES - 5 * 1024);
    });

    test("installs, writes the properties from IMDSv2 and the secret parameters, and starts the transactor and its watcher under systemd", async () => {
        const full = await run("full");
        expect(full.stderr).toContain("datomic-bootstrap: starting datomic-transactor.service (heap 4g)");
        expect(full.code).toBe(0);

        const installRoot = path.join(full.root, "opt/datomic");
        const distribution = path.join(installRoot, `datomic-pro-${VERSION}`);
        const propertiesFile = path.join(full.root, "etc/datomic/transactor.properties");
        expect(parseJavaPropertyEntries(full.properties!).map((entry) => [entry.key, entry.value])).toEqual([
            ["host", PRIVATE_IP],
            ["alt-host", "transactor.acme.internal"],
            ["license-key", LICENSE_KEY],
            ["memcached-password", "secret-of:/acme/datomic/memcached-password"],
            ...renderedEntries(),
        ]);
        expect(fs.statSync(propertiesFile).mode & 0o777).toBe(0o600);

        expect(full.transactor).toEqual([
            `cwd=${path.join(installRoot, "current")}`,
            `JAVA_OPTS=${JAVA_OPTS}`,
            "arg=-Xms4g",
            "arg=-Xmx4g",
            `arg=${propertiesFile}`,
        ]);
        expect(full.log).toEqual([
            "dnf install -y java-21-amazon-corretto-headless unzip",
            "java -version",
            "id -u datomic",
            `useradd --system --home-dir ${installRoot} --shell /sbin/nologin datomic`,
            `chown -R datomic ${distribution}`,
            "aws ssm get-parameter --region us-east-1 --name /acme/datomic/license-key --with-decryption --query Parameter.Value --output text",
            "aws ssm get-parameter --region us-east-1 --name /acme/datomic/memcached-password --with-decryption --query Parameter.Value --output text",
            `chown datomic ${propertiesFile}`,
            "systemctl daemon-reload",
            `systemctl enable --now ${HEALTH_WATCH_UNIT}`,
            `systemctl start --no-block ${READY_SIGNAL_UNIT}`,
            `systemctl enable --now ${TRANSACTOR_UNIT}`,
            "transactor exited 0",
            // The transactor's exit powered the instance off, so the Auto Scaling group replaces it; the
            // bootstrap itself, having started the transactor, powers nothing off.
            POWEROFF,
        ]);
        expect(fs.readlinkSync(path.join(installRoot, "current"))).toBe(distribution);
        expect(fs.readFileSync(path.join(distribution, "LICENSE"), "utf8")).toBe("Apache License 2.0\n");

        const unitDir = path.join(full.root, "etc/systemd/system");
        const unit = fs.readFileSync(path.join(unitDir, TRANSACTOR_UNIT), "utf8");
        expect(unit).toContain(`\nUser=datomic\n`);
        expect(unit).toContain(`\nExecStart=${installRoot}/run-transactor\n`);
        expect(unit).toContain(`\nExecStopPost=+${path.join(sandbox.dir, "bin", "systemctl")} poweroff --no-block\n`);
        expect(unit).toContain("\nRestart=no\n");
        expect(unit).toContain("\nWantedBy=multi-user.target\n");

        const watcher = path.join(installRoot, "health-watch");
        expect(fs.readFileSync(watcher, "utf8")).toBe(renderHealthWatcher({ url: HEALTH_URL, graceSeconds: 300 }));
        expect(fs.statSync(watcher).mode & 0o777).toBe(0o755);
        const watchUnit = fs.readFileSync(path.join(unitDir, HEALTH_WATCH_UNIT), "utf8");
        expect(watchUnit).toContain(`\nExecStart=${watcher} ${HEALTH_URL} ${INSTANCE_ID} us-east-1\n`);
        expect(watchUnit).toContain(`\nUser=datomic\n`);
        expect(watchUnit).toContain(`\nAfter=${TRANSACTOR_UNIT}\n`);

        const readySignal = path.join(installRoot, "ready-signal");
        expect(fs.readFileSync(readySignal, "utf8")).toBe(renderReadySignal());
        expect(fs.statSync(readySignal).mode & 0o777).toBe(0o755);
        const readyUnit = fs.readFileSync(path.join(unitDir, READY_SIGNAL_UNIT), "utf8");
        expect(readyUnit).toContain(
            `\nExecStart=${readySignal} acme-orders-transactor datomic-transactor-ready ${INSTANCE_ID} us-east-1 ${installRoot}/current/log\n`,
        );
        expect(readyUnit).toContain("\nType=oneshot\n");
        expect(readyUnit).toContain(`\nUser=datomic\n`);
        // Started for this boot only, not enabled: the launch hook exists once per launch.
        expect(readyUnit).not.toContain("[Install]");
    });

    test("asks the metadata service with an IMDSv2 session token", async () => {
        const imds = (await run("full")).requests.filter((request) => request.url.startsWith("/latest/"));
        expect(imds.map((request) => `${request.method} ${request.url}`)).toEqual([
            "PUT /latest/api/token",
            "GET /latest/meta-data/local-ipv4",
            "GET /latest/meta-data/instance-id",
        ]);
        expect(imds[0].headers["x-aws-ec2-metadata-token-ttl-seconds"]).toBe("300");
        expect(imds.slice(1).map((request) => request.headers["x-aws-ec2-metadata-token"])).toEqual([
            IMDS_TOKEN,
            IMDS_TOKEN,
        ]);
        const publicIp = (await run("defaults")).requests.filter((request) => request.url.startsWith("/latest/"));
        expect(publicIp.map((request) => `${request.method} ${request.url}`)).toEqual([
            "PUT /latest/api/token",
            "GET /latest/meta-data/local-ipv4",
            "GET /latest/meta-data/public-ipv4",
        ]);
    });

    test("defaults the heap to 70% of the instance's memory, takes the public IP as alt-host, reads no license and installs no watcher", async () => {
        const defaults = await run("defaults");
        expect(defaults.code).toBe(0);
        // 8,000,000 kB * 70 / 100 / 1024 = 5468 MB.
        expect(defaults.transactor!.filter((line) => line.startsWith("arg="))).toEqual([
            "arg=-Xms5468m",
            "arg=-Xmx5468m",
            `arg=${path.join(defaults.root, "etc/datomic/transactor.properties")}`,
        ]);
        expect(defaults.transactor).toContain("JAVA_OPTS=");
        expect(parseJavaPropertyEntries(defaults.properties!).map((entry) => [entry.key, entry.value])).toEqual([
            ["host", PRIVATE_IP],
            ["alt-host", PUBLIC_IP],
            ...renderedEntries(),
        ]);
        expect(defaults.log.filter((line) => line.startsWith("aws "))).toEqual([]);
        expect(defaults.log.filter((line) => line.includes(HEALTH_WATCH_UNIT))).toEqual([]);
        expect(fs.existsSync(path.join(defaults.root, "opt/datomic/health-watch"))).toBe(false);
        expect(defaults.log.at(-1)).toBe(POWEROFF);
    });

    test("writes a secret with Java-properties escaping, so it reads back exactly as stored in SSM", async () => {
        const licensed = await run("licensed");
        expect(licensed.code).toBe(0);
        const entries = parseJavaPropertyEntries(licensed.properties!);
        // The value's own closing newline is kept; only the one the CLI adds is removed.
        expect(entries.find((entry) => entry.key === "memcached-password")?.value).toBe(TRICKY_SECRET);
        expect(entries.map((entry) => entry.key)).toEqual([
            "host",
            "memcached-password",
            ...renderedEntries().map(([key]) => key),
        ]);
        // One line per property: the line breaks in the value are escaped, not written.
        expect(licensed.properties!.split("\n").filter((line) => line.startsWith("memcached-password="))).toEqual([
            "memcached-password=\\ C:\\\\temp\\\\new\\nsecond line\\twith tab\\r\\f#!=: ends in a newline\\n",
        ]);
    });

    test("downloads from a licensed repository with credentials read from SSM, never on a command line or left on disk", async () => {
        const licensed = await run("licensed");
        const downloads = licensed.requests.filter((request) => request.url.endsWith(".zip"));
        expect(downloads.map((request) => request.url)).toEqual([`/licensed/${VERSION}/datomic-pro-${VERSION}.zip`]);
        expect(downloads[0].headers.authorization).toBe(
            `Basic ${Buffer.from(DOWNLOAD_CREDENTIALS).toString("base64")}`,
        );
        expect(licensed.log).toContain(
            "aws ssm get-parameter --region us-east-1 --name /acme/datomic/download-credentials --with-decryption --query Parameter.Value --output text",
        );
        const script = renderTransactorUserData(scenarios.licensed.settings);
        expect(script).not.toContain(DOWNLOAD_CREDENTIALS);
        expect(script).toContain("    DOWNLOAD_URL='https://my.datomic.com/repo/com/datomic/datomic-pro'");
        expect(licensed.stderr).not.toContain('k"ey');
        // The curl config holding the credentials is gone once the script ends.
        const leftovers = fs.readdirSync(licensed.root).filter((file) => file.startsWith("tmp."));
        expect(leftovers).toEqual([]);
    });

    describe("a boot that fails before the transactor runs powers the instance off and starts nothing", () => {
        /** The run failed, powered off exactly once, as its last act, and never started a unit. */
        function expectRetired(failed: Run): void {
            expect(failed.code).not.toBe(0);
            expect(failed.stderr).toContain("before the transactor started; powering off");
            expect(failed.log.filter((line) => line === POWEROFF)).toEqual([POWEROFF]);
            expect(failed.log.at(-1)).toBe(POWEROFF);
            expect(failed.log.filter((line) => line.startsWith("systemctl enable"))).toEqual([]);
            expect(failed.transactor).toBeUndefined();
            expect(failed.properties).toBeUndefined();
        }

        test("a download whose SHA-256 differs", async () => {
            const checksum = await run("checksum");
            expectRetired(checksum);
            expect(checksum.stderr).toContain(
                `datomic-pro-${VERSION}.zip does not have the expected SHA-256 ${"0".repeat(64)}`,
            );
        });

        test("a download that fails", async () => {
            const download = await run("download");
            expectRetired(download);
            expect(download.stderr).toContain("404");
            expect(download.log.filter((line) => line.startsWith("chown"))).toEqual([]);
        });

        test("a JRE that does not run", async () => {
            const java = await run("java");
            expectRetired(java);
            expect(java.stderr).toContain("java from java-21-amazon-corretto-headless does not run");
            expect(java.requests).toEqual([]);
        });

        test("a metadata service that cannot be reached", async () => {
            expectRetired(await run("imdsDown"));
        });
    });
});

describe("the health watcher", () => {
    const markUnhealthy = `aws autoscaling set-instance-health --region us-east-1 --instance-id ${INSTANCE_ID} --health-status Unhealthy --should-respect-grace-period`;

    test("marks the instance unhealthy after three checks in a row with no answer, and stops", async () => {
        const { log, asked } = await watchRuns.get("failing")!;
        expect(asked).toBe(5);
        expect(log).toEqual([markUnhealthy]);
    });

    test("leaves a transactor that answers with an error status alone (a standby may), and logs the status", async () => {
        const { log, asked } = await watchRuns.get("answeringWithAnError")!;
        expect(asked).toBeGreaterThanOrEqual(6);
        expect(log).toEqual([]);
    });

    test("leaves a serving transactor alone", async () => {
        const { log, asked } = await watchRuns.get("serving")!;
        expect(asked).toBeGreaterThanOrEqual(6);
        expect(log).toEqual([]);
    });
});

describe("the readiness signal", () => {
    const complete = `aws autoscaling complete-lifecycle-action --region us-east-1 --auto-scaling-group-name ${READINESS.groupName} --lifecycle-hook-name ${READINESS.hookName} --instance-id ${INSTANCE_ID} --lifecycle-action-result CONTINUE`;

    test("completes the launch hook with CONTINUE once the transactor logs that it is a standby", async () => {
        const run = await readyRuns.get("standby")!;
        expect(run.code).toBe(0);
        expect(run.log).toEqual([complete]);
        expect(run.stderr).toContain("the transactor is standby (:transactor/standby)");
    });

    test("or the active transactor, from its heartbeat", async () => {
        const run = await readyRuns.get("active")!;
        expect(run.code).toBe(0);
        expect(run.log).toEqual([complete]);
        expect(run.stderr).toContain("the transactor is active (:transactor/heartbeat)");
    });

    test("never completes the hook for a transactor that is neither, so the hook's ABANDON decides", async () => {
        const run = await readyRuns.get("never")!;
        expect(run.code).toBeNull();
        expect(run.log).toEqual([]);
    });

    test("gives up after a few attempts when there is no lifecycle action to complete", async () => {
        const run = await readyRuns.get("noAction")!;
        expect(run.code).toBe(0);
        expect(run.log).toEqual(Array(5).fill(complete));
        expect(run.stderr).toContain("no lifecycle action to complete");
    });
});
