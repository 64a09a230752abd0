/**
 * datomic-plan: plans a Pulumi program's stack offline, under Pulumi's mock
 * runtime with the stack's config and lookups answered from a fixture file.
 * No Pulumi CLI and no cloud credentials are needed. With --diff, compares the
 * plan with one written earlier by --json, for reviewing a change. With --state,
 * compares it with the deployed state `pulumi stack export` wrote (plan/state/).
 *
 * `datomic-plan fixtures --from <outputs.json> --stack <org/project/stack>`
 * writes the fixtures a service needs from an environment stack's
 * `pulumi stack output --json`.
 *
 * Before running a TypeScript program, it type-checks it as `pulumi preview` does (plan/typeCheck.ts).
 *
 * Exit codes: 0 the plan (or the diff, whether or not anything changed) was
 * printed; 1 the program failed (a type error, an error, or a lookup no fixture answers), or
 * with --state the engine would refuse a step; 2 bad flags, or a program
 * directory, stack, fixture, base plan or state file that cannot be used.
 */
import { Command, InvalidArgumentError } from "commander";
import * as fs from "fs";
import * as path from "path";
import { diffPlans, parsePlan, PlanDiff, renderPlanDiffText } from "./diff";
import { loadFixtureFile } from "./fixtures";
import { fixturesFromOutputs, parseStackOutputs, renderFixtureFile } from "./fixturesFromOutputs";
import { registerPackageFallback } from "./packageFallback";
import { lookupCallsOf, Plan, renderPlanText, toPlan } from "./render";
import { renderFailure } from "./report";
import { entryPoint, RunProgramOptions, runProgram } from "./runProgram";
import { readProject, readStackConfig } from "./stackConfig";
import { readStateFile, statePreviewOutput } from "./state/command";
import { registerCachedTypeScript } from "./transpileCache";
import { typeCheckProgram } from "./typeCheck";

/** Where the command writes: the process's streams, or a test's buffers. */
export interface CliOutput {
    stdout(text: string): void;
    stderr(text: string): void;
}

interface PlanOptions {
    stack: string;
    dir: string;
    fixtures?: string;
    config?: Record<string, string>;
    json?: string | boolean;
    diff?: string;
    state?: string;
    verbose?: boolean;
    wide?: boolean;
}

const EXIT = { ok: 0, programFailed: 1, usage: 2 } as const;

/**
 * How the program's modules are loaded. By default Node's `require` rooted at the program, with ts-node
 * and the pulumi-datomic fallback registered; a test passes its own module registry instead.
 */
export type ProgramLoader = Pick<RunProgramOptions, "requireModule" | "trapRejections" | "stallAfterMs"> & {
    /** Type-check the program first, as the command does by default; a test's loader skips it unless true. */
    typeCheck?: boolean;
};

/**
 * Runs `datomic-plan` with the arguments after the command's name and returns its exit code; every error
 * is reported on `out.stderr`, none is thrown.
 */
export async function runDatomicPlan(args: string[], out: CliOutput, loader?: ProgramLoader): Promise<number> {
    try {
        return args[0] === "fixtures" ? writeFixtures(args.slice(1), out) : await plan(args, out, loader);
    } catch (error) {
        out.stderr(`datomic-plan: ${error instanceof Error ? error.message : String(error)}\n`);
        return EXIT.usage;
    }
}

