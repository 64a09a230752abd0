/**
 * Runs a Pulumi program directory under the mock runtime with one stack's
 * configuration, and returns what it registered and exported. No Pulumi CLI,
 * no cloud credentials: lookups are answered from fixtures.
 */
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import type * as pulumiModule from "@pulumi/pulumi";
import { fixtureAnswers, LookupFixtures } from "./fixtures";
import { MockAnswers, MockRecorder, RecordedCall, RecordedResource, Secret, UNKNOWN } from "./recorder";

type Pulumi = typeof pulumiModule;

/** What one mock run of a program produced. */
export interface ProgramRun {
    /** The program directory, absolute. */
    readonly programDir: string;
    readonly project: string;
    readonly stack: string;
    readonly resources: RecordedResource[];
    readonly calls: RecordedCall[];
    /** The stack's outputs; values unknown before deployment are {@link UNKNOWN}. */
    readonly outputs: Record<string, unknown>;
    /** Errors the program raised or its registrations hit; empty on success. */
    readonly errors: Error[];
}

/** Options of {@link runProgram}. */
export interface RunProgramOptions {
    /** The directory holding `Pulumi.yaml`. */
    programDir: string;
    stack: string;
    fixtures: LookupFixtures;
    /** Where the fixtures came from, for error messages. */
    fixtureSource: string;
    /**
     * Config values set over the stack file's, as `pulumi preview --config key=value` would: a key without
     * a namespace is the project's. Values are strings, as the runtime holds them.
     */
    config?: Record<string, string>;
    /** Preview mode (the default): outputs of new resources are unknown, as in `pulumi preview`. */
    preview?: boolean;
    /** Organization for `pulumi.getOrganization()`; default `organization`. */
    organization?: string;
    /** Extra resource outputs for non-preview runs. */
    resourceOutputs?: MockAnswers["resourceOutputs"];
    /**
     * Loads modules as the program sees them: `@pulumi/pulumi` and the entry point.
     * Defaults to a `require` rooted at the program directory, so the program's own
     * `@pulumi/pulumi` receives the mocks. Tests pass their module-registry-aware `require`.
     */
    requireModule?: (id: string) => unknown;
    /**
     * Routes unhandled rejections (how a program reports errors raised inside `apply`) to `listener`
     * until the returned function is called. Defaults to listening on `process`.
     */
    trapRejections?: (listener: (reason: unknown) => void) => () => void;
}

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
    const project = parseYaml(fs.readFileSync(file, "utf8")) as ProjectFile;
    if (typeof project?.name !== "string") {
        throw new Error(`${file} has no project "name"`);
    }
    return project;
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
    const stackConfig =
        ((parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> }).config ?? {};
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
    for (const [key, value] of Object.entries(stackConfig)) {
        put(key, value);
    }
    for (const [key, value] of Object.entries(overrides)) {
        put(key, value);
    }
    return { config, secretKeys };
}

/** Runs the program and collects its resources, lookups, outputs and errors. */
export async function runProgram(options: RunProgramOptions): Promise<ProgramRun> {
    const programDir = path.resolve(options.programDir);
    const project = readProject(programDir);
    const { config, secretKeys } = readStackConfig(programDir, project, options.stack, options.config);
    const requireModule = options.requireModule ?? createRequire(path.join(programDir, "Pulumi.yaml"));
    const pulumi = requireModule("@pulumi/pulumi") as Pulumi;

    const answers = fixtureAnswers(
        options.fixtures,
        { region: config["aws:region"], source: options.fixtureSource },
        options.resourceOutputs,
    );
    const recorder = new MockRecorder(answers);
    pulumi.runtime.setAllConfig(config, secretKeys);
    recorder.install(pulumi, {
        project: project.name,
        stack: options.stack,
        organization: options.organization ?? "organization",
        preview: options.preview ?? true,
    });

    const errors: Error[] = [];
    const release = (options.trapRejections ?? listenOnProcess)((reason) => errors.push(asError(reason)));
    // The Pulumi CLI runs a program in its directory; relative paths in the program (assets, ion projects) rely on it.
    const originalDir = process.cwd();
    process.chdir(programDir);
    let outputs: Record<string, unknown> = {};
    try {
        let exported = requireModule(path.join(programDir, entryPoint(programDir, project)));
        if (typeof exported === "function") {
            exported = (exported as () => unknown)();
        }
        outputs = (await resolveValue(pulumi, await exported)) as Record<string, unknown>;
    } catch (e) {
        errors.push(asError(e));
    }
    try {
        // A resource whose inputs are still resolving (an ion project being hashed, say) is part of the
        // plan too: wait for every registration the program started, as the runtime does before exiting.
        await pulumi.runtime.disconnect();
        await recorder.settle();
    } finally {
        process.chdir(originalDir);
        release();
    }
    for (const failure of recorder.failures) {
        if (!errors.some((e) => e.message === failure.message)) {
            errors.push(failure);
        }
    }
    return {
        programDir,
        project: project.name,
        stack: options.stack,
        resources: [...recorder.resources],
        calls: [...recorder.calls],
        outputs: outputs ?? {},
        errors,
    };
}

function listenOnProcess(listener: (reason: unknown) => void): () => void {
    process.on("unhandledRejection", listener);
    return () => process.off("unhandledRejection", listener);
}

function entryPoint(programDir: string, project: ProjectFile): string {
    if (project.main) {
        return project.main;
    }
    return fs.existsSync(path.join(programDir, "index.ts")) ? "index.ts" : "index.js";
}

/** Waits for every output inside a value and replaces it with its value, {@link UNKNOWN} or a {@link Secret}. */
async function resolveValue(pulumi: Pulumi, value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        const output = value as pulumiModule.Output<unknown> & {
            isKnown: Promise<boolean>;
            isSecret: Promise<boolean>;
            promise(): Promise<unknown>;
        };
        const [known, secret, inner] = await Promise.all([output.isKnown, output.isSecret, output.promise()]);
        if (!known) {
            return UNKNOWN;
        }
        const resolved = await resolveValue(pulumi, inner);
        return secret ? new Secret(resolved) : resolved;
    }
    if (value instanceof Promise) {
        return resolveValue(pulumi, await value);
    }
    if (pulumi.Resource.isInstance(value)) {
        return resolveValue(pulumi, (value as pulumiModule.Resource).urn);
    }
    if (Array.isArray(value)) {
        return Promise.all(value.map((item) => resolveValue(pulumi, item)));
    }
    if (value !== null && typeof value === "object") {
        const entries = await Promise.all(
            Object.entries(value).map(async ([key, item]) => [key, await resolveValue(pulumi, item)] as const),
        );
        return Object.fromEntries(entries.filter(([, item]) => item !== undefined));
    }
    return value;
}

function isSecure(value: unknown): boolean {
    return value !== null && typeof value === "object" && "secure" in (value as Record<string, unknown>);
}

function isDeclaration(value: unknown): value is { value?: unknown; default?: unknown } {
    return (
        value !== null &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        ("default" in (value as object) || "value" in (value as object) || "type" in (value as object))
    );
}

function asError(reason: unknown): Error {
    return reason instanceof Error ? reason : new Error(String(reason));
}
