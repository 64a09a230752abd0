/**
 * The README's test command works on a fresh machine: `npm test` first runs .ci/test-tools, which installs
 * the Debian tools the tests need when they are missing, and `.ci/run` runs exactly that command. The
 * script runs here against stand-in apt-get, sudo and id on a PATH that has nothing else.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const SCRIPT = path.join(ROOT, ".ci", "test-tools");
const TOOLS = ["clojure", "curl", "shellcheck", "unzip", "zip"];

let bin: string;
let log: string;

beforeEach(() => {
    bin = fs.mkdtempSync(path.join(os.tmpdir(), "test-tools-"));
    log = path.join(bin, "calls.log");
});

afterEach(() => fs.rmSync(bin, { recursive: true, force: true }));

/** A stand-in command that appends its name and arguments to the log. */
function standIn(name: string, body = ""): void {
    fs.writeFileSync(path.join(bin, name), `#!/bin/bash\necho "${name} $*" >> "${log}"\n${body}\n`, { mode: 0o755 });
}

function runScript(uid: number) {
    standIn("id", `echo ${uid}`);
    // sudo runs its command, as the real one does.
    standIn("sudo", '"$@"');
    standIn("env", 'while [[ "$1" == *=* ]]; do shift; done; "$@"');
    const result = spawnSync("/bin/bash", [SCRIPT], { env: { PATH: bin }, encoding: "utf8" });
    const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
    return { status: result.status, stderr: result.stderr, calls: calls.filter((call) => !call.startsWith("id ")) };
}

test("installs every missing tool with apt-get, through sudo when not root", () => {
    standIn("apt-get");
    const { status, calls } = runScript(1000);
    expect(status).toBe(0);
    const install = "apt-get install -y -qq clojure curl shellcheck unzip zip";
    expect(calls).toEqual([
        "sudo apt-get update -qq",
        "apt-get update -qq",
        `sudo env DEBIAN_FRONTEND=noninteractive ${install}`,
        `env DEBIAN_FRONTEND=noninteractive ${install}`,
        install,
    ]);
});

test("as root, without sudo; only the missing tools", () => {
    standIn("apt-get");
    standIn("curl");
    standIn("zip");
    const { status, calls } = runScript(0);
    expect(status).toBe(0);
    expect(calls).not.toContainEqual(expect.stringMatching(/^sudo /));
    expect(calls).toEqual([
        "apt-get update -qq",
        "env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clojure shellcheck unzip",
        "apt-get install -y -qq clojure shellcheck unzip",
    ]);
});

test("does nothing when every tool is there", () => {
    standIn("apt-get");
    TOOLS.forEach((tool) => standIn(tool));
    expect(runScript(1000)).toEqual({ status: 0, stderr: "", calls: [] });
});

test("fails naming the tools when they are missing and apt-get is not there", () => {
    const { status, stderr } = runScript(1000);
    expect(status).toBe(1);
    expect(stderr).toContain("clojure curl shellcheck unzip zip not found and apt-get is not available");
});

test("npm test provisions first, and .ci/run runs the README's test command exactly, then typecheck and lint", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(manifest.scripts.pretest).toBe("bash .ci/test-tools");
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const commands = /^```sh\n(.*)\n(.*)\n```/m.exec(readme)!;
    const testCommand = commands[2].replace(/\s+#.*$/, "");
    expect(testCommand).toBe("npm ci && npm test");
    expect(commands[1]).toMatch(/^npm ci && npm run plan -- --stack dev\s+#/);
    const ciRun = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8").split("\n");
    const commandsRun = ciRun.filter((line) => line && !line.startsWith("#") && !/^(set|cd) /.test(line));
    expect(commandsRun).toEqual([testCommand, "npm run typecheck", "npm run lint"]);
});
