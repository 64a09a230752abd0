/**
 * The transactor's user data: shellcheck-clean, and run for real against
 * fakes: an instance metadata service and a download server on 127.0.0.1, a
 * Datomic zip built here with a fake bin/transactor, and fake dnf, useradd,
 * id, chown, aws and systemctl on PATH (the fake systemctl runs the unit's
 * ExecStart and then its ExecStopPost, as systemd would when the process exits).
 */
import { execFile, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { parseJavaPropertyEntries } from "../../components/internal/javaProperties";
import { renderTransactorProperties } from "../../components/pro/properties";
import {
    renderTransactorUserData,
    TransactorUserDataSettings,
    TRANSACTOR_UNIT,
    USER_DATA_MAX_BYTES,
} from "../../components/pro/userData";
import { requireTools } from "../support/tools";

const VERSION = "1.0.7075";
const PRIVATE_IP = "10.20.1.37";
const PUBLIC_IP = "54.210.1.2";
const IMDS_TOKEN = "AQAEAFakeToken==";
const LICENSE_KEY = "Ojm4RK1xkz5VY7dn5fNPDDrU6/whneQxorSs5ybW+VAn27Z==";
const JAVA_OPTS = `-XX:+UseG1GC -XX:MaxGCPauseMillis=50 -Dacme.label='it''s "quoted" $HOME'`;

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

interface Sandbox {
    dir: string;
    zip: Buffer;
    sha256: string;
    url: string;
    requests: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
}

let sandbox: Sandbox;
let server: http.Server;

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
    writeExecutable(path.join(bin, "aws"), recorder("aws", `printf '%s\\n' "$FAKE_LICENSE_KEY"\n`));
    writeExecutable(
        path.join(bin, "systemctl"),
        `#!/bin/bash
set -euo pipefail
printf '%s\\n' "systemctl $*" >>"$FAKE_LOG"
if [[ "$1" == enable && "$2" == --now ]]; then
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
function buildZip(dir: string): Buffer {
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
    const result = spawnSync("zip", ["-qr", zipFile, `datomic-pro-${VERSION}`], { cwd: root });
    if (result.status !== 0) {
        throw new Error(`zip failed: ${result.stderr}`);
    }
    return fs.readFileSync(zipFile);
}

beforeAll(async () => {
    requireTools("shellcheck", "zip", "unzip", "curl", "sha256sum");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "datomic-user-data-"));
    const zip = buildZip(dir);
    writeFakes(path.join(dir, "bin"));
    const requests: Sandbox["requests"] = [];
    server = http.createServer((req, res) => {
        requests.push({ method: req.method!, url: req.url!, headers: req.headers });
        const send = (status: number, body: string | Buffer) => {
            res.writeHead(status);
            res.end(body);
        };
        if (req.method === "PUT" && req.url === "/latest/api/token") {
            return req.headers["x-aws-ec2-metadata-token-ttl-seconds"]
                ? send(200, IMDS_TOKEN)
                : send(400, "missing TTL");
        }
        if (req.url?.startsWith("/latest/meta-data/")) {
            if (req.headers["x-aws-ec2-metadata-token"] !== IMDS_TOKEN) {
                return send(401, "IMDSv2 token required");
            }
            const answers: Record<string, string> = { "local-ipv4": PRIVATE_IP, "public-ipv4": PUBLIC_IP };
            const answer = answers[req.url.slice("/latest/meta-data/".length)];
            return answer ? send(200, answer) : send(404, "not found");
        }
        if (req.method === "GET" && req.url === `/downloads/${VERSION}/datomic-pro-${VERSION}.zip`) {
            return send(200, zip);
        }
        send(404, "not found");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    sandbox = {
        dir,
        zip,
        sha256: createHash("sha256").update(zip).digest("hex"),
        url: `http://127.0.0.1:${port}`,
        requests,
    };
});

afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    if (sandbox) {
        fs.rmSync(sandbox.dir, { recursive: true, force: true });
    }
});

interface Run {
    code: number;
    stderr: string;
    root: string;
    log: string[];
    transactor: string[] | undefined;
    properties: string | undefined;
}

