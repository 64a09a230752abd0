/**
 * The layout docs/layout.md describes: small files and constructors, no import cycle, sibling family
 * folders that never import each other, and pure helpers without Pulumi.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const REPO = path.resolve(__dirname, "../..");
const SOURCE_FOLDERS = ["components", "plan", "cli"];
const MAX_LINES = 400;
const MAX_CONSTRUCTOR_LINES = 100;
const FAMILY_PARENTS = ["components/cloud", "components/pro"];

function sourceFiles(folder: string): string[] {
    return fs
        .readdirSync(path.join(REPO, folder), { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".ts"))
        .map((file) => path.join(folder, file));
}

const files = SOURCE_FOLDERS.flatMap(sourceFiles);

/** The repository files `file` imports, by relative specifiers. */
function localImports(file: string): string[] {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(path.join(REPO, file), "utf8"), true, true);
    return importedFiles
        .map((entry) => entry.fileName)
        .filter((specifier) => specifier.startsWith("."))
        .map((specifier) => {
            const base = path.join(path.dirname(file), specifier);
            return [`${base}.ts`, path.join(base, "index.ts")].find((candidate) =>
                fs.existsSync(path.join(REPO, candidate)),
            );
        })
        .filter((target): target is string => target !== undefined);
}

const imports = new Map(files.map((file) => [file, localImports(file)]));

test("no file in components/, plan/ or cli/ is over 400 lines", () => {
    const long = files
        .map((file) => ({ file, lines: fs.readFileSync(path.join(REPO, file), "utf8").split("\n").length - 1 }))
        .filter(({ lines }) => lines > MAX_LINES);
    expect(long).toEqual([]);
});

test("no component constructor is over 100 lines: the component composes parts that sit beside it", () => {
    const long: string[] = [];
    for (const file of sourceFiles("components")) {
        const text = fs.readFileSync(path.join(REPO, file), "utf8");
        const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
        const visit = (node: ts.Node): void => {
            if (ts.isConstructorDeclaration(node)) {
                const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
                const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
                if (last - first + 1 > MAX_CONSTRUCTOR_LINES) {
                    long.push(`${file}:${first + 1} (${last - first + 1} lines)`);
                }
            }
            ts.forEachChild(node, visit);
        };
        visit(source);
    }
    expect(long).toEqual([]);
});

test("no import cycle", () => {
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const visit = (file: string, trail: string[]) => {
        if (state.get(file) === "done") {
            return;
        }
        if (state.get(file) === "visiting") {
            cycles.push([...trail.slice(trail.indexOf(file)), file].join(" -> "));
            return;
        }
        state.set(file, "visiting");
        for (const target of imports.get(file) ?? []) {
            visit(target, [...trail, file]);
        }
        state.set(file, "done");
    };
    files.forEach((file) => visit(file, []));
    expect(cycles).toEqual([]);
});

test("sibling family folders never import each other", () => {
    const familyOf = (file: string) => {
        const parent = FAMILY_PARENTS.find((folder) => path.dirname(path.dirname(file)) === folder);
        return parent ? path.dirname(file) : undefined;
    };
    const crossings = files.flatMap((file) =>
        (imports.get(file) ?? [])
            .filter((target) => {
                const [from, to] = [familyOf(file), familyOf(target)];
                return from !== undefined && to !== undefined && from !== to;
            })
            .map((target) => `${file} imports ${target}`),
    );
    expect(crossings).toEqual([]);
});

test("the families sit in their folders", () => {
    for (const family of [
        "cloud/system/system",
        "cloud/access/access",
        "cloud/ions/queryGroup",
        "cloud/ions/ionDeployment",
        "cloud/http/httpDirect",
        "cloud/http/ionApiDomain",
        "pro/transactor/transactor",
        "pro/backup/backup",
    ]) {
        expect(files).toContain(path.join("components", `${family}.ts`));
    }
});

test("components/internal/ holds pure helpers: no Pulumi import", () => {
    const impure = sourceFiles("components/internal").filter((file) =>
        ts
            .preProcessFile(fs.readFileSync(path.join(REPO, file), "utf8"), true, true)
            .importedFiles.some((entry) => entry.fileName.startsWith("@pulumi/")),
    );
    expect(impure).toEqual([]);
});

test("docs/layout.md names every folder under components/ and is linked from the README", () => {
    const layout = fs.readFileSync(path.join(REPO, "docs/layout.md"), "utf8");
    const folders = fs
        .readdirSync(path.join(REPO, "components"), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => path.relative(REPO, path.join(entry.parentPath, entry.name)));
    // A folder is named as itself, or by its shared files when it holds families (`components/cloud/*.ts`).
    const unnamed = folders.filter(
        (folder) => !layout.includes(`\`${folder}/\``) && !layout.includes(`\`${folder}/*.ts\``),
    );
    expect(unnamed).toEqual([]);
    expect(fs.readFileSync(path.join(REPO, "README.md"), "utf8")).toContain("(docs/layout.md)");
});