async function plan(args: string[], out: CliOutput, loader: ProgramLoader | undefined): Promise<number> {
    const program = new Command()
        .name("datomic-plan")
        .description(
            "Plan a Pulumi stack offline: the resource tree its program would register, from mocks and fixtures.",
        )
        .requiredOption("-s, --stack <name>", "the stack whose Pulumi.<stack>.yaml config to use")
        .option("-d, --dir <path>", "the Pulumi program directory", ".")
        .option("-f, --fixtures <file>", "lookup fixtures (default: <dir>/plan-fixtures/<stack>.yaml)")
        .option(
            "-c, --config <key=value>",
            "set a config value over the stack file's, as pulumi preview --config does (repeatable)",
            collectConfig,
        )
        .option("--json [file]", "write the plan as JSON (to stdout, or to the file); with --diff, the diff to stdout")
        .option("--diff <base.json>", "print what changed since a plan written earlier with --json <file>")
        .option(
            "--state <export.json>",
            "preview against the deployed state that `pulumi stack export` wrote: what will change, not only what exists",
        )
        .option("--verbose", "on failure, also print the errors' stacks and the Pulumi runtime's log")
        .option("--wide", "print every value of the text plan whole (long values are cut by default)")
        .addHelpText(
            "after",
            "\nA TypeScript program is type-checked first, as pulumi preview does (exit 1 on a type error);\n" +
                "PULUMI_NODEJS_TRANSPILE_ONLY=true, or noCheck in its tsconfig, skips the check.\n" +
                "\nFixtures from an environment stack's outputs (see datomic-plan fixtures --help):\n" +
                "  pulumi stack output --json --stack acme/datomic/dev > dev-outputs.json\n" +
                "  datomic-plan fixtures --from dev-outputs.json --stack acme/datomic/dev --out plan-fixtures/dev.yaml\n",
        )
        .showHelpAfterError()
        .configureOutput({ writeOut: out.stdout, writeErr: out.stderr })
        .exitOverride();
    try {
        program.parse(args, { from: "user" });
    } catch (e) {
        const code = (e as { exitCode?: number }).exitCode;
        return code === 0 ? EXIT.ok : EXIT.usage;
    }
    const options = program.opts<PlanOptions>();

    const programDir = path.resolve(options.dir);
    const fixtureFile = path.resolve(
        options.fixtures ?? path.join(programDir, "plan-fixtures", `${options.stack}.yaml`),
    );
    const base = options.diff === undefined ? undefined : readBasePlan(options.diff);
    // Every file is checked before the program is loaded: a mistake in one exits 2 at once, naming it.
    readStackConfig(programDir, readProject(programDir), options.stack, options.config);
    if (options.state !== undefined && base) {
        throw new Error("--state and --diff compare with different things: give one of them");
    }
    const state =
        options.state === undefined
            ? undefined
            : readStateFile(options.state, readProject(programDir).name, options.stack);
    // The default file is optional (a program may make no lookups); a file named with -f must exist.
    const fixtures = loadFixtureFile(fixtureFile, { optional: options.fixtures === undefined });
    if (loader === undefined || loader.typeCheck) {
        const typeErrors = typeCheck(programDir, options.verbose ? out : undefined);
        if (typeErrors) {
            out.stderr(typeErrors);
            return EXIT.programFailed;
        }
    }
    if (!loader) {
        registerTypeScript(programDir, options.verbose ?? false);
        registerPackageFallback();
    }

    const runtimeLog: string[] = [];
    const run = await withRuntimeLogCaptured(runtimeLog, () =>
        withoutStackTraces(!options.verbose, () =>
            runProgram({
                programDir,
                stack: options.stack,
                config: options.config,
                fixtures,
                fixtureSource: path.relative(process.cwd(), fixtureFile) || fixtureFile,
                deployed: state?.deployed,
                fixtureFileMissing: !fs.existsSync(fixtureFile),
                ...loader,
            }),
        ),
    );
    if (run.errors.length > 0) {
        out.stderr(renderFailure(run, options.verbose));
        if (options.verbose) {
            out.stderr(runtimeLog.map((line) => `${line}\n`).join(""));
        }
        return EXIT.programFailed;
    }
    const plan = toPlan(run);
    if (typeof options.json === "string") {
        fs.writeFileSync(options.json, JSON.stringify(plan, null, 2) + "\n");
    }
    if (state) {
        const preview = statePreviewOutput(state, run, options.state!, options.json === true);
        out.stdout(preview.text);
        return preview.refused ? EXIT.programFailed : EXIT.ok;
    }
    if (base) {
        const diff = diffPlans(base.plan, plan);
        out.stdout(options.json === true ? diffJson(diff) : renderPlanDiffText(diff, base.source));
    } else {
        out.stdout(
            options.json === true
                ? JSON.stringify(plan, null, 2) + "\n"
                : renderPlanText(plan, { wide: options.wide, lookupCalls: lookupCallsOf(run) }),
        );
    }
    return EXIT.ok;
}

interface FixturesOptions {
    from: string;
    stack: string;
    out?: string;
}

