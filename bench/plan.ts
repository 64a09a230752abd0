/**
 * Benchmark: how long `datomic-plan` takes, and how that grows with the number of services.
 *
 *   npm run bench:plan [-- --runs R] [--quick]
 *
 * Each figure is the wall-clock time of one `datomic-plan` child process, the median of R runs (default
 * 5), all measured in this run. The command is run as a service repository runs it: pulumi-datomic
 * installed as compiled JavaScript (this checkout transpiled into a temporary node_modules, next to links
 * to this repository's dependencies, so every program loads the same @pulumi/aws), the bin
 * `dist/cli/plan.js`, and the program's own TypeScript loaded with ts-node, transpile-only. Cases:
 * - an empty program that only imports @pulumi/aws: the floor every plan pays;
 * - the dev environment stack of this repository (its components compiled from source by ts-node);
 * - synthetic environments with 1, 10 and 100 services, each a QueryGroup, an IonDeployment (its ion
 *   project hashed), a DatomicClientEndpoint and a DatomicPeering, generated in the temporary directory;
 * - for comparison, 10 services with `npm run plan` in this repository, which compiles pulumi-datomic's
 *   TypeScript on every run.
 * The aim: linear growth in services, and 10 services in under twice the empty program's time.
 * `--quick` (what test/bench runs): 1 and 2 services, one run of each case, no warm-up run and no type
 * check; its figures mean nothing.
 *
 * These figures are of plans without the type check (PULUMI_NODEJS_TRANSPILE_ONLY=true), which is its own
 * figure: the dev stack's check from a cold cache and again with the cache (plan/typeCheck.ts), as
 * `datomic-plan --verbose` reports them.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { isQuick, Log, numberOption, runAsScript } from "./options";

const REPO = path.resolve(__dirname, "..");

interface PlanBenchmarkOptions {
    runs: number;
    serviceCounts: number[];
    /** Whether a first, untimed run of each case warms the file system cache. */
    warmUp: boolean;
    /** Whether the type check is measured (cold, about 10 s, then cached). */
    typeCheck: boolean;
}

function planBenchmarkOptions(argv: readonly string[]): PlanBenchmarkOptions {
    const quick = isQuick(argv);
    return {
        runs: numberOption(argv, "--runs", quick ? 1 : 5),
        serviceCounts: quick ? [1, 2] : [1, 10, 100],
        warmUp: !quick,
        typeCheck: !quick,
    };
}

/** The plan figures leave the type check out; typeCheckFigures measures it. */
const WITHOUT_TYPE_CHECK = { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" };

interface Case {
    label: string;
    dir: string;
    stack: string;
    /** The CLI's entry and how Node loads it. */
    cli: string[];
}

interface Figures {
    label: string;
    resources: number;
    median: number;
    min: number;
    max: number;
}

function planOnce(target: Case, jsonFile?: string): Promise<number> {
    const started = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
        const child = spawn(
            process.execPath,
            [
                ...target.cli,
                ...["--dir", target.dir, "--stack", target.stack],
                ...(jsonFile ? ["--json", jsonFile] : []),
            ],
            { cwd: REPO, stdio: ["ignore", "ignore", "pipe"], env: WITHOUT_TYPE_CHECK },
        );
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("error", reject);
        child.on("exit", (code) => {
            const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
            if (code === 0) {
                resolve(elapsed);
            } else {
                reject(new Error(`${target.label}: datomic-plan exited ${code}:\n${stderr}`));
            }
        });
    });
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** An ion project of a few files, like a small service's. */
function writeIonProject(dir: string): void {
    fs.mkdirSync(path.join(dir, "src", "svc"), { recursive: true });
    fs.mkdirSync(path.join(dir, "resources", "datomic"), { recursive: true });
    fs.writeFileSync(
        path.join(dir, "deps.edn"),
        '{:paths ["src" "resources"] :deps {com.datomic/ion {:mvn/version "1.0.71"}}}\n',
    );
    fs.writeFileSync(
        path.join(dir, "resources", "datomic", "ion-config.edn"),
        '{:app-name "svc" :lambdas {:hello {:fn svc.core/hello}}}\n',
    );
    for (const name of ["core", "db", "http"]) {
        fs.writeFileSync(path.join(dir, "src", "svc", `${name}.clj`), `(ns svc.${name})\n\n(defn hello [_] "hi")\n`);
    }
}

/** The nlb environment of the stage fixtures, so every component has what it reads. */
const ENVIRONMENT = {
    flavor: "cloud",
    region: "us-west-2",
    accountId: "222222222222",
    systemName: "acme-stage",
    topology: "nlb",
    release: "535-8812",
    vpcId: "vpc-0c3a5e7f9b1d24680",
    vpcCidrBlock: "10.213.0.0/16",
    subnetCidrBlocks: ["10.213.32.0/20", "10.213.64.0/20", "10.213.96.0/20"],
    routeTableIds: ["rtb-0f1e2d3c4b5a69788"],
    nodeSecurityGroupId: "sg-0b7c8d9e0f1a2b3c4",
    endpointServiceName: "com.amazonaws.vpce.us-west-2.vpce-svc-0e4d2c1b3a5f69788",
    clientEndpoint: "http://entry.acme-stage.us-west-2.datomic.net:8182",
};

