/**
 * The content hash of an ion project: what decides whether an ion is deployed again.
 *
 * It finds what the ion's classpath holds by itself, as ion push does from deps.edn
 * ("the tools.deps classpath is the source of truth for an ion revision", Datomic's ions
 * reference, docs.datomic.com/ions/ions-reference.html): the project's `:paths` (default
 * `["src"]`; a keyword entry names an alias holding paths), the `:extra-paths` and
 * `:paths`/`:replace-paths` of the aliases the ion uses, the paths of `:local/root`
 * dependencies, `resources/`, deps.edn itself and the `datomic/ion-config.edn` resource.
 *
 * The hash covers sorted relative POSIX paths, each file's contents and its executable bit,
 * so it is the same on every machine and in every run: independent of modification times,
 * of where the tree lives and of the order a directory walk returns. Files git ignores are
 * left out (a laptop's editor backups must not redeploy what CI would not), which also means
 * ignored files on the classpath are not hashed; name them with `include` when they matter.
 * Contents are streamed into the hash, never buffered whole.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import ignore, { Ignore } from "ignore";
import picomatch from "picomatch";
import { readClasspath } from "./depsEdn";

/** Options of {@link hashIonSources}. */
export interface HashIonSourcesOptions {
    /**
     * deps.edn aliases whose paths are on the ion's classpath, with or without the colon
     * (`"prod"` or `":prod"`). Their `:extra-paths` are added and their `:paths` / `:replace-paths`
     * replace the project's `:paths`, as the Clojure CLI does. Default: none.
     */
    aliases?: string[];
    /** Globs (picomatch, relative to the project directory and inside it) of further files to hash, even when git ignores them. */
    include?: string[];
    /** Globs of files to leave out. deps.edn and ion-config.edn are always hashed. */
    exclude?: string[];
    /** Leave out what `.gitignore` files (nested ones too) and `.git/info/exclude` ignore. Default true. */
    gitignore?: boolean;
    /** How many files are read at the same time. Default 16. */
    concurrency?: number;
}

/** One hashed file. */
export interface HashedIonFile {
    /** Relative to the project directory, with `/` separators (`../` for local dependencies outside it). */
    readonly path: string;
    /** The owner's execute permission, the bit git records as mode 100755. */
    readonly executable: boolean;
    /** Size in bytes. */
    readonly size: number;
    /** SHA-256 of the contents, hex. */
    readonly sha256: string;
}

/** The result of {@link hashIonSources}. */
export interface IonSourceHash {
    /** SHA-256 (hex) over every file's path, executable bit and contents. */
    readonly hash: string;
    /** The files hashed, sorted by path: for diagnostics ("why did this redeploy?"). */
    readonly files: HashedIonFile[];
    /** The classpath directories found (relative POSIX paths), in classpath order. */
    readonly classpathRoots: string[];
    /** Classpath entries deps.edn names that do not exist. */
    readonly missingRoots: string[];
    /** The `datomic/ion-config.edn` resource ion-dev will read, if any. */
    readonly ionConfig?: string;
}

/** The resource ion-dev reads from the classpath (ions reference, "Project Structure"). */
export const ION_CONFIG_RESOURCE = "datomic/ion-config.edn";

const FORMAT_TAG = "datomic-ion-sources/1\n";
const DEFAULT_CONCURRENCY = 16;

/**
 * Hashes the sources of the ion project in `dir`: deterministic across machines and runs.
 * Rejects when `dir` has no deps.edn, deps.edn does not parse, an alias in `options.aliases`
 * does not exist, or a file changes while it is read.
 */
