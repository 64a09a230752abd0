/**
 * datomic-plan's answers to files that cannot be used, run in-process: each
 * exits 2 naming the file and the key, before the program is loaded (so no
 * child process is needed to see it; cli.test.ts runs the command itself).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { datomicPlanInProcess, REPO_ROOT } from "../support/program";

let workDir: string;

beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "datomic-plan-errors-"));
});

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

test.each([
    ["a missing -f file", "missing.yaml", null, "cannot read the fixture file {file}: ENOENT"],
    ["a -f file that is not YAML", "broken.yaml", "lookups: [\n", "{file} is not valid YAML: "],
    [
        "fixtures of the wrong shape",
        "oops.yaml",
        "accountId: 111111111111\nlookups: oops\n",
        "{file} is not a fixture file (format: docs/plan.md):\n" +
            '  - accountId: expected a 12-digit AWS account id in quotes, such as "111111111111" (got 111111111111)\n' +
            '  - lookups: expected a list of lookups, each with function, match and result (got "oops")\n',
    ],
])("%s exits 2 naming the file and the key", async (_, name, content, message) => {
    const file = path.join(workDir, name);
    if (content !== null) {
        fs.writeFileSync(file, content);
    }
    const result = await datomicPlanInProcess("--dir", REPO_ROOT, "--stack", "dev", "-f", file);
    expect(result).toEqual({
        code: 2,
        stdout: "",
        stderr: expect.stringContaining(`datomic-plan: ${message.replace("{file}", file)}`),
    });
});

test("a stack file whose config is not a map exits 2 naming the file and the key", async () => {
    const programDir = path.join(workDir, "bad-config");
    fs.mkdirSync(programDir);
    fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), "name: bad-config\nruntime: nodejs\n");
    fs.writeFileSync(path.join(programDir, "Pulumi.test.yaml"), "config: oops\n");
    const result = await datomicPlanInProcess("--dir", programDir, "--stack", "test");
    expect(result).toEqual({
        code: 2,
        stdout: "",
        stderr:
            `datomic-plan: ${path.join(programDir, "Pulumi.test.yaml")}: "config" must be a map of key: value, ` +
            'such as "aws:region: us-east-1" (got "oops")\n',
    });
});

test("a directory without Pulumi.yaml exits 2 saying so", async () => {
    const result = await datomicPlanInProcess("--dir", workDir, "--stack", "dev");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Pulumi.yaml not found: --dir must be a Pulumi program directory");
});

test("--diff with a file that is not a plan exits 2 naming the file", async () => {
    const notAPlan = path.join(workDir, "not-a-plan.json");
    fs.writeFileSync(notAPlan, '{"hello": "world"}');
    const result = await datomicPlanInProcess("--dir", REPO_ROOT, "--stack", "dev", "--diff", notAPlan);
    expect(result).toEqual({
        code: 2,
        stdout: "",
        stderr: expect.stringContaining(`--diff: ${notAPlan} is not a plan`),
    });
});

test("flags it does not know exit 2 with the usage", async () => {
    const result = await datomicPlanInProcess("--stack", "dev", "--stak", "x");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: unknown option '--stak'");
});
