/**
 * `datomic-plan --state`: previews of the environment program's three stacks and of the example service
 * against checkpoints in the shape `pulumi stack export` writes, built from the programs' own deployed runs
 * (test/support/checkpoint.ts). Each checkpoint is edited the way the deployed world would differ: an older
 * template, a stack named otherwise, a renamed resource, a changed secret.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ProgramRun } from "../../plan/runProgram";
import { ExportedResource, StackExport, stackExport } from "../support/checkpoint";
import { deployedFixtureFile, deployedServiceFixtureFile, deployedStackOutputs } from "../support/deployedWorld";
import { CliResult, datomicPlanInProcess, EXAMPLE_DIR, runStack } from "../support/program";

jest.setTimeout(120_000);

let workDir: string;

beforeAll(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "datomic-plan-state-"));
});

afterAll(() => {
    fs.rmSync(workDir, { recursive: true, force: true });
});

interface Deployed {
    stack: string;
    programArgs: string[];
    run: ProgramRun;
}

const deployments = new Map<string, Promise<Deployed>>();

/** A stack deployed under the mocks (once per file), with the fixtures of the world it was deployed into. */
function deploy(stack: string, program: "environment" | "service"): Promise<Deployed> {
    const key = `${program} ${stack}`;
    const deployment = deployments.get(key) ?? deployOnce(stack, program);
    deployments.set(key, deployment);
    return deployment;
}

async function deployOnce(stack: string, program: "environment" | "service"): Promise<Deployed> {
    const service = program === "service";
    const fixtureFile = service
        ? deployedServiceFixtureFile(EXAMPLE_DIR, stack, [`orders-${stack}`])
        : deployedFixtureFile(stack);
    const run = await runStack(stack, {
        preview: false,
        programDir: service ? EXAMPLE_DIR : undefined,
        resourceOutputs: deployedStackOutputs(stack),
        fixtureFile,
    });
    expect(run.errors.map((error) => error.message)).toEqual([]);
    const programArgs = ["--stack", stack, "-f", fixtureFile, ...(service ? ["--dir", "examples/ion-service"] : [])];
    return { stack, programArgs, run };
}

