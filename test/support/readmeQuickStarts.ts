/**
 * The README's quick starts as a reader copies them: the code blocks of each topology's section. Read by
 * test/package/readme.test.ts (which runs them) and test/package/pack.test.ts (which compiles the service
 * programs against the packed package).
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

const README = fs.readFileSync(path.resolve(__dirname, "..", "..", "README.md"), "utf8");

export interface QuickStart {
    /** The environment program's stack config (the YAML block with `datomic:` keys). */
    environment: Record<string, unknown>;
    /** The service's stack file, as written. */
    serviceConfig: string;
    /** The TypeScript blocks. */
    code: string[];
}

/** The code blocks of the README section whose heading starts with `heading`. */
function quickStart(heading: string): QuickStart {
    const sections = README.split(/^## /m).filter((section) => section.startsWith(heading));
    expect(sections).toHaveLength(1);
    const blocks = [...sections[0].matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map(([, language, text]) => ({
        language,
        text,
    }));
    const yamlBlocks = blocks.filter((block) => block.language === "yaml").map((block) => block.text);
    const configs = yamlBlocks.map((text) => (parseYaml(text) as { config: Record<string, unknown> }).config);
    const isEnvironment = (config: Record<string, unknown>) =>
        Object.keys(config).some((k) => k.startsWith("datomic:"));
    expect(configs.filter(isEnvironment)).toHaveLength(1);
    expect(configs.filter((config) => !isEnvironment(config))).toHaveLength(1);
    return {
        environment: configs.find(isEnvironment)!,
        serviceConfig: yamlBlocks[configs.findIndex((config) => !isEnvironment(config))],
        code: blocks.filter((block) => block.language === "ts").map((block) => block.text),
    };
}

export const alb = quickStart("Quick start: an alb system");
export const nlb = quickStart("Quick start: an nlb system");
/** The service project's name, as the README creates it; its config keys live under it. */
export const PROJECT = README.match(/pulumi new aws-typescript --name (\S+)`/)?.[1];

/**
 * The service program of each topology, as a reader ends up with it: the alb section's program, unchanged
 * on nlb (the nlb section has no code of its own; the program reads the topology and branches).
 */
export function servicePrograms(): Record<"alb" | "nlb", string> {
    expect(alb.code).toHaveLength(1);
    expect(nlb.code).toHaveLength(0);
    return { alb: alb.code[0], nlb: alb.code[0] };
}
