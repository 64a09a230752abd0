/**
 * The type check `pulumi preview` makes before it runs a TypeScript program, made here too so a plan
 * fails where the preview would. Pulumi's Node.js runner loads TypeScript with ts-node, checking types
 * unless `PULUMI_NODEJS_TRANSPILE_ONLY` says otherwise ("true" turns it off, any other value keeps it) or,
 * without that variable, the tsconfig's `compilerOptions.noCheck` is true; it reads the tsconfig named by
 * `PULUMI_NODEJS_TSCONFIG_PATH`, else `tsconfig.json` in the program directory
 * (pulumi/pulumi sdk/nodejs/cmd/run/run.ts, as shipped in @pulumi/pulumi 3.248 cmd/run/run.js). ts-node's
 * own `"ts-node": { "transpileOnly": true }` in the tsconfig turns it off as well. Like ts-node, the check
 * covers the entry point and what it imports, not every file the tsconfig includes.
 *
 * The result is cached in the nearest node_modules/.cache/datomic-plan, keyed by the TypeScript version,
 * the compiler options, the program's package.json and package-lock.json, and the content of every
 * source file the check read outside node_modules: an unchanged program is not checked twice.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type * as TypeScript from "typescript";
import { PACKAGE_NAME } from "./packageFallback";
import { cacheDirectoryFor } from "./transpileCache";

/** What a type check found. */
export interface TypeCheckResult {
    /** False when the program turns checking off, or is JavaScript. */
    checked: boolean;
    /** Why it was not checked, when it was not. */
    skippedBecause?: string;
    /** Each error as `file:line:column - error TSnnnn: message`, paths relative to the program directory. */
    errors: string[];
    /** True when the result came from the cache. */
    cached: boolean;
    /** Wall-clock milliseconds the check (or the cache look-up) took. */
    milliseconds: number;
}

interface CacheEntry {
    fingerprint: string;
    /** sha256 of each source file read, by absolute path. */
    files: Record<string, string>;
    errors: string[];
}

/** Options of {@link typeCheckProgram}. */
export interface TypeCheckOptions {
    /** The environment whose Pulumi variables decide (default `process.env`). */
    env?: NodeJS.ProcessEnv;
    /** Where `pulumi-datomic` resolves when the program has not installed it (this package's entry). */
    packageFallback?: string;
}

/**
 * The program's own TypeScript, as Pulumi uses it (else this package's), loaded only when a check runs: a
 * plan that skips the check does not pay for loading the compiler.
 */
let ts: typeof TypeScript;
function loadTypeScript(programDir: string): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ts = require(require.resolve("typescript", { paths: [programDir, __dirname] })) as typeof TypeScript;
}

/** Type-checks the program whose entry point is `entry`, as `pulumi preview` would. */
export function typeCheckProgram(programDir: string, entry: string, options: TypeCheckOptions = {}): TypeCheckResult {
    const started = Date.now();
    const env = options.env ?? process.env;
    const skip = (skippedBecause: string): TypeCheckResult => ({
        checked: false,
        skippedBecause,
        errors: [],
        cached: false,
        milliseconds: Date.now() - started,
    });
    if (!/\.[cm]?tsx?$/.test(entry)) {
        return skip("the program is JavaScript");
    }
    const transpileOnly = env.PULUMI_NODEJS_TRANSPILE_ONLY;
    const decidedByEnv = transpileOnly !== undefined && transpileOnly !== "";
    if (decidedByEnv && transpileOnly === "true") {
        return skip("PULUMI_NODEJS_TRANSPILE_ONLY is true");
    }
    loadTypeScript(programDir);
    const tsconfigFile = path.resolve(programDir, env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json");
    const config = readCompilerOptions(programDir, tsconfigFile);
    // The variable, when set, decides over the tsconfig (run.ts reads it first).
    if (!decidedByEnv && config.options.noCheck) {
        return skip(`${path.relative(programDir, tsconfigFile)} sets noCheck`);
    }
    if (!decidedByEnv && config.tsNodeTranspileOnly) {
        return skip(`${path.relative(programDir, tsconfigFile)} sets ts-node's transpileOnly`);
    }
    const compilerOptions = withPackageFallback(
        // noCheck would make the compiler skip the check too, once the variable has asked for it.
        { ...config.options, noCheck: false, noEmit: true, incremental: false, composite: false, declaration: false },
        entry,
        options.packageFallback ?? path.resolve(__dirname, "..", "components", "index"),
    );
    const fingerprint = hash([
        ts.version,
        JSON.stringify(compilerOptions),
        ...["package.json", "package-lock.json"].map((file) => readOrEmpty(path.join(programDir, file))),
        entry,
    ]);
    const cacheFile = cacheFileFor(programDir);
    const cachedEntry = readCache(cacheFile);
    if (cachedEntry && cachedEntry.fingerprint === fingerprint && unchanged(cachedEntry.files)) {
        return { checked: true, errors: cachedEntry.errors, cached: true, milliseconds: Date.now() - started };
    }
    const program = ts.createProgram([entry], compilerOptions);
    const ownFiles = program.getSourceFiles().filter((file) => !isDependency(file.fileName));
    const diagnostics = [
        ...program.getOptionsDiagnostics(),
        ...program.getGlobalDiagnostics(),
        ...ownFiles.flatMap((file) => [
            ...program.getSyntacticDiagnostics(file),
            ...program.getSemanticDiagnostics(file),
        ]),
    ];
    const errors = diagnostics
        .filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error)
        .map((diagnostic) => describe(diagnostic, programDir));
    const files = Object.fromEntries(ownFiles.map((file) => [file.fileName, hash([readOrEmpty(file.fileName)])]));
    writeCache(cacheFile, { fingerprint, files, errors });
    return { checked: true, errors, cached: false, milliseconds: Date.now() - started };
}

