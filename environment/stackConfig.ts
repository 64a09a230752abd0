/**
 * Reads the stack's configuration through `pulumi.Config`, as the environment program's only
 * source of settings, and notes which keys are secret so their values stay secret into the
 * resources (CloudFormation parameters) and the state.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS } from "./config";

/** What {@link readStackConfig} read. */
export interface StackConfig {
    /** Values by fully qualified key (`datomic:cloud`); maps and lists parsed. */
    readonly values: Record<string, unknown>;
    /** Keys whose value is secret (`pulumi config set --secret`, or a `secure:` value inside a map). */
    readonly secretKeys: string[];
    /** Values that could not be read, one message per key. */
    readonly problems: string[];
}

/** Keys holding a map or a list; the rest are strings. */
const STRUCTURED_KEYS: readonly string[] = [
    CONFIG_KEYS.cloud,
    CONFIG_KEYS.pro,
    CONFIG_KEYS.monitoring,
    CONFIG_KEYS.assumeRoles,
    CONFIG_KEYS.allowedAccountIds,
];

/**
 * `isConfigSecret` is exported by the SDK's runtime but missing from its type declarations. Without
 * it secrets could leak into plain state, so its absence fails the program.
 */
function isConfigSecret(key: string): boolean {
    const check = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
    if (typeof check !== "function") {
        throw new Error("@pulumi/pulumi no longer offers runtime.isConfigSecret; secret config cannot be honoured");
    }
    return check(key);
}

/**
 * Reads the program's keys through `pulumi.Config`. Other keys are listed by name only (value `null`),
 * so a misspelt setting of the program's namespace is reported, and their values are never read.
 */
export function readStackConfig(): StackConfig {
    const programKeys: string[] = Object.values(CONFIG_KEYS);
    const values: Record<string, unknown> = {};
    const problems: string[] = [];
    for (const key of Object.keys(pulumi.runtime.allConfig())) {
        if (!programKeys.includes(key)) {
            values[key] = null;
        }
    }
    for (const key of programKeys) {
        const [namespace, name] = key.split(":");
        const config = new pulumi.Config(namespace);
        try {
            const value = STRUCTURED_KEYS.includes(key) ? config.getObject(name) : config.get(name);
            if (value !== undefined) {
                values[key] = value;
            }
        } catch {
            // A secret's text is not shown, even when it is not what the key needs.
            const text = isConfigSecret(key)
                ? "text that is secret, not shown"
                : `the text ${JSON.stringify(config.get(name))}`;
            problems.push(`${key}: expected a map or list of settings (got ${text})`);
        }
    }
    const secretKeys = programKeys.filter((key) => values[key] !== undefined && isConfigSecret(key));
    return { values, secretKeys, problems };
}
