/**
 * No secret value appears in what datomic-plan prints or writes: the text plan, --json on stdout or in a
 * file, a --diff, or a failure report with --verbose stacks and the runtime's log. The program
 * (test/fixtures/secrets) puts one recognisable secret into inputs (whole, nested in a map and a list),
 * outputs (whole, interpolated, nested) and a failure; secret config is masked because it cannot be
 * decrypted offline. Secret config in the environment program's messages: test/environment/stackConfig.test.ts;
 * secret outputs left out of fixtures: test/plan/fixturesCommand.test.ts.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { datomicPlanInProcess } from "../support/program";

const SECRET = "pl4n-s3cret-Vq8w-never-shown";
const PROGRAM = path.join(__dirname, "..", "fixtures", "secrets");
const CIPHERTEXT = "AAABAKGyrVRmb2xsb3dzLXRoZS1jbGktZm9ybWF0";

jest.setTimeout(60_000);

let workDir: string;
beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "datomic-plan-secrets-"));
});
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

function expectNoSecret(...texts: string[]): void {
    for (const text of texts) {
        expect(text).not.toContain(SECRET);
        expect(text).not.toContain(CIPHERTEXT);
    }
}

test("the text plan masks secret inputs and outputs, whole and nested", async () => {
    const result = await datomicPlanInProcess("--dir", PROGRAM, "--stack", "test");
    expect(result.code).toBe(0);
    expectNoSecret(result.stdout, result.stderr);
    expect(result.stdout).toContain("password: [secret]");
    expect(result.stdout).toContain("settings: [secret]");
    expect(result.stdout).toContain("apiKey: [secret]");
    expect(result.stdout).toContain("connection: [secret]");
});

test("--json, on stdout and in a file, and --diff against it, mask them too", async () => {
    const file = path.join(workDir, "plan.json");
    const written = await datomicPlanInProcess("--dir", PROGRAM, "--stack", "test", "--json", file);
    const printed = await datomicPlanInProcess("--dir", PROGRAM, "--stack", "test", "--json");
    const diff = await datomicPlanInProcess("--dir", PROGRAM, "--stack", "test", "--diff", file, "--json");
    expect([written.code, printed.code, diff.code]).toEqual([0, 0, 0]);
    const planFile = fs.readFileSync(file, "utf8");
    expectNoSecret(planFile, written.stdout, printed.stdout, printed.stderr, diff.stdout, diff.stderr);
    const plan = JSON.parse(printed.stdout) as { outputs: Record<string, unknown> };
    expect(plan.outputs).toEqual({
        apiKey: "[secret]",
        connection: "[secret]",
        nested: { inner: "[secret]", plain: "visible" },
    });
});

test("a failure report with --verbose (stacks and the runtime's log) shows the message, not the value", async () => {
    const result = await datomicPlanInProcess(
        "--dir",
        PROGRAM,
        "--stack",
        "test",
        "--config",
        "secrets:fail=true",
        "--verbose",
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the password was refused");
    expectNoSecret(result.stdout, result.stderr);
});
