import { createHash } from "crypto";
import fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { hashIonSources } from "../../components/internal/ionSources";
import { sampleIonProject, shuffled, temporaryDirectory, TreeFile, writeTree } from "./sourceTree";

const created: string[] = [];
afterAll(() => created.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** Writes `files` into a new directory (nested `depth` levels deep) in a shuffled order with arbitrary mtimes. */
function project(files: TreeFile[], seed: number, depth = 0): string {
    const top = temporaryDirectory("ion-sources");
    created.push(top);
    const root = path.join(top, ...Array.from({ length: depth }, (_, i) => `level-${i}`));
    fs.mkdirSync(root, { recursive: true });
    writeTree(root, files, shuffled(files.length, seed), (index) => 1_000_000_000 + ((index * 7919 + seed) % 100_000));
    return root;
}

function write(root: string, relative: string, content: string): void {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), content);
}

describe("hashIonSources", () => {
    test("the same tree in two places, written in different orders with different mtimes, has the same hash", async () => {
        const files = sampleIonProject();
        const first = project(files, 1);
        const second = project(files, 987654321, 3);
        const a = await hashIonSources(first);
        const b = await hashIonSources(second);
        expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(b.hash).toBe(a.hash);
        expect(b.files).toEqual(a.files);
        // A relative directory argument gives the same result as an absolute one.
        expect((await hashIonSources(path.relative(process.cwd(), first))).hash).toBe(a.hash);
    });

    test("finds the classpath from deps.edn, local roots and resources, and leaves out what git ignores", async () => {
        const result = await hashIonSources(project(sampleIonProject(), 2));
        expect(result.files.map((file) => file.path)).toEqual([
            "deps.edn",
            "resources/datomic/ion-config.edn",
            "resources/schema.edn",
            "shared/deps.edn",
            "shared/src/acme/shared.clj",
            "src/acme/orders.clj",
            "src/acme/orders/db.clj",
            "src/acme/tools.sh",
        ]);
        expect(result.classpathRoots).toEqual(["src", "resources", "shared/src"]);
        expect(result.ionConfig).toBe("resources/datomic/ion-config.edn");
        expect(result.missingRoots).toEqual([]);
        const tool = result.files.find((file) => file.path === "src/acme/tools.sh")!;
        expect(tool).toEqual({
            path: "src/acme/tools.sh",
            executable: true,
            size: 20,
            sha256: createHash("sha256").update("#!/bin/sh\necho tool\n").digest("hex"),
        });
    });

    test("a change to any content, path or executable bit changes the hash", async () => {
        const files = sampleIonProject();
        const baseline = (await hashIonSources(project(files, 3))).hash;
        const variants: [string, TreeFile[]][] = [
            [
                "content",
                files.map((f) =>
                    f.path === "src/acme/orders/db.clj" ? { ...f, content: "(ns acme.orders.db2)\n" } : f,
                ),
            ],
            [
                "path",
                files.map((f) => (f.path === "src/acme/orders/db.clj" ? { ...f, path: "src/acme/orders/dbs.clj" } : f)),
            ],
            ["executable bit", files.map((f) => (f.path === "src/acme/orders.clj" ? { ...f, executable: true } : f))],
            ["deps.edn", files.map((f) => (f.path === "deps.edn" ? { ...f, content: `${f.content as string} ` } : f))],
            [
                "local root",
                files.map((f) => (f.path === "shared/src/acme/shared.clj" ? { ...f, content: "(ns x)" } : f)),
            ],
            ["ion-config", files.map((f) => (f.path.endsWith("ion-config.edn") ? { ...f, content: "{}" } : f))],
            ["new file", [...files, { path: "src/acme/new.clj", content: "(ns acme.new)\n" }]],
        ];
        for (const [what, variant] of variants) {
            const hash = (await hashIonSources(project(variant, 3))).hash;
            expect({ what, changed: hash !== baseline }).toEqual({ what, changed: true });
        }
    });

    test("ignored files, files off the classpath and mtimes do not change the hash", async () => {
        const files = sampleIonProject();
        const root = project(files, 4);
        const baseline = (await hashIonSources(root)).hash;
        write(root, "src/acme/orders.clj~", "different backup");
        write(root, "src/.DS_Store", "junk");
        write(root, ".cpcache/456.cp", "other machine");
        write(root, "resources/generated/build-info.edn", '{:built-at "2025-06-01T00:00:00Z"}');
        write(root, "test/acme/orders_test.clj", "(ns changed)");
        write(root, "README.md", "# changed");
        fs.utimesSync(path.join(root, "src/acme/orders.clj"), 5, 5);
        expect((await hashIonSources(root)).hash).toBe(baseline);
    });

    test("nested .gitignore files and .git/info/exclude apply with git's precedence", async () => {
        const root = project(sampleIonProject(), 5);
        write(root, "src/acme/secret.clj", "(ns secret)");
        write(root, "src/acme/keep.log", "kept");
        write(root, "src/acme/drop.log", "dropped");
        write(root, "src/.gitignore", "*.log\n!keep.log\n");
        write(root, ".git/info/exclude", "secret.clj\n");
        const paths = (await hashIonSources(root)).files.map((file) => file.path);
        expect(paths).toContain("src/acme/keep.log");
        expect(paths).toContain("src/.gitignore");
        expect(paths).not.toContain("src/acme/drop.log");
        expect(paths).not.toContain("src/acme/secret.clj");
        // Without .gitignore handling everything on the classpath counts.
        const all = (await hashIonSources(root, { gitignore: false })).files.map((file) => file.path);
        expect(all).toEqual(expect.arrayContaining(["src/acme/drop.log", "src/acme/secret.clj", "src/.DS_Store"]));
    });

    test("the .gitignore of a repository above the project applies (an ion project in a monorepo)", async () => {
        const repository = project([{ path: ".gitignore", content: "*.tmp\n" }], 8);
        fs.mkdirSync(path.join(repository, ".git"));
        const ion = path.join(repository, "services", "orders");
        writeTree(ion, sampleIonProject(), shuffled(sampleIonProject().length, 8), () => 1_000_000_000);
        write(ion, "src/acme/scratch.tmp", "scratch");
        const paths = (await hashIonSources(ion)).files.map((file) => file.path);
        expect(paths).toContain("src/acme/orders.clj");
        expect(paths).not.toContain("src/acme/scratch.tmp");
    });

    test("aliases add or replace paths; include and exclude globs adjust the file set", async () => {
        const root = project(sampleIonProject(), 6);
        const withProd = await hashIonSources(root, { aliases: [":prod"] });
        expect(withProd.files.map((f) => f.path)).toContain("prod/acme/config.clj");
        expect(withProd.classpathRoots).toEqual(["src", "resources", "prod", "shared/src"]);

        write(
            root,
            "deps.edn",
            '{:paths [:clj-paths "resources"] :aliases {:clj-paths ["src"] :only-prod {:paths ["prod"]}}}',
        );
        const indirect = await hashIonSources(root);
        expect(indirect.classpathRoots).toEqual(["src", "resources"]);
        const replaced = await hashIonSources(root, { aliases: ["only-prod"] });
        expect(replaced.classpathRoots).toEqual(["prod"]);
        expect(replaced.files.map((f) => f.path)).not.toContain("src/acme/orders.clj");

        const adjusted = await hashIonSources(root, {
            include: ["resources/generated/**"],
            exclude: ["src/acme/orders/**", "deps.edn"],
        });
        const paths = adjusted.files.map((f) => f.path);
        expect(paths).toContain("resources/generated/build-info.edn"); // ignored by git, included explicitly
        expect(paths).not.toContain("src/acme/orders/db.clj");
        expect(paths).toContain("deps.edn"); // always hashed
    });

    test("streams large files correctly across read chunks", async () => {
        const big = Buffer.alloc(3 * 1024 * 1024 + 17);
        for (let i = 0; i < big.length; i++) {
            big[i] = (i * 31 + (i >> 10)) & 0xff;
        }
        const root = project([...sampleIonProject(), { path: "resources/big.bin", content: big }], 7);
        const file = (await hashIonSources(root)).files.find((f) => f.path === "resources/big.bin")!;
        expect(file.size).toBe(big.length);
        expect(file.sha256).toBe(createHash("sha256").update(big).digest("hex"));
    });

    test("reports what it cannot use", async () => {
        const empty = temporaryDirectory("ion-sources-empty");
        created.push(empty);
        await expect(hashIonSources(empty)).rejects.toThrow(
            /deps\.edn does not exist: an ion project is a tools\.deps project/,
        );
        write(empty, "deps.edn", "{:paths [");
        await expect(hashIonSources(empty)).rejects.toThrow(/deps\.edn is not readable EDN/);
        write(empty, "deps.edn", '{:paths ["src" "gone"]}');
        write(empty, "src/a.clj", "(ns a)");
        expect((await hashIonSources(empty)).missingRoots).toEqual(["gone"]);
        await expect(hashIonSources(empty, { aliases: ["dev"] })).rejects.toThrow(
            /has no alias :dev; its aliases are \(none\)/,
        );
        await expect(hashIonSources(empty, { exclude: ["!src/**"] })).rejects.toThrow(/negated glob/);
    });

    test("a deps.edn that is a directory is named as such, not reported as EISDIR", async () => {
        const project = temporaryDirectory("ion-sources-depsdir");
        created.push(project);
        fs.mkdirSync(path.join(project, "deps.edn"));
        write(project, "src/a.clj", "(ns a)");
        const failure = hashIonSources(project);
        await expect(failure).rejects.toThrow(
            `${path.join(project, "deps.edn")} is a directory, not a file: an ion project's deps.edn is the tools.deps file at its root; rename or remove the directory`,
        );
        await expect(failure).rejects.not.toThrow(/EISDIR/);
    });

    test("an include that reaches outside the project is refused, and nothing beside the project is read", async () => {
        const parent = temporaryDirectory("ion-sources-outside");
        created.push(parent);
        const project = path.join(parent, "ion");
        write(project, "deps.edn", '{:paths ["src"]}');
        write(project, "src/a.clj", "(ns a)");
        write(parent, "outside/secret.txt", "not the ion's");
        for (const glob of ["../outside/**", "src/../../outside/*.txt", path.join(parent, "outside", "**")]) {
            await expect(hashIonSources(project, { include: [glob] })).rejects.toThrow(
                `include: "${glob}" reaches outside the project directory ${project}; include takes globs inside the project`,
            );
        }
        // Globs inside the project still work, including ones that start at the project itself.
        write(project, "config/app.edn", "{}");
        const inside = await hashIonSources(project, { include: ["config/**", "**/app.edn"] });
        expect(inside.files.map((file) => file.path)).toContain("config/app.edn");
    });

    test("property: creation order and location never change the hash; editing any file does", async () => {
        const fileArbitrary = fc.record({
            path: fc
                .array(fc.stringMatching(/^[a-z][a-z0-9_.-]{0,6}$/), { minLength: 1, maxLength: 3 })
                .map((parts) => `src/${parts.join("/")}.clj`),
            content: fc.string({ maxLength: 40 }),
            executable: fc.boolean(),
        });
        await fc.assert(
            fc.asyncProperty(
                fc.uniqueArray(fileArbitrary, { minLength: 1, maxLength: 8, selector: (f) => f.path }),
                fc.nat(),
                fc.nat(),
                async (sources, seed, victim) => {
                    // Paths where one is a prefix directory of another cannot both be files.
                    const prefixClash = sources.some((a) => sources.some((b) => b.path.startsWith(`${a.path}/`)));
                    fc.pre(!prefixClash);
                    const files = [{ path: "deps.edn", content: "{}" }, ...sources];
                    const a = await hashIonSources(project(files, seed));
                    const b = await hashIonSources(project(files, seed + 1, 2));
                    expect(b.hash).toBe(a.hash);
                    const index = 1 + (victim % sources.length);
                    const edited = files.map((f, i) =>
                        i === index ? { ...f, content: `${f.content as string}!` } : f,
                    );
                    expect((await hashIonSources(project(edited, seed))).hash).not.toBe(a.hash);
                },
            ),
            { numRuns: 15 },
        );
    });
});