export async function hashIonSources(dir: string, options: HashIonSourcesOptions = {}): Promise<IonSourceHash> {
    const projectDir = path.resolve(dir);
    const useGitignore = options.gitignore ?? true;
    for (const [name, globs] of [
        ["include", options.include],
        ["exclude", options.exclude],
    ] as const) {
        const negated = (globs ?? []).find((glob) => glob.startsWith("!"));
        if (negated) {
            throw new Error(`${name}: "${negated}" is a negated glob; list files to leave out in exclude instead`);
        }
    }
    const outside = (options.include ?? []).find((glob) => !isInside(projectDir, includeBase(projectDir, glob)));
    if (outside) {
        // The hash names files relative to the project; a file outside it is not the ion's source, and
        // `../**` would walk whatever lies beside the project.
        throw new Error(
            `include: "${outside}" reaches outside the project directory ${projectDir}; ` +
                'include takes globs inside the project, such as "config/**" (a :local/root dependency\'s sources are hashed already)',
        );
    }

    const classpath = readClasspath(projectDir, options.aliases ?? []);
    const resources = path.join(projectDir, "resources");
    const roots = [...new Set([...classpath.roots, resources])];
    const found = new Map<string, string>();
    const missingRoots: string[] = [];
    const walker = new TreeWalker(useGitignore);
    for (const root of roots) {
        const stat = await statOrUndefined(root);
        if (!stat) {
            if (root !== resources) {
                missingRoots.push(relativePosix(projectDir, root));
            }
            continue;
        }
        if (stat.isFile()) {
            found.set(relativePosix(projectDir, root), root);
            continue;
        }
        await walker.walkRoot(root, ignoreBase(root, classpath.projectOf(root)), (file) =>
            found.set(relativePosix(projectDir, file), file),
        );
    }
    for (const glob of options.include ?? []) {
        const matches = picomatch(glob, { dot: true });
        const base = includeBase(projectDir, glob);
        if (await statOrUndefined(base)) {
            await new TreeWalker(false).walkRoot(base, base, (file) => {
                const relative = relativePosix(projectDir, file);
                if (matches(relative)) {
                    found.set(relative, file);
                }
            });
        }
    }
    if (options.exclude?.length) {
        const excluded = picomatch(options.exclude, { dot: true });
        for (const relative of [...found.keys()]) {
            if (excluded(relative)) {
                found.delete(relative);
            }
        }
    }
    // What ion-dev itself reads is always part of the hash.
    const ionConfig = await findIonConfig(classpath.roots);
    for (const essential of [...classpath.depsFiles, ...(ionConfig ? [ionConfig] : [])]) {
        found.set(relativePosix(projectDir, essential), essential);
    }

    const paths = [...found.keys()].sort(compareCodeUnits);
    const files = await mapConcurrently(paths, options.concurrency ?? DEFAULT_CONCURRENCY, (relative) =>
        hashFile(relative, found.get(relative)!),
    );
    const digest = createHash("sha256").update(FORMAT_TAG);
    for (const file of files) {
        digest.update(`${file.executable ? "x" : "-"} ${file.sha256} ${file.path}\0`);
    }
    return {
        hash: digest.digest("hex"),
        files,
        classpathRoots: classpath.roots.map((root) => relativePosix(projectDir, root)),
        missingRoots,
        ionConfig: ionConfig ? relativePosix(projectDir, ionConfig) : undefined,
    };
}

/** The directory .gitignore rules are read from for `root`: its project's git work tree, or the project. */
function ignoreBase(root: string, projectDir: string): string {
    const base = gitWorkTree(projectDir) ?? projectDir;
    if (isInside(base, root)) {
        return base;
    }
    return gitWorkTree(root) ?? root;
}

function gitWorkTree(start: string): string | undefined {
    for (let dir = start; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, ".git"))) {
            return dir;
        }
        if (path.dirname(dir) === dir) {
            return undefined;
        }
    }
}

interface RuleSet {
    readonly dir: string;
    readonly rules: Ignore;
}

/** Walks directories, applying .gitignore files as git does: deeper files win, ignored directories are pruned. */
class TreeWalker {
    private readonly seenDirectories = new Set<string>();

    constructor(private readonly useGitignore: boolean) {}

    /** Calls `onFile` for every file under `root` that is not ignored, `root` itself being checked against `base`'s rules. */
    public async walkRoot(root: string, base: string, onFile: (file: string) => void): Promise<void> {
        let ruleSets: RuleSet[] = [];
        if (this.useGitignore) {
            const exclude = await readRules(path.join(base, ".git", "info", "exclude"), base);
            ruleSets = exclude ? [exclude] : [];
            const chain = ancestorsFrom(base, root);
            for (const [index, dir] of chain.entries()) {
                if (index > 0 && isIgnored(ruleSets, dir, true)) {
                    return;
                }
                ruleSets = await withRulesOf(ruleSets, dir);
            }
        }
        await this.walk(root, ruleSets, onFile);
    }