/** Runs the script in a fresh directory tree, with the fakes first on PATH. */
async function runScript(settings: TransactorUserDataSettings, name: string): Promise<Run> {
    const root = path.join(sandbox.dir, name);
    fs.mkdirSync(root);
    const script = path.join(root, "user-data.sh");
    fs.writeFileSync(script, renderTransactorUserData(settings), { mode: 0o755 });
    fs.writeFileSync(path.join(root, "meminfo"), "MemTotal:        8000000 kB\nMemFree:         7000000 kB\n");
    const env: NodeJS.ProcessEnv = {
        PATH: `${path.join(sandbox.dir, "bin")}:${process.env.PATH}`,
        HOME: root,
        TMPDIR: root,
        DATOMIC_IMDS_URL: sandbox.url,
        DATOMIC_DOWNLOAD_URL: `${sandbox.url}/downloads`,
        DATOMIC_INSTALL_ROOT: path.join(root, "opt/datomic"),
        DATOMIC_CONFIG_DIR: path.join(root, "etc/datomic"),
        DATOMIC_UNIT_DIR: path.join(root, "etc/systemd/system"),
        DATOMIC_MEMINFO: path.join(root, "meminfo"),
        DATOMIC_SYSTEMCTL: path.join(sandbox.dir, "bin", "systemctl"),
        FAKE_LOG: path.join(root, "fake.log"),
        FAKE_TRANSACTOR_RECORD: path.join(root, "transactor.record"),
        FAKE_LICENSE_KEY: LICENSE_KEY,
    };
    // Asynchronous, so the fake metadata and download server in this process can answer.
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile("bash", [script], { env, timeout: 60_000 }, (error, _stdout, stderrText) =>
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
    };
}

function renderedEntries(): [string, string][] {
    return parseJavaPropertyEntries(propertiesText).map((entry) => [entry.key, entry.value]);
}

