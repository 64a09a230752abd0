/**
 * Reads a Pulumi program's `Pulumi.yaml` and a stack's `Pulumi.<stack>.yaml`
 * into configuration as the runtime holds it. Every message names the file and
 * the key at fault.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

/** The parts of `Pulumi.yaml` the runner uses. */
export interface ProjectFile {
    name: string;
    main?: string;
    config?: Record<string, unknown>;
}

/** Reads `Pulumi.yaml`. */
export function readProject(programDir: string): ProjectFile {
    const file = path.join(programDir, "Pulumi.yaml");
    if (!fs.existsSync(file)) {
        throw new Error(`${file} not found: --dir must be a Pulumi program directory`);
    }
    const project = readYamlMap(file);
    if (typeof project.name !== "string") {
        throw new Error(`${file} has no project "name"`);
    }
    if (project.main !== undefined && typeof project.main !== "string") {
        throw new Error(`${file}: "main" must be a path (got ${JSON.stringify(project.main)})`);
    }
    return { name: project.name, main: project.main, config: configMap(project.config, file) };
}

/** The stack's configuration as the runtime holds it: namespaced keys, string values, and which are secret. */
export function readStackConfig(
    programDir: string,
    project: ProjectFile,
    stack: string,
    overrides: Record<string, string> = {},
): { config: Record<string, string>; secretKeys: string[] } {
    const file = path.join(programDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(`${file} not found: no stack named "${stack}" in ${programDir}`);
    }
    const stackConfig = configMap(readYamlMap(file).config, file);
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const put = (rawKey: string, value: unknown) => {
        const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
        if (isSecure(value)) {
            // Secrets cannot be decrypted without the Pulumi CLI; the plan shows them masked.
            config[key] = "[secret]";
            secretKeys.push(key);
        } else {
            config[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
    };
    for (const [key, declaration] of Object.entries(project.config ?? {})) {
        const value = isDeclaration(declaration) ? (declaration.value ?? declaration.default) : declaration;
        if (value !== undefined) {
            put(key, value);
        }
    }
    for (const [key, value] of Object.entries(stackConfig ?? {})) {
        put(key, value);
    }
    for (const [key, value] of Object.entries(overrides)) {
        put(key, value);
    }
    return { config, secretKeys };
}

/** A YAML file whose top level is a map (an empty file is an empty map); errors name the file. */
function readYamlMap(file: string): Record<string, unknown> {
    let parsed: unknown;
    try {
        parsed = parseYaml(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new Error(`${file} is not valid YAML: ${(e as Error).message}`);
    }
    if (parsed === null || parsed === undefined) {
        return {};
    }
    if (!isMap(parsed)) {
        throw new Error(`${file} must be a map of keys (got ${JSON.stringify(parsed)})`);
    }
    return parsed;
}

/** `config:` of a project or stack file: absent, or a map of keys to values. */
function configMap(value: unknown, file: string): Record<string, unknown> | undefined {
    if (value === undefined || value === null) {
        return undefined;
    }
    if (!isMap(value)) {
        throw new Error(
            `${file}: "config" must be a map of key: value, such as "aws:region: us-east-1" (got ${JSON.stringify(value)})`,
        );
    }
    return value;
}

function isMap(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isSecure(value: unknown): boolean {
    return isMap(value) && "secure" in value;
}

function isDeclaration(value: unknown): value is { value?: unknown; default?: unknown } {
    return isMap(value) && ("default" in value || "value" in value || "type" in value);
}
