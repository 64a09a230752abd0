/**
 * The published package: `npm pack` (whose prepack builds it) from a copy of the repository, the
 * tarball's file list, and the tarball installed into a temporary project, where every component is
 * constructed under mocks through `require("pulumi-datomic")` and the command-line tools run.
 *
 * The install lays the tarball out as npm does (the package in node_modules, its bins linked in
 * node_modules/.bin) with the package's declared dependencies linked from this repository's
 * node_modules, so it needs no registry: a dependency the compiled code needs but package.json does not
 * declare fails to resolve, as it would for a user.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { docExamples, exampleModule, FREE_NAME_CODES } from "../support/docExamples";
import { servicePrograms } from "../support/readmeQuickStarts";

const ROOT = path.resolve(__dirname, "..", "..");
const NOT_COPIED = new Set(["node_modules", "dist", ".git", "coverage", "api"]);
const COMPONENT_TYPES = [
    "datomic:cloud:System",
    "datomic:cloud:ClientEndpoint",
    "datomic:cloud:Peering",
    "datomic:cloud:PeeringAccepter",
    "datomic:cloud:QueryGroup",
    "datomic:cloud:HttpDirect",
    "datomic:cloud:IonDeployment",
    "datomic:cloud:Monitoring",
    "datomic:pro:Transactor",
    "datomic:pro:Backup",
];

/** How a reader's project compiles: strict, CommonJS, Node's types; packages from its node_modules. */
const READER_OPTIONS: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    types: ["node"],
    typeRoots: [path.join(ROOT, "node_modules", "@types")],
};

interface PackResult {
    filename: string;
    files: { path: string }[];
}

interface ConsumerRun {
    exports: string[];
    registered: { type: string; name: string; inputs: Record<string, unknown> }[];
    calls: string[];
    values: Record<string, unknown>;
    terraformMissing?: string;
    failures: string[];
}

let work: string;
let packed: PackResult;
let consumer: string;

function run(command: string, args: string[], cwd: string): string {
    return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-datomic-pack-"));
    const source = path.join(work, "source");
    fs.cpSync(ROOT, source, {
        recursive: true,
        filter: (file) => !NOT_COPIED.has(path.basename(file)) && !file.endsWith(".tgz"),
    });
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(source, "node_modules"), "dir");
    packed = (
        JSON.parse(
            run("npm", ["pack", "--json", "--loglevel=silent", "--pack-destination", work], source),
        ) as PackResult[]
    )[0];

    consumer = path.join(work, "consumer");
    const installed = path.join(consumer, "node_modules", "pulumi-datomic");
    fs.mkdirSync(installed, { recursive: true });
    fs.mkdirSync(path.join(consumer, "node_modules", ".bin"));
    fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    run("tar", ["-xzf", path.join(work, packed.filename), "-C", installed, "--strip-components=1"], work);
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
        bin: Record<string, string>;
    };
    for (const dependency of Object.keys(manifest.dependencies)) {
        const link = path.join(consumer, "node_modules", dependency);
        fs.mkdirSync(path.dirname(link), { recursive: true });
        fs.symlinkSync(path.join(ROOT, "node_modules", dependency), link, "dir");
    }
    for (const [bin, file] of Object.entries(manifest.bin)) {
        fs.chmodSync(path.join(installed, file), 0o755);
        fs.symlinkSync(path.join("..", "pulumi-datomic", file), path.join(consumer, "node_modules", ".bin", bin));
    }
}, 240_000);

afterAll(() => {
    if (work) {
        fs.rmSync(work, { recursive: true, force: true });
    }
});