    private async walk(dir: string, ruleSets: RuleSet[], onFile: (file: string) => void): Promise<void> {
        const real = await fs.promises.realpath(dir);
        if (this.seenDirectories.has(real)) {
            return; // a symbolic link loop, or a directory reached twice
        }
        this.seenDirectories.add(real);
        const entries = await fs.promises.readdir(dir, { withFileTypes: true });
        for (const entry of entries) {
            if (entry.name === ".git") {
                continue;
            }
            const full = path.join(dir, entry.name);
            let isDirectory = entry.isDirectory();
            let isFile = entry.isFile();
            if (entry.isSymbolicLink()) {
                const target = await statOrUndefined(full);
                isDirectory = target?.isDirectory() ?? false;
                isFile = target?.isFile() ?? false;
            }
            if (!isDirectory && !isFile) {
                continue; // sockets, fifos, dangling links
            }
            if (this.useGitignore && isIgnored(ruleSets, full, isDirectory)) {
                continue;
            }
            if (isDirectory) {
                await this.walk(full, this.useGitignore ? await withRulesOf(ruleSets, full) : ruleSets, onFile);
            } else {
                onFile(full);
            }
        }
    }
}

async function withRulesOf(ruleSets: RuleSet[], dir: string): Promise<RuleSet[]> {
    const own = await readRules(path.join(dir, ".gitignore"), dir);
    return own ? [...ruleSets, own] : ruleSets;
}

async function readRules(file: string, dir: string): Promise<RuleSet | undefined> {
    try {
        return { dir, rules: ignore({ ignorecase: false }).add(await fs.promises.readFile(file, "utf8")) };
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") {
            return undefined;
        }
        throw e;
    }
}

/** Git's precedence: rules of deeper directories, and later rules, override earlier ones. */
function isIgnored(ruleSets: RuleSet[], file: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const { dir, rules } of ruleSets) {
        const relative = relativePosix(dir, file) + (isDirectory ? "/" : "");
        const verdict = rules.test(relative);
        if (verdict.ignored) {
            ignored = true;
        } else if (verdict.unignored) {
            ignored = false;
        }
    }
    return ignored;
}

/** `base`, then each directory below it down to `target` (inclusive). */
function ancestorsFrom(base: string, target: string): string[] {
    const chain = [base];
    const relative = path.relative(base, target);
    let current = base;
    for (const part of relative ? relative.split(path.sep) : []) {
        current = path.join(current, part);
        chain.push(current);
    }
    return chain;
}

async function findIonConfig(roots: string[]): Promise<string | undefined> {
    for (const root of roots) {
        const candidate = path.join(root, ...ION_CONFIG_RESOURCE.split("/"));
        if ((await statOrUndefined(candidate))?.isFile()) {
            return candidate;
        }
    }
    return undefined;
}

function hashFile(relative: string, file: string): Promise<HashedIonFile> {
    return new Promise((resolve, reject) => {
        fs.stat(file, (statError, stat) => {
            if (statError) {
                reject(statError);
                return;
            }
            const digest = createHash("sha256");
            let size = 0;
            fs.createReadStream(file, { highWaterMark: 256 * 1024 })
                .on("data", (chunk) => {
                    size += chunk.length;
                    digest.update(chunk);
                })
                .on("error", reject)
                .on("end", () => {
                    if (size !== stat.size) {
                        reject(new Error(`${relative} changed while it was being hashed; run again`));
                        return;
                    }
                    resolve({
                        path: relative,
                        executable: (stat.mode & 0o100) !== 0,
                        size,
                        sha256: digest.digest("hex"),
                    });
                });
        });
    });
}

async function mapConcurrently<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
    const results = new Array<R>(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            results[index] = await task(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
    return results;
}

async function statOrUndefined(file: string): Promise<fs.Stats | undefined> {
    try {
        return await fs.promises.stat(file);
    } catch {
        return undefined;
    }
}

/** The directory an include glob walks: the part before its first wildcard. */
function includeBase(projectDir: string, glob: string): string {
    return path.resolve(projectDir, picomatch.scan(glob).base || ".");
}

function isInside(dir: string, file: string): boolean {
    const relative = path.relative(dir, file);
    return !path.isAbsolute(relative) && relative.split(path.sep)[0] !== "..";
}

function relativePosix(from: string, to: string): string {
    return path.relative(from, to).split(path.sep).join("/");
}

/** Plain code-unit order: the same on every machine, unlike locale-aware comparison. */
function compareCodeUnits(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
