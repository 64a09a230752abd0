/**
 * A command of this repository compiled to JavaScript, for tests that run it as a process, as the
 * package's users run `dist/cli/*.js`. Through ts-node every such process would spend about a second
 * loading TypeScript and transpiling the same files again.
 *
 * The entry point and the local modules it imports are transpiled as ts-node transpiles them (the
 * repository's tsconfig.json, no type checking) into node_modules/.cache, where Node resolves the
 * repository's dependencies. Files beside them that are not TypeScript (the ion driver, driver.clj)
 * are linked in. A directory holds one state of the sources, named by their hash, so Jest workers
 * share it and an edit gets a fresh one.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "pulumi-datomic-commands");

/** The entry point (relative to the repository) and the local TypeScript files it imports, directly or not. */
function localClosure(entry: string): string[] {
    const found = new Set<string>();
    const visit = (file: string) => {
        if (found.has(file)) {
            return;
        }
        found.add(file);
        const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(ROOT, file), "utf8"));
        for (const { fileName } of importedFiles.filter((imported) => imported.fileName.startsWith("."))) {
            const base = path.join(path.dirname(file), fileName);
            const source = [`${base}.ts`, path.join(base, "index.ts")].find((candidate) =>
                fs.existsSync(path.join(ROOT, candidate)),
            );
            if (source) {
                visit(source);
            }
        }
    };
    visit(path.normalize(entry));
    return [...found].sort();
}

function compilerOptions(): ts.CompilerOptions {
    const configFile = path.join(ROOT, "tsconfig.json");
    const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
    return ts.parseJsonConfigFileContent(config, ts.sys, ROOT).options;
}

/** Compiled paths by entry: the sources are hashed once per process, not once per run of the command. */
const compiledByEntry = new Map<string, string>();

/** The absolute path of `entry` (for example `cli/ion-release.ts`) compiled, compiling it if needed. */
export function compiledCommand(entry: string): string {
    let compiled = compiledByEntry.get(entry);
    if (compiled === undefined) {
        compiled = compile(entry);
        compiledByEntry.set(entry, compiled);
    }
    return compiled;
}

function compile(entry: string): string {
    const sources = localClosure(entry);
    const hash = createHash("sha256").update(ts.version);
    for (const source of sources) {
        hash.update(`${source}\0${fs.readFileSync(path.join(ROOT, source), "utf8")}\0`);
    }
    const target = path.join(CACHE, hash.digest("hex").slice(0, 16));
    const compiled = path.join(target, entry.replace(/\.ts$/, ".js"));
    if (fs.existsSync(compiled)) {
        return compiled;
    }
    const options = compilerOptions();
    fs.mkdirSync(CACHE, { recursive: true });
    const staging = fs.mkdtempSync(`${target}-`);
    for (const source of sources) {
        const output = ts.transpileModule(fs.readFileSync(path.join(ROOT, source), "utf8"), {
            compilerOptions: options,
            fileName: path.join(ROOT, source),
        }).outputText;
        fs.mkdirSync(path.join(staging, path.dirname(source)), { recursive: true });
        fs.writeFileSync(path.join(staging, source.replace(/\.ts$/, ".js")), output);
    }
    for (const directory of new Set(sources.map((source) => path.dirname(source)))) {
        for (const entryName of fs.readdirSync(path.join(ROOT, directory), { withFileTypes: true })) {
            if (entryName.isFile() && !entryName.name.endsWith(".ts")) {
                fs.symlinkSync(
                    path.join(ROOT, directory, entryName.name),
                    path.join(staging, directory, entryName.name),
                );
            }
        }
    }
    try {
        fs.renameSync(staging, target);
    } catch {
        // Another worker compiled the same sources first.
        fs.rmSync(staging, { recursive: true, force: true });
    }
    return compiled;
}