const SERVICES_PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { DatomicClientEndpoint, DatomicPeering, DatomicSystemReference, IonDeployment, QueryGroup } from "pulumi-datomic";

const services = new pulumi.Config().requireNumber("services");
const datomic = new DatomicSystemReference("datomic", { stack: "acme/datomic/bench" });
const hex = (i: number, width: number) => i.toString(16).padStart(width, "0");

for (let i = 0; i < services; i++) {
    const name = \`svc\${i}\`;
    const block = \`172.\${16 + Math.floor(i / 256)}.\${i % 256}.0/24\`;
    const vpcId = \`vpc-0\${hex(i, 16)}\`;
    const group = new QueryGroup(name, {
        systemName: datomic.systemName,
        systemRelease: datomic.release,
        applicationName: name,
        instanceType: "t3.large",
        keyName: "bench",
    });
    new IonDeployment(\`\${name}-ions\`, {
        projectDir: "ion",
        group: group.deploymentGroup,
        groupStackId: group.stackId,
        region: datomic.region,
    });
    new DatomicClientEndpoint(name, {
        vpcId,
        subnetIds: [\`subnet-0\${hex(i, 15)}a\`, \`subnet-0\${hex(i, 15)}b\`],
        endpointServiceName: datomic.endpointServiceName,
        allowedCidrs: [block],
    });
    new DatomicPeering(name, {
        datomicVpcId: datomic.vpcId,
        datomicVpcCidrBlock: datomic.vpcCidrBlock,
        datomicRouteTableIds: datomic.routeTableIds,
        datomicNodeSecurityGroupId: datomic.nodeSecurityGroupId,
        peerVpcId: vpcId,
        peerVpcCidrBlocks: [block],
        peerRouteTableIds: [\`rtb-0\${hex(i, 16)}\`],
        ingress: [{ direction: "datomic-to-peer", port: 6379, peerSecurityGroupId: \`sg-0\${hex(i, 16)}\` }],
    });
}
`;

/**
 * `<root>/node_modules`: pulumi-datomic as npm would install it (package.json and the JavaScript of
 * tsconfig.build.json's files, transpiled), and links to this repository's dependencies.
 * Returns the installed `datomic-plan` bin.
 */
function installPackage(root: string): string {
    const modules = path.join(root, "node_modules");
    fs.mkdirSync(modules);
    for (const entry of fs.readdirSync(path.join(REPO, "node_modules"))) {
        if (!entry.startsWith(".")) {
            fs.symlinkSync(path.join(REPO, "node_modules", entry), path.join(modules, entry));
        }
    }
    const installed = path.join(modules, "pulumi-datomic");
    fs.mkdirSync(installed);
    fs.copyFileSync(path.join(REPO, "package.json"), path.join(installed, "package.json"));
    const config = ts.readConfigFile(path.join(REPO, "tsconfig.build.json"), ts.sys.readFile).config;
    const { options, fileNames } = ts.parseJsonConfigFileContent(config, ts.sys, REPO);
    for (const file of fileNames) {
        const { outputText } = ts.transpileModule(fs.readFileSync(file, "utf8"), {
            compilerOptions: { ...options, sourceMap: false, declaration: false },
            fileName: file,
        });
        const output = path.join(installed, "dist", path.relative(REPO, file)).replace(/\.ts$/, ".js");
        fs.mkdirSync(path.dirname(output), { recursive: true });
        fs.writeFileSync(output, outputText);
    }
    return path.join(installed, "dist", "cli", "plan.js");
}

function writePrograms(root: string, serviceCounts: number[]): Case[] {
    const installedCli = [installPackage(root)];
    const sourceCli = ["-r", require.resolve("ts-node/register/transpile-only"), path.join(REPO, "cli", "plan.ts")];

    const empty = path.join(root, "empty");
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(empty, "Pulumi.yaml"), "name: empty\nruntime: nodejs\n");
    fs.writeFileSync(path.join(empty, "Pulumi.bench.yaml"), "config:\n  aws:region: us-west-2\n");
    fs.writeFileSync(path.join(empty, "index.ts"), 'import "@pulumi/aws";\n');

    const services = path.join(root, "services");
    fs.mkdirSync(path.join(services, "plan-fixtures"), { recursive: true });
    writeIonProject(path.join(services, "ion"));
    fs.writeFileSync(path.join(services, "Pulumi.yaml"), "name: services\nruntime: nodejs\n");
    fs.writeFileSync(path.join(services, "index.ts"), SERVICES_PROGRAM);
    const fixtures = JSON.stringify({
        accountId: "222222222222",
        stackReferences: { "acme/datomic/bench": ENVIRONMENT },
    });
    for (const count of serviceCounts) {
        const stack = `services-${count}`;
        fs.writeFileSync(
            path.join(services, `Pulumi.${stack}.yaml`),
            `config:\n  aws:region: us-west-2\n  services:services: ${count}\n`,
        );
        // JSON is YAML.
        fs.writeFileSync(path.join(services, "plan-fixtures", `${stack}.yaml`), fixtures);
    }
    const largest = serviceCounts[Math.min(1, serviceCounts.length - 1)];
    return [
        { label: "empty program (imports @pulumi/aws)", dir: empty, stack: "bench", cli: installedCli },
        { label: "dev environment stack", dir: REPO, stack: "dev", cli: installedCli },
        ...serviceCounts.map((count) => ({
            label: `${count} service${count === 1 ? "" : "s"}`,
            dir: services,
            stack: `services-${count}`,
            cli: installedCli,
        })),
        {
            label: `${largest} services, npm run plan (from source)`,
            dir: services,
            stack: `services-${largest}`,
            cli: sourceCli,
        },
    ];
}