describe("npm pack", () => {
    const paths = () => packed.files.map((file) => file.path).sort();

    test("holds the compiled package, its types, the commands, README, CHANGELOG, LICENSE and the guides, and nothing else", () => {
        for (const file of paths()) {
            expect(file).toMatch(
                /^(dist\/(components|plan|cli)\/[\w/.-]+\.(js|d\.ts)|cli\/ionRelease\/driver\.clj|docs\/[\w.-]+\.md|README\.md|CHANGELOG\.md|LICENSE|package\.json)$/,
            );
        }
        // What the README links to relatively ships with it; the examples are linked by absolute URL.
        expect(paths()).toEqual(expect.arrayContaining(["docs/plan.md", "docs/MIGRATION.md"]));
        expect(paths()).toEqual(
            expect.arrayContaining([
                "package.json",
                "README.md",
                "CHANGELOG.md",
                "LICENSE",
                "dist/components/index.js",
                "dist/components/index.d.ts",
                "dist/components/migration/terraformReference.js",
                "dist/cli/plan.js",
                "dist/cli/ion-release.js",
                "dist/cli/transactorRoll.js",
                // The Clojure driver datomic-ion-release runs in one JVM (dist/cli/ionRelease/ionDevProcess.js finds it).
                "cli/ionRelease/driver.clj",
            ]),
        );
    });

    test("leaves out sources, tests, fixtures, the policy pack and the environment program", () => {
        for (const file of paths()) {
            expect(file.endsWith(".ts") && !file.endsWith(".d.ts")).toBe(false);
            expect(file).not.toMatch(/(^|\/)(test|fixtures|plan-fixtures|policy|examples|environment|bench)\//);
            expect(file).not.toMatch(/^(index\.ts|Pulumi\.[\w.]*yaml|tsconfig.*\.json)$/);
        }
    });

    test("every compiled module has its declarations, and main, types and exports point into the tarball", () => {
        const files = new Set(paths());
        for (const file of files) {
            if (file.endsWith(".js")) {
                expect(files.has(file.replace(/\.js$/, ".d.ts"))).toBe(true);
            }
        }
        const manifest = JSON.parse(
            fs.readFileSync(path.join(consumer, "node_modules", "pulumi-datomic", "package.json"), "utf8"),
        );
        expect(files.has(manifest.main)).toBe(true);
        expect(files.has(manifest.types)).toBe(true);
        expect(files.has(manifest.exports["."].default.replace(/^\.\//, ""))).toBe(true);
        expect(files.has(manifest.exports["."].types.replace(/^\.\//, ""))).toBe(true);
        expect(manifest.peerDependenciesMeta["@pulumi/terraform"]).toEqual({ optional: true });
        expect(manifest).toMatchObject({
            repository: { type: "git", url: "git+https://github.com/pulumi-datomic/pulumi-datomic.git" },
            homepage: "https://github.com/pulumi-datomic/pulumi-datomic#readme",
            bugs: { url: "https://github.com/pulumi-datomic/pulumi-datomic/issues" },
        });
        expect(manifest.dependencies["@pulumi/terraform"]).toBeUndefined();
    });
});

describe("the installed tarball", () => {
    let result: ConsumerRun;

    beforeAll(() => {
        const ionProject = path.join(consumer, "ion");
        fs.mkdirSync(path.join(ionProject, "resources", "datomic"), { recursive: true });
        fs.mkdirSync(path.join(ionProject, "src", "orders"), { recursive: true });
        fs.writeFileSync(path.join(ionProject, "deps.edn"), '{:paths ["src" "resources"]}\n');
        fs.writeFileSync(path.join(ionProject, "resources", "datomic", "ion-config.edn"), '{:app-name "orders"}\n');
        fs.writeFileSync(path.join(ionProject, "src", "orders", "core.clj"), "(ns orders.core)\n");
        fs.copyFileSync(path.join(__dirname, "consumer.js"), path.join(consumer, "consumer.js"));
        const output = run(
            "node",
            ["consumer.js", ionProject, path.join(ROOT, "node_modules", "@pulumi", "terraform")],
            consumer,
        );
        result = JSON.parse(output) as ConsumerRun;
    }, 120_000);

    test("constructs every component through require('pulumi-datomic') without a failure", () => {
        expect(result.failures).toEqual([]);
        const components = new Set(result.registered.map((resource) => resource.type));
        for (const type of COMPONENT_TYPES) {
            expect(components.has(type)).toBe(true);
        }
    });

    test("the components register their resources, with the inputs the mocks answered", () => {
        const names = result.registered.map((resource) => `${resource.type}::${resource.name}`);
        expect(names).toEqual(
            expect.arrayContaining([
                "aws:ec2/vpcEndpointService:VpcEndpointService::datomic-endpoint-service",
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::datomic-bastion-ssh-10-200-0-0-16",
                "aws:ec2/vpcEndpoint:VpcEndpoint::client-endpoint",
                "aws:ec2/vpcPeeringConnection:VpcPeeringConnection::peering-connection",
                "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter::accepter-accepter",
                "aws:cloudformation/stack:Stack::orders-stack",
                "aws:iam/policy:Policy::orders-node-policy",
                "aws:apigateway/restApi:RestApi::api-api",
                "command:local:Command::ions-release",
                "aws:dynamodb/table:Table::pro-table",
                "aws:ec2/launchTemplate:LaunchTemplate::pro-launch-template",
                "pulumi:pulumi:StackReference::env",
            ]),
        );
        const stack = result.registered.find((resource) => resource.name === "orders-stack")!;
        expect((stack.inputs.parameters as Record<string, string>).EnvironmentMap).toBe("{:env :prod :retries 3}");
        expect(result.values).toMatchObject({
            endpointServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123",
            environmentVpcId: "vpc-0datomic",
            connectionUriBase: "datomic:ddb://us-east-1/pro/",
        });
        expect(result.values.sourceHash).toMatch(/^[0-9a-f]{64}$/);
    });

    test("IonDeployment runs the datomic-ion-release of the installed package", () => {
        const release = result.registered.find((resource) => resource.name === "ions-release")!;
        const command = String(release.inputs.create);
        const cli = /^node (\S+) /.exec(command)![1];
        expect(path.resolve(consumer, "ion", cli)).toBe(
            path.join(consumer, "node_modules", "pulumi-datomic", "dist", "cli", "ion-release.js"),
        );
    });

    test("DatomicTransactor rolls with the datomic-transactor-roll of the installed package", () => {
        const roll = result.registered.find((resource) => resource.name === "pro-roll")!;
        // Run from the program's directory, where Pulumi runs commands.
        const cli = /^node (\S+) /.exec(String(roll.inputs.create))![1];
        expect(path.resolve(consumer, cli)).toBe(
            path.join(consumer, "node_modules", "pulumi-datomic", "dist", "cli", "transactorRoll.js"),
        );
    });

    test("exports the public surface", () => {
        expect(result.exports).toEqual(
            expect.arrayContaining([
                "DatomicCloudSystem",
                "DatomicSystemReference",
                "DatomicClientEndpoint",
                "DatomicPeering",
                "DatomicPeeringAccepter",
                "HttpDirect",
                "QueryGroup",
                "IonDeployment",
                "DatomicMonitoring",
                "DatomicTransactor",
                "DatomicBackup",
                "TerraformDatomicReference",
                "hashIonSources",
                "parseTransactorProperties",
                "CONTRACT_OUTPUT_NAMES",
            ]),
        );
    });

    test("@pulumi/terraform is optional: missing, the helper says how to add it; installed, it reads the state", () => {
        expect(result.terraformMissing).toBe(
            "TerraformDatomicReference reads Terraform state with @pulumi/terraform, which is not installed; " +
                "add it to the program: npm install @pulumi/terraform@^6",
        );
        expect(result.calls).toContain("terraform:state:getS3Reference");
        expect(result.values).toMatchObject({
            legacySystemName: "acme",
            legacyClientEndpoint: "http://entry.acme.us-east-1.datomic.net:8182",
        });
    });

    test("the README's service programs compile against it, strictly, as a reader's project compiles them", () => {
        const readme = path.join(consumer, "readme");
        fs.mkdirSync(readme);
        const files = Object.entries(servicePrograms()).map(([topology, source]) => {
            const file = path.join(readme, `${topology}.ts`);
            fs.writeFileSync(file, source);
            return file;
        });
        const program = ts.createProgram(files, READER_OPTIONS);
        // pulumi-datomic resolves to the tarball's declarations, not to the sources.
        expect(program.getSourceFiles().map((file) => path.relative(consumer, file.fileName))).toContain(
            path.join("node_modules", "pulumi-datomic", "dist", "components", "index.d.ts"),
        );
        const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
            const where = diagnostic.file
                ? `${path.relative(consumer, diagnostic.file.fileName)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}: `
                : "";
            return where + ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
        });
        expect(problems).toEqual([]);
    }, 120_000);

    test("every TypeScript example of the guides (docs/*.md) compiles against it, strictly", () => {
        const dir = path.join(consumer, "docs-examples");
        fs.mkdirSync(dir);
        const examples = docExamples();
        expect(examples.length).toBeGreaterThan(15);
        const write = (freeNames: string[][], exports: Set<string>) =>
            examples.map((example, index) => {
                const file = path.join(dir, `example${index}.ts`);
                fs.writeFileSync(file, exampleModule(example, freeNames[index], exports));
                return file;
            });
        // A first compile finds the names each example uses without declaring them (what comes before it in a
        // program) and the package's exports; the second, reusing the first's parsed files, checks the examples.
        let files = write(
            examples.map(() => []),
            new Set(),
        );
        const first = ts.createProgram(files, READER_OPTIONS);
        const freeNames = examples.map((): string[] => []);
        for (const diagnostic of ts.getPreEmitDiagnostics(first)) {
            const name = /'(\w+)'/.exec(ts.flattenDiagnosticMessageText(diagnostic.messageText, " "))?.[1];
            const index = diagnostic.file ? files.indexOf(diagnostic.file.fileName) : -1;
            if (FREE_NAME_CODES.has(diagnostic.code) && name && index >= 0) {
                freeNames[index].push(name);
            }
        }
        const entry = first
            .getSourceFiles()
            .find((file) => file.fileName.endsWith("pulumi-datomic/dist/components/index.d.ts"))!;
        const checker = first.getTypeChecker();
        const exports = new Set(
            checker.getExportsOfModule(checker.getSymbolAtLocation(entry)!).map((symbol) => symbol.name),
        );
        files = write(freeNames, exports);
        const program = ts.createProgram(files, READER_OPTIONS, undefined, first);
        const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
            const index = diagnostic.file ? files.indexOf(diagnostic.file.fileName) : -1;
            const where =
                index >= 0
                    ? `${examples[index].where} (example${index}.ts:${diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}): `
                    : "";
            return where + ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
        });
        expect(problems).toEqual([]);
    }, 240_000);

    test.each([
        ["datomic-plan", "--stack <name>"],
        ["datomic-ion-release", "--group <group>"],
        ["datomic-transactor-roll", "--group <name>"],
        ["datomic-restore", "--settings <file>"],
    ])("the packed %s command prints its help", (bin, option) => {
        const help = run(path.join(consumer, "node_modules", ".bin", bin), ["--help"], consumer);
        expect(help).toContain(`Usage: ${bin} [options]`);
        expect(help).toContain(option);
    });
});
