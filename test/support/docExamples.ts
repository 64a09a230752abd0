/**
 * The TypeScript examples of the guides (docs/*.md) as a reader copies them. An example is a fragment of a
 * program: names it uses but does not declare (`datomic`, the environment's reference; `group`, a query
 * group) come from {@link PRELUDE}, declared with their public types, so that each example is checked
 * against the package's API as it stands. Compiled by test/package/pack.test.ts against the packed tarball.
 */
import * as fs from "fs";
import * as path from "path";

const DOCS = path.resolve(__dirname, "..", "..", "docs");

/** One example: the guide it is in, its place there, and its code. */
export interface DocExample {
    /** `docs/<guide>.md:<line>`. */
    where: string;
    code: string;
}

/** Names examples use without declaring them, with the type a program that comes before them would give. */
const TYPED_NAMES: Record<string, string> = {
    datomic: "datomicPackage.DatomicSystemReference",
    group: "datomicPackage.QueryGroup",
    config: "pulumi.Config",
};

/** Diagnostics that say an example uses a name it does not declare: what {@link exampleModule} supplies. */
export const FREE_NAME_CODES = new Set([2304, 2552, 18004]);

/** Every \`\`\`ts block of every guide, in file order. */
export function docExamples(): DocExample[] {
    return fs
        .readdirSync(DOCS)
        .filter((file) => file.endsWith(".md"))
        .sort()
        .flatMap((file) => {
            const text = fs.readFileSync(path.join(DOCS, file), "utf8");
            return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((match) => ({
                where: `docs/${file}:${text.slice(0, match.index).split("\n").length}`,
                code: match[1],
            }));
        });
}

/**
 * An example as a module of its own. `freeNames` are the names a first compile found undeclared: a name
 * the package exports is imported from it, `datomic`, `group` and `config` are declared with their types,
 * anything else (the reader's own VPC, role, topic...) as `any`. Top-level `await` runs in an async
 * function, as in a program's async entry point.
 */
export function exampleModule(example: DocExample, freeNames: string[], packageExports: Set<string>): string {
    const lines = example.code.split("\n");
    const imports = lines.filter((line) => /^import /.test(line));
    const body = lines.filter((line) => !/^import /.test(line)).join("\n");
    const header = [
        'import * as datomicPackage from "pulumi-datomic";',
        ...(imports.some((line) => / as aws /.test(line)) ? [] : ['import * as aws from "@pulumi/aws";']),
        ...(imports.some((line) => / as pulumi /.test(line)) ? [] : ['import * as pulumi from "@pulumi/pulumi";']),
        ...imports,
        ...[...new Set(freeNames)].map((name) =>
            packageExports.has(name)
                ? `import { ${name} } from "pulumi-datomic";`
                : `declare const ${name}: ${TYPED_NAMES[name] ?? "any"};`,
        ),
        "void aws, pulumi, datomicPackage;",
    ];
    const topLevelAwait = /^(?:const|let|await)\b.*\bawait\b/m.test(body);
    return [...header, topLevelAwait ? `export async function example() {\n${body}\n}` : body, "export {};", ""].join(
        "\n",
    );
}