/** `datomic-plan --state` against the export, edited by `edit`. */
async function previewAgainst(
    deployed: Deployed,
    edit: (exported: StackExport) => void = () => undefined,
    options: { showSecrets?: boolean; extraArgs?: string[] } = {},
): Promise<CliResult & { file: string }> {
    const exported = stackExport(deployed.run, options);
    edit(exported);
    const file = path.join(workDir, `${deployed.stack}-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify(exported, null, 2));
    const result = await datomicPlanInProcess(...deployed.programArgs, "--state", file, ...(options.extraArgs ?? []));
    return { ...result, file };
}

/** The marker of every resource line of a text preview, by `type name` and, where it is unique, by name. */
function markers(stdout: string): Map<string, string> {
    const found = new Map<string, string>();
    const names = new Map<string, number>();
    for (const line of stdout.split("\n")) {
        const match = /^\s*(=|~|\+-|\+|-|>) (\S+) {2}(\S+)/.exec(line);
        if (match) {
            found.set(`${match[2]} ${match[3]}`, match[1]);
            names.set(match[3], (names.get(match[3]) ?? 0) + 1);
            found.set(match[3], names.get(match[3]) === 1 ? match[1] : "(not unique)");
        }
    }
    return found;
}

const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

function resourceNamed(exported: StackExport, name: string, type?: string): ExportedResource {
    const found = exported.deployment.resources.find(
        (resource) => resource.urn.endsWith(`::${name}`) && (type === undefined || resource.type === type),
    );
    if (!found) {
        throw new Error(`no ${name} in the export`);
    }
    return found;
}

/** Renames a resource in the state, as if it had been deployed under another name. */
function rename(exported: StackExport, name: string, to: string): void {
    const resource = resourceNamed(exported, name);
    const oldUrn = resource.urn;
    const newUrn = `${oldUrn.slice(0, oldUrn.lastIndexOf("::"))}::${to}`;
    for (const other of exported.deployment.resources) {
        other.urn = other.urn.replace(oldUrn, newUrn);
        other.parent = other.parent?.replace(oldUrn, newUrn);
        other.dependencies = other.dependencies?.map((urn) => (urn === oldUrn ? newUrn : urn));
    }
}

describe.each([
    ["dev", "environment"],
    ["stage", "environment"],
    ["prod", "environment"],
    ["dev", "service"],
] as const)("the %s stack of the %s program, unchanged since it was deployed", (stack, program) => {
    test("previews every resource as unchanged (=) and exits 0", async () => {
        const deployed = await deploy(stack, program);
        const result = await previewAgainst(deployed);
        expect(result.stderr).toBe("");
        expect(result.code).toBe(0);
        const found = markers(result.stdout);
        const managed = deployed.run.resources.filter((resource) => !resource.read);
        expect(managed.length).toBeGreaterThan(3);
        for (const resource of managed) {
            const key = `${resource.type} ${resource.name}`;
            expect([key, found.get(key)]).toEqual([key, "="]);
        }
        expect(result.stdout).toMatch(new RegExp(`Resources:\\n {4}${deployed.run.resources.length} unchanged\\n$`));
        expect(result.stdout).not.toContain("<unknown before deployment>");
    });
});

describe("the environment's dev stack, deployed from an older plan", () => {
    let deployed: Deployed;

    beforeAll(async () => {
        deployed = await deploy("dev", "environment");
    });

    test("a template upgrade updates the compute stack in place (~), and only it", async () => {
        const result = await previewAgainst(deployed, (exported) => {
            const compute = resourceNamed(exported, "datomic-compute");
            compute.inputs!.templateUrl = String(compute.inputs!.templateUrl)
                .replace(/1217/g, "1172")
                .replace("9399", "9392");
        });
        expect(result.code).toBe(0);
        const found = markers(result.stdout);
        expect(found.get("datomic-compute")).toBe("~");
        const changed = [...found.entries()].filter(([key, marker]) => key.includes(" ") && marker !== "=");
        expect(changed).toEqual([["aws:cloudformation/stack:Stack datomic-compute", "~"]]);
        expect(result.stdout).toMatch(/ {6}templateUrl: ".*1172.*" => ".*1217.*"\n/);
        expect(result.stdout).toContain(
            `    ~ 1 to update\n    1 change. ${deployed.run.resources.length - 1} unchanged\n`,
        );
    });

    test("a property that forces replacement (the stack's name) replaces the stack (+-), naming the rule's source", async () => {
        const result = await previewAgainst(deployed, (exported) => {
            resourceNamed(exported, "datomic-compute").inputs!.name = "acme-dev-compute-old";
        });
        expect(result.code).toBe(0);
        expect(markers(result.stdout).get("datomic-compute")).toBe("+-");
        expect(result.stdout).toContain(
            "replaced: name forces replacement (hashicorp/terraform-provider-aws internal/service/cloudformation/stack.go)",
        );
        expect(result.stdout).toContain('      name: "acme-dev-compute-old" => "acme-dev-compute"\n');
        expect(result.stdout).toContain("    +-1 to replace\n");
    });
});

describe("the environment's prod stack, whose storage stack is protected", () => {
    test("a storage stack deployed under another name is a deletion the engine refuses, and a creation", async () => {
        const deployed = await deploy("prod", "environment");
        const result = await previewAgainst(deployed, (exported) =>
            rename(exported, "datomic-storage", "datomic-data"),
        );
        const found = markers(result.stdout);
        expect(found.get("datomic-storage")).toBe("+");
        expect(found.get("datomic-data")).toBe("-");
        expect(result.stdout).toMatch(
            /- aws:cloudformation\/stack:Stack {2}datomic-data {2}\[refused\]\n {8}refused: /,
        );
        expect(result.stdout).toContain("1 step the engine refuses: pulumi preview and pulumi up would fail.");
        // As pulumi preview fails on it, so does the plan.
        expect(result.code).toBe(1);
    });
});

describe("the example service's dev stack", () => {
    let deployed: Deployed;

    beforeAll(async () => {
        deployed = await deploy("dev", "service");
    });

    test("a secret that changed shows as changed without its value; an encrypted one as possibly changed", async () => {
        const oldValue = "an old description only the state knows";
        const secretDescription = (exported: StackExport, secret: Record<string, string>) => {
            const redis = resourceNamed(exported, "orders-redis", REPLICATION_GROUP);
            redis.inputs!.description = {
                "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                ...secret,
            };
        };
        const plaintext = await previewAgainst(
            deployed,
            (exported) => secretDescription(exported, { plaintext: JSON.stringify(oldValue) }),
            { showSecrets: true },
        );
        expect(markers(plaintext.stdout).get(`${REPLICATION_GROUP} orders-redis`)).toBe("~");
        expect(plaintext.stdout).toMatch(/\n {6}description: \[secret\] => "Cache of the orders service.s ions"\n/);
        expect(plaintext.stdout).toContain("Secrets were compared by value");
        expect(plaintext.stdout + plaintext.stderr).not.toContain(oldValue);

        const encrypted = await previewAgainst(deployed, (exported) =>
            secretDescription(exported, { ciphertext: "v1:c2VjcmV0LWNpcGhlcnRleHQ=" }),
        );
        expect(markers(encrypted.stdout).get(`${REPLICATION_GROUP} orders-redis`)).toBe("~");
        expect(encrypted.stdout).toContain("description: [secret] (encrypted in the state: may have changed)");
        expect(encrypted.stdout).not.toContain("v1:c2VjcmV0");
    });

    test("--json writes the preview's steps, secrets masked", async () => {
        const result = await previewAgainst(deployed, undefined, { extraArgs: ["--json"] });
        const preview = JSON.parse(result.stdout) as { steps: { step: string; name: string }[] };
        expect(new Set(preview.steps.map((step) => step.step))).toEqual(new Set(["same", "read"]));
    });
});

describe("a state that cannot be trusted is refused, saying why (exit 2)", () => {
    let deployed: Deployed;

    beforeAll(async () => {
        deployed = await deploy("stage", "environment");
    });

    test("the state of another stack", async () => {
        const result = await previewAgainst(deployed, (exported) => {
            for (const resource of exported.deployment.resources) {
                resource.urn = resource.urn.replace("urn:pulumi:stage::", "urn:pulumi:prod::");
            }
        });
        expect(result.code).toBe(2);
        expect(result.stdout).toBe("");
        expect(result.stderr).toContain(
            `datomic-plan: --state: ${result.file} is the state of stack "prod" of project "datomic", not of stack "stage" of project "datomic"`,
        );
    });

    test("a state with pending operations", async () => {
        const result = await previewAgainst(deployed, (exported) => {
            const compute = exported.deployment.resources[3];
            exported.deployment.pending_operations = [{ resource: compute, type: "updating" }];
        });
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(
            /has 1 pending operation\(s\) \(updating of urn:pulumi:stage::datomic::.*\): an update was interrupted/,
        );
    });

    test("a file that is not a stack export", async () => {
        const file = path.join(workDir, "outputs.json");
        fs.writeFileSync(file, JSON.stringify({ vpcId: "vpc-1" }));
        const result = await datomicPlanInProcess(...deployed.programArgs, "--state", file);
        expect(result).toMatchObject({ code: 2, stdout: "" });
        expect(result.stderr).toContain(
            "is not a stack export (expected {version, deployment}); write it with pulumi stack export",
        );
    });
});
