/**
 * tools.deps' deps.edn, as far as ions need it: the classpath directories of a project (its
 * `:paths`, the paths of the aliases the ion uses, and of `:local/root` dependencies), and the
 * `:local/root` dependencies that make ion-dev refuse a reproducible push (ions reference:
 * "You must either specify a uname or deploy from clean git commit").
 */
import * as fs from "fs";
import * as path from "path";
import { EdnSyntaxError, parseEdn } from "./edn";

export interface Classpath {
    /** Absolute paths of classpath entries, in order. */
    roots: string[];
    /** Absolute paths of the deps.edn files read. */
    depsFiles: string[];
    /** The project directory a root came from. */
    projectOf(root: string): string;
}

/** The classpath directories of a tools.deps project and of its `:local/root` dependencies. */
export function readClasspath(projectDir: string, aliasNames: string[]): Classpath {
    const roots: string[] = [];
    const depsFiles: string[] = [];
    const owners = new Map<string, string>();
    const visited = new Set<string>();

    const visit = (dir: string, aliases: string[], isTop: boolean): void => {
        if (visited.has(dir)) {
            return;
        }
        visited.add(dir);
        const depsFile = path.join(dir, "deps.edn");
        const add = (entry: string) => {
            const root = path.resolve(dir, entry);
            if (!owners.has(root)) {
                owners.set(root, dir);
                roots.push(root);
            }
        };
        if (!fs.existsSync(depsFile)) {
            if (isTop) {
                throw new Error(
                    `${depsFile} does not exist: an ion project is a tools.deps project with deps.edn at its root`,
                );
            }
            if (fs.existsSync(dir) && fs.statSync(dir).isFile()) {
                add(dir); // a :local/root jar
            } else {
                add("src");
            }
            return;
        }
        if (!fs.statSync(depsFile).isFile()) {
            throw new Error(
                `${depsFile} is a directory, not a file: an ion project's deps.edn is the tools.deps file at its root; ` +
                    "rename or remove the directory",
            );
        }
        depsFiles.push(depsFile);
        const deps = readDepsFile(depsFile);
        const aliasTable = objectField(deps, "aliases", depsFile) ?? {};
        const selected = aliases.map((name) => {
            const key = name.replace(/^:/, "");
            const alias = aliasTable[key];
            if (alias === undefined) {
                const known = Object.keys(aliasTable).sort();
                throw new Error(
                    `aliases: ${depsFile} has no alias :${key}; its aliases are ${known.length ? known.map((k) => `:${k}`).join(", ") : "(none)"}`,
                );
            }
            return asObject(alias, `alias :${key}`, depsFile);
        });
        const expand = (entries: unknown, field: string): string[] =>
            stringList(entries, field, depsFile).flatMap((entry) => {
                if (!entry.startsWith(":")) {
                    return [entry];
                }
                // A keyword in :paths names an alias whose value is a vector of paths.
                return stringList(aliasTable[entry.slice(1)], `alias ${entry} (named in ${field})`, depsFile);
            });

        const replaced = selected.flatMap((alias) =>
            ["paths", "replace-paths"].flatMap((field) => (field in alias ? expand(alias[field], `:${field}`) : [])),
        );
        const replacesPaths = selected.some((alias) => "paths" in alias || "replace-paths" in alias);
        const basePaths = replacesPaths ? replaced : "paths" in deps ? expand(deps.paths, ":paths") : ["src"];
        basePaths.forEach(add);
        for (const alias of selected) {
            expand(alias["extra-paths"] ?? [], ":extra-paths").forEach(add);
        }

        const replacesDeps = selected.some((alias) => "deps" in alias || "replace-deps" in alias);
        const depMaps = [
            ...(replacesDeps ? [] : [objectField(deps, "deps", depsFile)]),
            ...selected.flatMap((alias) =>
                ["deps", "replace-deps", "extra-deps"].map((field) => objectField(alias, field, depsFile)),
            ),
        ];
        for (const depMap of depMaps) {
            for (const coordinate of Object.values(depMap ?? {})) {
                const localRoot = (coordinate as Record<string, unknown> | null)?.["local/root"];
                if (typeof localRoot === "string") {
                    visit(path.resolve(dir, localRoot), [], false);
                }
            }
        }
    };

    visit(projectDir, aliasNames, true);
    return { roots, depsFiles, projectOf: (root) => owners.get(root) ?? projectDir };
}

export function readDepsFile(depsFile: string): Record<string, unknown> {
    let parsed: unknown;
    try {
        parsed = parseEdn(fs.readFileSync(depsFile, "utf8"));
    } catch (e) {
        if (e instanceof EdnSyntaxError) {
            throw new Error(`${depsFile} is not readable EDN: ${e.message}`);
        }
        throw e;
    }
    return asObject(parsed, "the file", depsFile);
}

function asObject(value: unknown, what: string, file: string): Record<string, unknown> {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new Error(`${file}: ${what} is not a map`);
    }
    return value as Record<string, unknown>;
}

function objectField(owner: Record<string, unknown>, field: string, file: string): Record<string, unknown> | undefined {
    const value = owner[field];
    return value === undefined || value === null ? undefined : asObject(value, `:${field}`, file);
}

function stringList(value: unknown, what: string, file: string): string[] {
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
        throw new Error(`${file}: ${what} is not a vector of paths`);
    }
    return value as string[];
}

/** The libraries of the project's deps.edn `:deps` that are `:local/root` dependencies, sorted. */
export function localRootDependencies(projectDir: string): string[] {
    const depsFile = path.join(projectDir, "deps.edn");
    if (!fs.existsSync(depsFile)) {
        return [];
    }
    const deps = objectField(readDepsFile(depsFile), "deps", depsFile) ?? {};
    return Object.entries(deps)
        .filter(([, coordinate]) => typeof (coordinate as Record<string, unknown> | null)?.["local/root"] === "string")
        .map(([lib]) => lib)
        .sort();
}