describe("the transactor user data", () => {
    test("passes shellcheck with every option on and with none", () => {
        const variants: TransactorUserDataSettings[] = [
            base,
            {
                ...base,
                sha256: "a".repeat(64),
                javaXmx: "4g",
                javaOpts: JAVA_OPTS,
                licenseKeyParameterName: "/acme/datomic/license-key",
                altHost: "transactor.acme.internal",
            },
            { ...base, altHostIsPublicIp: true },
        ];
        for (const settings of variants) {
            const result = spawnSync("shellcheck", ["--shell=bash", "--severity=style", "-"], {
                input: renderTransactorUserData(settings),
                encoding: "utf8",
            });
            expect(result.stdout).toBe("");
            expect(result.status).toBe(0);
        }
    });

    test("stays far below EC2's 16 KB user data limit", () => {
        const size = Buffer.byteLength(
            renderTransactorUserData({
                ...base,
                javaOpts: JAVA_OPTS,
                licenseKeyParameterName: "/p",
                sha256: "a".repeat(64),
            }),
        );
        expect(size).toBeLessThan(USER_DATA_MAX_BYTES / 2);
    });

    test("installs, writes the properties from IMDSv2 and the license parameter, and starts the transactor under systemd", async () => {
        const run = await runScript(
            {
                ...base,
                sha256: sandbox.sha256,
                javaXmx: "4g",
                javaOpts: JAVA_OPTS,
                licenseKeyParameterName: "/acme/datomic/license-key",
                altHost: "transactor.acme.internal",
            },
            "full",
        );
        expect(run.stderr).toContain("datomic-bootstrap: starting datomic-transactor.service (heap 4g)");
        expect(run.code).toBe(0);

        const installRoot = path.join(run.root, "opt/datomic");
        const distribution = path.join(installRoot, `datomic-pro-${VERSION}`);
        const propertiesFile = path.join(run.root, "etc/datomic/transactor.properties");
        expect(parseJavaPropertyEntries(run.properties!).map((entry) => [entry.key, entry.value])).toEqual([
            ["host", PRIVATE_IP],
            ["alt-host", "transactor.acme.internal"],
            ["license-key", LICENSE_KEY],
            ...renderedEntries(),
        ]);
        expect(fs.statSync(propertiesFile).mode & 0o777).toBe(0o600);

        expect(run.transactor).toEqual([
            `cwd=${path.join(installRoot, "current")}`,
            `JAVA_OPTS=${JAVA_OPTS}`,
            "arg=-Xms4g",
            "arg=-Xmx4g",
            `arg=${propertiesFile}`,
        ]);
        expect(run.log).toEqual([
            "dnf install -y java-21-amazon-corretto-headless unzip",
            "id -u datomic",
            `useradd --system --home-dir ${installRoot} --shell /sbin/nologin datomic`,
            `chown -R datomic ${distribution}`,
            "aws ssm get-parameter --region us-east-1 --name /acme/datomic/license-key --with-decryption --query Parameter.Value --output text",
            `chown datomic ${propertiesFile}`,
            "systemctl daemon-reload",
            `systemctl enable --now ${TRANSACTOR_UNIT}`,
            "transactor exited 0",
            // The transactor's exit powered the instance off, so the Auto Scaling group replaces it.
            "systemctl poweroff --no-block",
        ]);
        expect(fs.readlinkSync(path.join(installRoot, "current"))).toBe(distribution);
        expect(fs.readFileSync(path.join(distribution, "LICENSE"), "utf8")).toBe("Apache License 2.0\n");

        const unit = fs.readFileSync(path.join(run.root, "etc/systemd/system", TRANSACTOR_UNIT), "utf8");
        expect(unit).toContain(`\nUser=datomic\n`);
        expect(unit).toContain(`\nExecStart=${installRoot}/run-transactor\n`);
        expect(unit).toContain(`\nExecStopPost=+${path.join(sandbox.dir, "bin", "systemctl")} poweroff --no-block\n`);
        expect(unit).toContain("\nRestart=no\n");
        expect(unit).toContain("\nWantedBy=multi-user.target\n");
    });

    test("asks the metadata service with an IMDSv2 session token", async () => {
        const before = sandbox.requests.length;
        const run = await runScript({ ...base, altHostIsPublicIp: true }, "imds");
        expect(run.code).toBe(0);
        const imds = sandbox.requests.slice(before).filter((request) => request.url.startsWith("/latest/"));
        expect(imds.map((request) => `${request.method} ${request.url}`)).toEqual([
            "PUT /latest/api/token",
            "GET /latest/meta-data/local-ipv4",
            "GET /latest/meta-data/public-ipv4",
        ]);
        expect(imds[0].headers["x-aws-ec2-metadata-token-ttl-seconds"]).toBe("300");
        expect(imds.slice(1).map((request) => request.headers["x-aws-ec2-metadata-token"])).toEqual([
            IMDS_TOKEN,
            IMDS_TOKEN,
        ]);
    });

    test("defaults the heap to 70% of the instance's memory, takes the public IP as alt-host and reads no license", async () => {
        const run = await runScript({ ...base, altHostIsPublicIp: true }, "defaults");
        expect(run.code).toBe(0);
        // 8,000,000 kB * 70 / 100 / 1024 = 5468 MB.
        expect(run.transactor!.filter((line) => line.startsWith("arg="))).toEqual([
            "arg=-Xms5468m",
            "arg=-Xmx5468m",
            `arg=${path.join(run.root, "etc/datomic/transactor.properties")}`,
        ]);
        expect(run.transactor).toContain("JAVA_OPTS=");
        expect(parseJavaPropertyEntries(run.properties!).map((entry) => [entry.key, entry.value])).toEqual([
            ["host", PRIVATE_IP],
            ["alt-host", PUBLIC_IP],
            ...renderedEntries(),
        ]);
        expect(run.log.filter((line) => line.startsWith("aws "))).toEqual([]);
        expect(run.log.at(-1)).toBe("systemctl poweroff --no-block");
    });

    test("refuses a download whose SHA-256 differs, and starts nothing", async () => {
        const wrong = "0".repeat(64);
        const run = await runScript({ ...base, sha256: wrong }, "checksum");
        expect(run.code).not.toBe(0);
        expect(run.stderr).toContain(`datomic-pro-${VERSION}.zip does not have the expected SHA-256 ${wrong}`);
        expect(run.transactor).toBeUndefined();
        expect(run.properties).toBeUndefined();
        expect(run.log.filter((line) => line.startsWith("systemctl"))).toEqual([]);
    });

    test("fails, starting nothing, when the metadata service cannot be reached", async () => {
        const reachable = sandbox.url;
        sandbox.url = "http://127.0.0.1:1";
        let run: Run;
        try {
            run = await runScript(base, "imds-down");
        } finally {
            sandbox.url = reachable;
        }
        expect(run.code).not.toBe(0);
        expect(run.properties).toBeUndefined();
        expect(run.log.filter((line) => line.startsWith("systemctl"))).toEqual([]);
    });
});