function readCompilerOptions(
    programDir: string,
    tsconfigFile: string,
): { options: TypeScript.CompilerOptions & { noCheck?: boolean }; tsNodeTranspileOnly: boolean } {
    if (!fs.existsSync(tsconfigFile)) {
        // Pulumi runs ts-node without a project then (skipProject): ts-node's defaults, CommonJS.
        return {
            options: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
            tsNodeTranspileOnly: false,
        };
    }
    const read = ts.readConfigFile(tsconfigFile, ts.sys.readFile);
    if (read.error) {
        throw new Error(`${tsconfigFile}: ${ts.flattenDiagnosticMessageText(read.error.messageText, "\n")}`);
    }
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, programDir, undefined, tsconfigFile);
    const tsNode = (read.config as { "ts-node"?: { transpileOnly?: unknown } })["ts-node"];
    return { options: parsed.options, tsNodeTranspileOnly: tsNode?.transpileOnly === true };
}

/** The options with `pulumi-datomic` mapped to `fallback` when the program cannot resolve it itself. */
function withPackageFallback(
    options: TypeScript.CompilerOptions,
    entry: string,
    fallback: string,
): TypeScript.CompilerOptions {
    if (ts.resolveModuleName(PACKAGE_NAME, entry, options, ts.sys).resolvedModule) {
        return options;
    }
    return { ...options, paths: { ...options.paths, [PACKAGE_NAME]: [fallback] } };
}

function describe(diagnostic: TypeScript.Diagnostic, programDir: string): string {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n    ");
    if (!diagnostic.file || diagnostic.start === undefined) {
        return `error TS${diagnostic.code}: ${message}`;
    }
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const file = path.relative(programDir, diagnostic.file.fileName).split(path.sep).join("/");
    return `${file}:${line + 1}:${character + 1} - error TS${diagnostic.code}: ${message}`;
}

function isDependency(file: string): boolean {
    return file.split(/[\\/]/).includes("node_modules");
}

function unchanged(files: Record<string, string>): boolean {
    return Object.entries(files).every(([file, digest]) => fs.existsSync(file) && hash([readOrEmpty(file)]) === digest);
}

/** The program's cache file, in the nearest node_modules above it. */
function cacheFileFor(programDir: string): string | undefined {
    const dir = cacheDirectoryFor(programDir);
    return dir && path.join(dir, `typecheck-${hash([programDir]).slice(0, 16)}.json`);
}

function readCache(file: string | undefined): CacheEntry | undefined {
    try {
        return file ? (JSON.parse(fs.readFileSync(file, "utf8")) as CacheEntry) : undefined;
    } catch {
        return undefined;
    }
}

/** Written whole or not at all (a temporary file renamed), so parallel plans never read half an entry. */
function writeCache(file: string | undefined, entry: CacheEntry): void {
    if (!file) {
        return;
    }
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, JSON.stringify(entry));
        fs.renameSync(temporary, file);
    } catch {
        // A cache that cannot be written only costs the next run its check.
    }
}

function readOrEmpty(file: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch {
        return "";
    }
}

function hash(parts: string[]): string {
    const digest = createHash("sha256");
    for (const part of parts) {
        digest.update(part).update("\0");
    }
    return digest.digest("hex");
}
