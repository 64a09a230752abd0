/**
 * datomic-plan type-checks a TypeScript program as `pulumi preview` does (plan/typeCheck.ts): a type error
 * fails the plan with file:line and exit 1; PULUMI_NODEJS_TRANSPILE_ONLY=true, the tsconfig's noCheck or
 * ts-node's transpileOnly turn the check off; an unchanged program is not checked twice.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runDatomicPlan } from "../../plan/cli";
import { typeCheckProgram } from "../../plan/typeCheck";
import { REPO_ROOT } from "../support/program";
import { trapRejections } from "../support/rejections";

jest.setTimeout(240_000);

const TSCONFIG = {
    compilerOptions: { target: "ES2022", module: "commonjs", strict: true, esModuleInterop: true, skipLibCheck: true },
};

/** A small program of its own (types from @pulumi/pulumi only, so a check takes seconds), with the typo. */
const TYPO_PROGRAM = `import * as pulumi from "@pulumi/pulumi";

interface ServiceArgs {
    databaseName: pulumi.Input<string>;
}

class Service extends pulumi.ComponentResource {
    constructor(name: string, args: ServiceArgs) {
        super("test:index:Service", name, {});
        this.registerOutputs({ databaseName: args.databaseName });
    }
}

new Service("orders", { databseName: "orders" });
`;

const created: string[] = [];
afterAll(() => created.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A program directory with its own tsconfig, resolving packages from this repository's node_modules. */
function program(files: Record<string, string>, tsconfig: object | undefined = TSCONFIG): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "datomic-plan-typecheck-"));
    created.push(dir);
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: typo\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: us-east-1\n");
    if (tsconfig) {
        fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
    }
    for (const [name, text] of Object.entries(files)) {
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

const CHECKED = { PULUMI_NODEJS_TRANSPILE_ONLY: undefined };

test("a misspelt property fails with file:line, is cached while unchanged, and passes once fixed", () => {
    const dir = program({ "index.ts": TYPO_PROGRAM });
    const entry = path.join(dir, "index.ts");
    const first = typeCheckProgram(dir, entry, { env: CHECKED });
    expect(first).toMatchObject({ checked: true, cached: false });
    expect(first.errors).toHaveLength(1);
    expect(first.errors[0]).toMatch(
        /^index\.ts:14:25 - error TS2561: Object literal may only specify known properties, but 'databseName' does not exist in type 'ServiceArgs'\. Did you mean to write 'databaseName'\?/,
    );
    const second = typeCheckProgram(dir, entry, { env: CHECKED });
    expect(second).toMatchObject({ checked: true, cached: true, errors: first.errors });
    expect(second.milliseconds).toBeLessThan(first.milliseconds);

    fs.writeFileSync(entry, TYPO_PROGRAM.replace("databseName", "databaseName"));
    expect(typeCheckProgram(dir, entry, { env: CHECKED })).toMatchObject({ checked: true, cached: false, errors: [] });
});

test("the switches Pulumi honours turn the check off, and PULUMI_NODEJS_TRANSPILE_ONLY decides over the tsconfig", () => {
    const plain = program({ "index.ts": TYPO_PROGRAM });
    expect(
        typeCheckProgram(plain, path.join(plain, "index.ts"), { env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } }),
    ).toMatchObject({
        checked: false,
        skippedBecause: "PULUMI_NODEJS_TRANSPILE_ONLY is true",
    });
    const noCheck = program(
        { "index.ts": TYPO_PROGRAM },
        { compilerOptions: { ...TSCONFIG.compilerOptions, noCheck: true } },
    );
    expect(typeCheckProgram(noCheck, path.join(noCheck, "index.ts"), { env: CHECKED })).toMatchObject({
        checked: false,
        skippedBecause: "tsconfig.json sets noCheck",
    });
    const forced = typeCheckProgram(noCheck, path.join(noCheck, "index.ts"), {
        env: { PULUMI_NODEJS_TRANSPILE_ONLY: "false" },
    });
    expect(forced.checked).toBe(true);
    expect(forced.errors[0]).toContain("'databseName' does not exist");
    const tsNode = program({ "index.ts": TYPO_PROGRAM }, { ...TSCONFIG, "ts-node": { transpileOnly: true } });
    expect(typeCheckProgram(tsNode, path.join(tsNode, "index.ts"), { env: CHECKED }).skippedBecause).toBe(
        "tsconfig.json sets ts-node's transpileOnly",
    );
    const javascript = program({ "index.js": "require('@pulumi/pulumi');\n" }, undefined);
    expect(typeCheckProgram(javascript, path.join(javascript, "index.js"), { env: CHECKED }).checked).toBe(false);
});

test("datomic-plan reports a typo in a pulumi-datomic argument with file:line and exits 1, running nothing", async () => {
    const dir = program({
        "index.ts": `import { DatomicAccess } from "pulumi-datomic";

new DatomicAccess("orders", {
    environmentStack: "acme/datomic/dev",
    vpcId: "vpc-0service",
    subnetIds: ["subnet-0s1"],
    databseName: "orders",
});
`,
    });
    let stdout = "";
    let stderr = "";
    // The suite turns the check off for the plans it runs (jest.config.js); this one is as a user runs it.
    const transpileOnly = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    let code: number;
    try {
        code = await runDatomicPlan(
            ["--dir", dir, "--stack", "dev"],
            { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
            { requireModule: require, trapRejections, stallAfterMs: 300, typeCheck: true },
        );
    } finally {
        if (transpileOnly !== undefined) {
            process.env.PULUMI_NODEJS_TRANSPILE_ONLY = transpileOnly;
        }
    }
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(
        /^datomic-plan: the program has type errors, which pulumi preview would report too \(PULUMI_NODEJS_TRANSPILE_ONLY=true turns the check off, as it does for Pulumi\):\n {2}index\.ts:7:5 - error TS2561: .*'databseName' does not exist in type 'DatomicAccessArgs'/,
    );
});
