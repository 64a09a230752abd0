/**
 * Loads a program's TypeScript as ts-node does without type checking (each file transpiled on its own with
 * the program's compiler options, as CommonJS), and keeps each file's JavaScript in the nearest
 * node_modules/.cache/datomic-plan/js, keyed by the file's path and content, TypeScript's version and the
 * tsconfig's text. A plan of a program whose files are all cached loads neither TypeScript nor ts-node: the
 * compiler alone takes about as long to load as an empty program's plan spends elsewhere (bench/plan.ts).
 * Files under node_modules are left to Node, as ts-node leaves them.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import Module from "module";
import * as path from "path";
import type * as TypeScript from "typescript";

type Loader = (module: NodeJS.Module & { _compile(code: string, file: string): void }, file: string) => void;

/** The nearest node_modules/.cache/datomic-plan above `dir`, or undefined when there is no node_modules. */
export function cacheDirectoryFor(dir: string): string | undefined {
    for (let current = dir; ; current = path.dirname(current)) {
        if (fs.existsSync(path.join(current, "node_modules"))) {
            return path.join(current, "node_modules", ".cache", "datomic-plan");
        }
        if (path.dirname(current) === current) {
            return undefined;
        }
    }
}

/**
 * From now on, `.ts` files outside node_modules load as transpiled JavaScript, from the cache when it has
 * them. Returns false (registering nothing) when the program has no node_modules to keep a cache in.
 */
export function registerCachedTypeScript(programDir: string, env: NodeJS.ProcessEnv = process.env): boolean {
    const cacheDir = cacheDirectoryFor(programDir);
    if (!cacheDir) {
        return false;
    }
    const typescriptPath = require.resolve("typescript", { paths: [programDir, __dirname] });
    const tsconfigFile = path.resolve(programDir, env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json");
    const settingsKey = hash([
        (
            JSON.parse(fs.readFileSync(path.join(path.dirname(typescriptPath), "..", "package.json"), "utf8")) as {
                version: string;
            }
        ).version,
        fs.existsSync(tsconfigFile) ? fs.readFileSync(tsconfigFile, "utf8") : "",
    ]);
    let compilerOptions: TypeScript.CompilerOptions | undefined;
    let ts: typeof TypeScript | undefined;
    const transpile = (source: string, file: string): string => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        ts ??= require(typescriptPath) as typeof TypeScript;
        compilerOptions ??= programOptions(ts, programDir, tsconfigFile);
        return ts.transpileModule(source, { compilerOptions, fileName: file }).outputText;
    };
    const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;
    extensions[".ts"] = (module, file) => {
        if (file.split(path.sep).includes("node_modules")) {
            return extensions[".js"](module, file);
        }
        const source = fs.readFileSync(file, "utf8");
        const cached = path.join(cacheDir, "js", `${hash([settingsKey, file, source])}.js`);
        let code: string;
        try {
            code = fs.readFileSync(cached, "utf8");
        } catch {
            code = transpile(source, file);
            writeWhole(cached, code);
        }
        module._compile(code, file);
    };
    return true;
}

/** The program's compiler options as ts-node uses them to transpile: CommonJS, no declarations, a source map inline. */
function programOptions(ts: typeof TypeScript, programDir: string, tsconfigFile: string): TypeScript.CompilerOptions {
    let options: TypeScript.CompilerOptions = { target: ts.ScriptTarget.ES2020, esModuleInterop: true };
    if (fs.existsSync(tsconfigFile)) {
        const read = ts.readConfigFile(tsconfigFile, ts.sys.readFile);
        options = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, programDir, undefined, tsconfigFile).options;
    }
    return {
        ...options,
        module: ts.ModuleKind.CommonJS,
        declaration: false,
        noEmit: false,
        sourceMap: false,
        inlineSourceMap: true,
        inlineSources: true,
    };
}

/** Written whole or not at all (a temporary file renamed), so parallel plans never read half a file. */
function writeWhole(file: string, text: string): void {
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, text);
        fs.renameSync(temporary, file);
    } catch {
        // A cache that cannot be written only costs the next plan the transpile.
    }
}

function hash(parts: string[]): string {
    const digest = createHash("sha256");
    for (const part of parts) {
        digest.update(part).update("\0");
    }
    return digest.digest("hex");
}
