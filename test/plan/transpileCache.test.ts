/**
 * A program's TypeScript is loaded from the transpile cache when its files are unchanged (plan/transpileCache.ts):
 * in a process of its own, as the installed datomic-plan loads a program.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../support/program";

jest.setTimeout(120_000);

let dir: string;
beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "datomic-plan-transpile-"));
    fs.mkdirSync(path.join(dir, "node_modules"));
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022" } }));
    fs.writeFileSync(path.join(dir, "helper.ts"), "export const twice = (n: number): number => n * 2;\n");
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Loads `<dir>/index.ts` through the cache in a new Node process; returns what it exported. */
function load(): { value: unknown } {
    const script = `
        require(${JSON.stringify(path.join(REPO_ROOT, "plan", "transpileCache"))}).registerCachedTypeScript(${JSON.stringify(dir)});
        const value = require(${JSON.stringify(path.join(dir, "index.ts"))}).value;
        console.log(JSON.stringify({ value }));
    `;
    // ts-node loads transpileCache.ts itself (and typescript with it); the program's files go through the cache.
    const output = execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
        cwd: REPO_ROOT,
        encoding: "utf8",
    });
    return JSON.parse(output.trim().split("\n").pop()!) as { value: unknown };
}

test("a program's files are transpiled once and then loaded from the cache, until one changes", () => {
    fs.writeFileSync(
        path.join(dir, "index.ts"),
        'import { twice } from "./helper";\nexport const value: number = twice(21);\n',
    );
    expect(load()).toEqual({ value: 42 });
    const cached = fs.readdirSync(path.join(dir, "node_modules", ".cache", "datomic-plan", "js"));
    expect(cached).toHaveLength(2);
    // Loaded again: the same JavaScript, from the cache (a marked copy shows which was run).
    const indexJs = cached
        .map((name) => path.join(dir, "node_modules", ".cache", "datomic-plan", "js", name))
        .find((file) => fs.readFileSync(file, "utf8").includes("twice)(21)"))!;
    fs.writeFileSync(indexJs, fs.readFileSync(indexJs, "utf8").replace("twice)(21)", "twice)(50)"));
    expect(load().value).toBe(100);
    // A changed file is transpiled again.
    fs.writeFileSync(
        path.join(dir, "index.ts"),
        'import { twice } from "./helper";\nexport const value: number = twice(4);\n',
    );
    expect(load().value).toBe(8);
    expect(fs.readdirSync(path.join(dir, "node_modules", ".cache", "datomic-plan", "js"))).toHaveLength(3);
});