/** `datomic-plan fixtures`: a service's fixture file from an environment stack's outputs. */
function writeFixtures(args: string[], out: CliOutput): number {
    const command = new Command()
        .name("datomic-plan fixtures")
        .description(
            "Write the fixtures a service's plan needs from `pulumi stack output --json` of the environment stack " +
                "it references. Secret outputs (shown as [secret]) are left out. With --out, an existing file keeps " +
                "its lookups and other stacks; this stack's entry is replaced.",
        )
        .requiredOption("--from <file>", "the JSON `pulumi stack output --json --stack <stack>` printed")
        .requiredOption(
            "-s, --stack <name>",
            "the environment stack, as the service references it: <organization>/<project>/<stack>",
        )
        .option("-o, --out <file>", "the fixture file to write or update (default: print to stdout)")
        .showHelpAfterError()
        .configureOutput({ writeOut: out.stdout, writeErr: out.stderr })
        .exitOverride();
    try {
        command.parse(args, { from: "user" });
    } catch (e) {
        return (e as { exitCode?: number }).exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const options = command.opts<FixturesOptions>();
    let text: string;
    try {
        text = fs.readFileSync(options.from, "utf8");
    } catch (e) {
        throw new Error(`--from: cannot read ${options.from}: ${(e as Error).message}`);
    }
    const outputs = parseStackOutputs(text, options.from);
    const existingText = options.out && fs.existsSync(options.out) ? fs.readFileSync(options.out, "utf8") : undefined;
    const existing = options.out && existingText !== undefined ? loadFixtureFile(options.out) : {};
    const { fixtures, skippedSecrets } = fixturesFromOutputs(options.stack, outputs, existing);
    const yaml = renderFixtureFile(fixtures, options.stack, options.from, existingText);
    if (skippedSecrets.length > 0) {
        out.stderr(
            `datomic-plan fixtures: left out secret output(s) ${skippedSecrets.join(", ")}: ` +
                "secrets never go into a fixture file; if the service reads them, add a stand-in value by hand\n",
        );
    }
    if (options.out) {
        fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
        fs.writeFileSync(options.out, yaml);
        out.stderr(`datomic-plan fixtures: wrote stackReferences.${options.stack} to ${options.out}\n`);
    } else {
        out.stdout(yaml);
    }
    return EXIT.ok;
}

/**
 * Type-checks the program as `pulumi preview` would; returns the report of its errors, if any. With
 * `verbose`, says on stderr how long the check took, or why it was skipped.
 */
function typeCheck(programDir: string, verbose: CliOutput | undefined): string | undefined {
    const entry = path.resolve(programDir, entryPoint(programDir, readProject(programDir)));
    const result = typeCheckProgram(
        programDir,
        fs.statSync(entry, { throwIfNoEntry: false })?.isDirectory() ? path.join(entry, "index.ts") : entry,
    );
    verbose?.stderr(
        result.checked
            ? `datomic-plan: type check ${result.cached ? "(cached) " : ""}took ${(result.milliseconds / 1000).toFixed(2)} s\n`
            : `datomic-plan: no type check: ${result.skippedBecause}\n`,
    );
    if (result.errors.length === 0) {
        return undefined;
    }
    return (
        `datomic-plan: the program has type errors, which pulumi preview would report too ` +
        `(PULUMI_NODEJS_TRANSPILE_ONLY=true turns the check off, as it does for Pulumi):\n` +
        result.errors.map((error) => `  ${error}\n`).join("")
    );
}

function collectConfig(value: string, previous: Record<string, string> = {}): Record<string, string> {
    const separator = value.indexOf("=");
    if (separator <= 0) {
        throw new InvalidArgumentError(`"${value}" is not key=value (for example orders:suffix=alice)`);
    }
    return { ...previous, [value.slice(0, separator)]: value.slice(separator + 1) };
}

function readBasePlan(file: string): { plan: Plan; source: string } {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new Error(`--diff: cannot read ${file}: ${(e as Error).message}`);
    }
    try {
        return { plan: parsePlan(text, file), source: file };
    } catch (e) {
        throw new Error(`--diff: ${(e as Error).message}`);
    }
}

function diffJson(diff: PlanDiff): string {
    return JSON.stringify(diff, null, 2) + "\n";
}

/**
 * Runs `body` with the Pulumi runtime's error log (which, without an engine, it writes to the console)
 * kept in `captured`, and with anything the program prints to stdout sent to stderr, so `--json` output
 * stays parseable.
 */
async function withRuntimeLogCaptured<T>(captured: string[], body: () => Promise<T>): Promise<T> {
    const { error, log, info } = console;
    console.error = (...args: unknown[]) => {
        const line = args.map(String).join(" ");
        if (line.startsWith("error: [runtime]")) {
            captured.push(line);
        } else {
            error(...args);
        }
    };
    console.log = console.info = (...args: unknown[]) => error(...args);
    try {
        return await body();
    } finally {
        Object.assign(console, { error, log, info });
    }
}

/**
 * Runs `body` with no stack traces captured for errors. The Pulumi SDK captures one for every internal
 * promise it creates, and ts-node maps each through source maps: half of a plan's time with a hundred
 * services (bench/plan.ts). A plan prints messages, not stacks; --verbose keeps them.
 */
async function withoutStackTraces<T>(enabled: boolean, body: () => Promise<T>): Promise<T> {
    const limit = Error.stackTraceLimit;
    if (enabled) {
        Error.stackTraceLimit = 0;
    }
    try {
        return await body();
    } finally {
        Error.stackTraceLimit = limit;
    }
}

/**
 * Pulumi TypeScript programs are loaded as ts-node loads them without type checking (the check is made
 * before, plan/typeCheck.ts): from the transpile cache when the program has a node_modules to keep it in,
 * else with ts-node, transpile-only. `sourceMaps` maps errors' stacks to the TypeScript lines.
 */
function registerTypeScript(programDir: string, sourceMaps: boolean): void {
    // `npm run plan` already registers ts-node (node -r ts-node/register/transpile-only); a second
    // registration would compile every file twice.
    if ((process as unknown as Record<symbol, unknown>)[Symbol.for("ts-node.register.instance")]) {
        return;
    }
    if (registerCachedTypeScript(programDir)) {
        // The cached JavaScript carries inline source maps, which Node applies once asked to.
        process.setSourceMapsEnabled(sourceMaps);
        return;
    }
    const tsNode = require.resolve("ts-node", { paths: [programDir, __dirname] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require(tsNode) as typeof import("ts-node")).register({
        transpileOnly: true,
        compilerOptions: { module: "commonjs" },
    });
}
