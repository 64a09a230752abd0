/**
 * datomic-plan on the environment program and on the example service. Where a process is what is
 * tested (exit codes, stdout written out before exit, a run that stalls in Node, the program's own
 * SDK), the command runs as `npm run plan` runs it: a child process with ts-node. The other cases run
 * the same command in this process, its program loaded through Jest's module registry: a process
 * costs seconds of loading TypeScript and the Pulumi SDK.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Plan } from "../../plan/render";
import { CliResult, datomicPlanInProcess, REPO_ROOT } from "../support/program";

function datomicPlan(...args: string[]): Promise<CliResult> {
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", "cli/plan.ts", ...args],
            { cwd: REPO_ROOT, env: { ...process.env, NODE_PATH: "" }, maxBuffer: 64 * 1024 * 1024 },
            (error, stdout, stderr) => {
                const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
                resolve({ code, stdout, stderr });
            },
        );
    });
}

// Each process test runs the command (a Node process that loads TypeScript, the Pulumi SDK and the program) once or
// twice: on a loaded machine that can take well over Jest's default minute.
jest.setTimeout(180_000);

let workDir: string;

beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "datomic-plan-cli-"));
});

afterAll(() => {
    fs.rmSync(workDir, { recursive: true, force: true });
});

describe("--json and --diff", () => {
    let basePlan: Plan;
    let baseFile: string;

    beforeAll(async () => {
        baseFile = path.join(workDir, "dev-base.json");
        const result = await datomicPlan("--stack", "dev", "--json", baseFile);
        // The only diagnostic: which Restart case the storage lookup saw.
        expect(result).toMatchObject({
            code: 0,
            stderr: 'info: [runtime] Restart "false": no DynamoDB table datomic-acme-dev exists, so the storage stack creates new storage\n',
        });
        expect(result.stdout).toContain('Plan of stack "dev" (project datomic)');
        basePlan = JSON.parse(fs.readFileSync(baseFile, "utf8")) as Plan;
    });

    test("--json <file> writes the plan and prints the tree; --json alone prints only the JSON", async () => {
        expect(basePlan).toMatchObject({ project: "datomic", stack: "dev", outputs: { systemName: "acme-dev" } });
        expect(basePlan.resources.map((r) => `${r.type}::${r.name}`)).toContain(
            "aws:cloudformation/stack:Stack::datomic-compute",
        );
        const result = await datomicPlanInProcess("--stack", "dev", "--json");
        expect(result.code).toBe(0);
        expect(JSON.parse(result.stdout)).toEqual(basePlan);
    });

    test("--diff against the same plan prints no changes and exits 0", async () => {
        const result = await datomicPlanInProcess("--stack", "dev", "--diff", baseFile);
        expect(result).toEqual({
            code: 0,
            stdout: `Changes to stack "dev" (project datomic) since ${baseFile}:\n\nno changes\n`,
            stderr: "",
        });
    });

    test("--diff prints added, removed and changed resources and outputs, and exits 0", async () => {
        // The base as a reviewer's main branch might have had it.
        const edited = structuredClone(basePlan);
        const compute = edited.resources.find((r) => r.name === "datomic-compute")!;
        (compute.inputs.parameters as Record<string, string>).InstanceType = "t3.medium";
        compute.options = compute.options.filter((option) => !option.startsWith("after"));
        edited.resources = edited.resources.filter((r) => r.name !== "datomic-sqs-endpoint");
        edited.resources.push({ ...compute, name: "datomic-old-compute" });
        edited.outputs.systemName = "acme-old";
        const editedFile = path.join(workDir, "dev-edited.json");
        fs.writeFileSync(editedFile, JSON.stringify(edited));

        const result = await datomicPlanInProcess("--stack", "dev", "--diff", editedFile);
        expect(result.code).toBe(0);
        expect(result.stderr).toBe("");
        expect(result.stdout).toContain(
            "+ aws:ec2/vpcEndpoint:VpcEndpoint::datomic-sqs-endpoint  [parent datomic:cloud:System::datomic, after datomic-service-endpoints datomic-service-endpoints-https datomic-storage]\n",
        );
        expect(result.stdout).toContain('      serviceName: "com.amazonaws.us-east-1.sqs"\n');
        expect(result.stdout).toContain("- aws:cloudformation/stack:Stack::datomic-old-compute");
        expect(result.stdout).toContain(
            "~ aws:cloudformation/stack:Stack::datomic-compute\n" +
                "      + option after datomic-storage\n" +
                '      parameters.InstanceType: "t3.medium" -> "t3.large"\n',
        );
        expect(result.stdout).toContain('Outputs:\n  ~ systemName: "acme-old" -> "acme-dev"\n');
        expect(result.stdout).toContain("1 added, 1 removed, 1 changed (0 of them replaced); 1 output changed.");

        const json = await datomicPlanInProcess("--stack", "dev", "--diff", editedFile, "--json");
        expect(JSON.parse(json.stdout)).toMatchObject({
            added: [{ name: "datomic-sqs-endpoint" }],
            removed: [{ name: "datomic-old-compute" }],
            changed: [{ name: "datomic-compute" }],
            outputs: [{ path: "systemName", before: "acme-old", after: "acme-dev" }],
        });
    });
});

describe("lookups no fixture answers", () => {
    test("fail naming the function, its inputs and the fixture file, without the errors that follow from them", async () => {
        const empty = path.join(workDir, "empty.yaml");
        fs.writeFileSync(empty, 'accountId: "222222222222"\n');
        const result = await datomicPlanInProcess("--stack", "stage", "--fixtures", empty);
        expect(result.code).toBe(1);
        const where = path.relative(REPO_ROOT, empty);
        expect(result.stderr).toContain(`datomic-plan: stack "stage" makes lookups that no fixture answers:`);
        expect(result.stderr).toContain(
            `No fixture answers aws:cloudformation/getStack:getStack called with {"name":"acme-stage"}; ` +
                `add a "lookups" entry for it to ${where}`,
        );
        expect(result.stderr).not.toContain("error serializing");
        expect(result.stdout).toBe("");
    });

    test("a stack reference with no fixture names the stack and the file's stackReferences", async () => {
        const empty = path.join(workDir, "no-references.yaml");
        fs.writeFileSync(empty, 'accountId: "111111111111"\n');
        const result = await datomicPlanInProcess(
            "--dir",
            "examples/ion-service",
            "--stack",
            "dev",
            "--fixtures",
            empty,
        );
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(
            `No fixture answers stack reference acme/datomic/dev called with {"name":"acme/datomic/dev"}; ` +
                `add the stack's outputs under "stackReferences" in ${path.relative(REPO_ROOT, empty)} (it has none), ` +
                "or check the stack name",
        );
    });
});

describe("mistakes", () => {
    test("a program that fails while registrations wait on the failed value prints the error, not the runtime's leak report", async () => {
        const result = await datomicPlan(
            ...["--dir", "examples/ion-service", "--stack", "dev"],
            ...[
                "--config",
                'orders:network={"vpcId":"vpc-0e1d2c3b4a5f60101","vpcCidrBlock":"10.40.0.0/16",' +
                    '"subnetIds":["subnet-0e1d2c3b4a5f60111","subnet-0e1d2c3b4a5f60112"],"routeTableIds":["rtb-0e1d2c3b4a5f60121"]}',
            ],
        );
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(
            `datomic-plan: the program failed for stack "dev":\n` +
                `  - peerVpcCidrBlocks: "10.40.0.0/16" overlaps datomicVpcCidrBlock "10.40.0.0/16"; `,
        );
        expect(result.stderr).not.toContain("still active");
        expect(result.stdout).toBe("");
    });
});

describe("--dir", () => {
    test("plans the example service, which imports pulumi-datomic without installing it, and takes --config", async () => {
        const main = await datomicPlanInProcess("--dir", "examples/ion-service", "--stack", "dev", "--json");
        expect(main.code).toBe(0);
        expect(JSON.parse(main.stdout)).toMatchObject({ project: "orders", outputs: { queryGroup: "orders-dev" } });

        const feature = await datomicPlanInProcess(
            ...["--dir", "examples/ion-service", "--stack", "dev", "--json"],
            ...["--config", "orders:suffix=alice", "-c", "orders:mainStack=acme/orders/dev"],
        );
        expect(feature.code).toBe(0);
        expect(JSON.parse(feature.stdout)).toMatchObject({ outputs: { queryGroup: "orders-dev-alice" } });
    });

    test("gives the mocks to the program's own copy of @pulumi/pulumi", async () => {
        const programDir = path.join(workDir, "own-sdk");
        const modules = path.join(programDir, "node_modules");
        fs.mkdirSync(path.join(modules, "@pulumi"), { recursive: true });
        // Its own @pulumi/pulumi, and everything else (its dependencies, ts-node) from this repository.
        fs.cpSync(path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi"), path.join(modules, "@pulumi", "pulumi"), {
            recursive: true,
        });
        for (const entry of fs.readdirSync(path.join(REPO_ROOT, "node_modules"))) {
            if (entry !== "@pulumi" && !entry.startsWith(".")) {
                fs.symlinkSync(path.join(REPO_ROOT, "node_modules", entry), path.join(modules, entry));
            }
        }
        fs.writeFileSync(path.join(programDir, "Pulumi.yaml"), "name: own-sdk\nruntime: nodejs\n");
        fs.writeFileSync(path.join(programDir, "Pulumi.test.yaml"), "config:\n  own-sdk:size: 3\n");
        fs.writeFileSync(
            path.join(programDir, "index.ts"),
            [
                'import * as pulumi from "@pulumi/pulumi";',
                "const size = new pulumi.Config().requireNumber('size');",
                'new pulumi.CustomResource("test:index:Thing", "thing", { size });',
                'export const ownCopy = require.resolve("@pulumi/pulumi").startsWith(__dirname);',
                "",
            ].join("\n"),
        );
        const result = await datomicPlan("--dir", programDir, "--stack", "test", "--json");
        expect(result.stderr).toBe("");
        expect(JSON.parse(result.stdout)).toMatchObject({
            project: "own-sdk",
            resources: [{ type: "test:index:Thing", name: "thing", inputs: { size: 3 } }],
            outputs: { ownCopy: true },
        });
    });
});