/** Runs the benchmark with the options of `argv` and prints its figures through `log`. */
export async function runPlanBenchmark(argv: readonly string[], log: Log = console.log): Promise<void> {
    const options = planBenchmarkOptions(argv);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "bench-datomic-plan-"));
    try {
        const cases = writePrograms(root, options.serviceCounts);
        // A first run of each gives the resource count; in full runs it is untimed and warms the file
        // system cache.
        const resources: number[] = [];
        const times: number[][] = cases.map(() => []);
        for (const [index, target] of cases.entries()) {
            const jsonFile = path.join(root, "plan.json");
            const elapsed = await planOnce(target, jsonFile);
            if (!options.warmUp) {
                times[index].push(elapsed);
            }
            resources.push(
                (JSON.parse(fs.readFileSync(jsonFile, "utf8")) as { resources: unknown[] }).resources.length,
            );
        }
        // Round robin, so that a noisy moment of the machine weighs on every case alike.
        for (let run = options.warmUp ? 0 : 1; run < options.runs; run++) {
            for (const [index, target] of cases.entries()) {
                times[index].push(await planOnce(target));
            }
        }
        const figures = cases.map((target, index) => ({
            label: target.label,
            resources: resources[index],
            median: median(times[index]),
            min: Math.min(...times[index]),
            max: Math.max(...times[index]),
        }));
        report(figures, options, log);
        if (options.typeCheck) {
            await typeCheckFigures(cases[1], log);
        }
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
}

/** The type check of `target` (as `datomic-plan --verbose` reports it): from a cold cache, then cached. */
async function typeCheckFigures(target: Case, log: Log): Promise<void> {
    fs.rmSync(path.join(REPO, "node_modules", ".cache", "datomic-plan"), { recursive: true, force: true });
    const checkOnce = () =>
        new Promise<string>((resolve, reject) => {
            const env = { ...process.env };
            delete env.PULUMI_NODEJS_TRANSPILE_ONLY;
            const child = spawn(
                process.execPath,
                [...target.cli, "--dir", target.dir, "--stack", target.stack, "--verbose"],
                { cwd: REPO, stdio: ["ignore", "ignore", "pipe"], env },
            );
            let stderr = "";
            child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
            child.on("error", reject);
            child.on("exit", () => resolve(/type check (?:\(cached\) )?took ([\d.]+ s)/.exec(stderr)?.[1] ?? stderr));
        });
    const cold = await checkOnce();
    const cached = await checkOnce();
    log(`type check of the ${target.label}: ${cold} from a cold cache, ${cached} cached`);
}

function report(figures: Figures[], options: PlanBenchmarkOptions, log: Log): void {
    const empty = figures[0].median;
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    log(`datomic-plan, median of ${options.runs} runs each (one child process per run), ${os.cpus().length} CPUs\n`);
    log(
        "case".padEnd(38) +
            "resources".padStart(10) +
            "median".padStart(10) +
            "min".padStart(10) +
            "max".padStart(10) +
            "   x empty",
    );
    for (const row of figures) {
        log(
            row.label.padEnd(38) +
                String(row.resources).padStart(10) +
                seconds(row.median).padStart(10) +
                seconds(row.min).padStart(10) +
                seconds(row.max).padStart(10) +
                `   ${(row.median / empty).toFixed(2)}`,
        );
    }
    const counts = options.serviceCounts;
    const byCount = counts.map((count) => figures.find((f) => f.label.startsWith(`${count} service`))!);
    const steps = counts.slice(1).map((count, index) => {
        const perService = (byCount[index + 1].median - byCount[index].median) / (count - counts[index]);
        return `${perService.toFixed(0)} ms from ${counts[index]} to ${count}`;
    });
    log(`\nper service: ${steps.join(", ")} (linear growth keeps these close)`);
    const [, second] = byCount;
    log(
        `${counts[1]} services / empty program: ${(second.median / empty).toFixed(2)} (aim for 10: under 2) -> ` +
            `${second.median < 2 * empty ? "met" : "missed"}`,
    );
}

runAsScript(module, () => runPlanBenchmark(process.argv.slice(2)));
