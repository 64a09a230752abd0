/**
 * Runs a Pulumi program directory under the mock runtime with one stack's
 * configuration, and returns what it registered and exported. No Pulumi CLI,
 * no cloud credentials: lookups are answered from fixtures.
 */
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";
import type * as pulumiModule from "@pulumi/pulumi";
import { fixtureAnswers, LookupFixtures } from "./fixtures";
import { InputFailure, observeProgram } from "./programHooks";
import { MockAnswers, RecordedCall, RecordedResource, Secret, UNKNOWN } from "./recorded";
import { MockRecorder } from "./recorder";
import { ProjectFile, readProject, readStackConfig } from "./stackConfig";

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
    /** Which resource's inputs each failure was found in. */
    readonly inputFailures?: InputFailure[];
    /** `type::name` of the resources in the order the program constructed them. */
    readonly constructionOrder?: string[];
    /** String values the fixtures supplied (stack reference outputs, lookup results), for marking in plans. */
    readonly fixtureValues?: string[];
    /** The stack's configuration as the program saw it (secrets masked). */
    readonly config?: Record<string, string>;
    /** True when registrations were still waiting on failed values when the run ended. */
    readonly stalled?: boolean;
}

/** Options of {@link runProgram}. */
export interface RunProgramOptions {
    /** The directory holding `Pulumi.yaml`. */
    programDir: string;
    stack: string;
    fixtures: LookupFixtures;
    /** Where the fixtures came from, for error messages. */
    fixtureSource: string;
    /** True when the fixture file does not exist (a stack's default file is optional): messages say so. */
    fixtureFileMissing?: boolean;
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
    /** Deployed ids and outputs of resources in the state the run is compared with (`--state`). */
    deployed?: MockAnswers["deployed"];
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
    /**
     * After a failure, how long the run may stay without a registration or lookup before it is taken to be
     * stalled (registrations waiting on a failed value never finish). A run in its own process also ends
     * when Node has nothing left to do. Default 5000.
     */
    stallAfterMs?: number;
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
        { region: config["aws:region"], source: options.fixtureSource, fileMissing: options.fixtureFileMissing },
        options.resourceOutputs,
    );
    const recorder = new MockRecorder(options.deployed ? { ...answers, deployed: options.deployed } : answers);
    pulumi.runtime.setAllConfig(config, secretKeys);
    recorder.install(pulumi, {
        project: project.name,
        stack: options.stack,
        organization: options.organization ?? "organization",
        preview: options.preview ?? true,
    });
    const hooks = observeProgram(requireModule);
    const restoreCallsites = withoutResourceCallsites(pulumi);

    const errors: Error[] = [];
    const release = (options.trapRejections ?? listenOnProcess)((reason) => errors.push(asError(reason)));
    const stall = whenStalled(() => errors.length + recorder.failures.length > 0, recorder, options.stallAfterMs);
    // The Pulumi CLI runs a program in its directory; relative paths in the program (assets, ion projects) rely on it.
    const originalDir = process.cwd();
    process.chdir(programDir);
    let outputs: Record<string, unknown> = {};
    let stalled = false;
    try {
        let exported = requireModule(path.join(programDir, entryPoint(programDir, project)));
        if (typeof exported === "function") {
            exported = (exported as () => unknown)();
        }
        const resolved = await Promise.race([resolveValue(pulumi, exported), stall.signal]);
        stalled = resolved === STALLED;
        outputs = stalled ? {} : (resolved as Record<string, unknown>);
    } catch (e) {
        errors.push(asError(e));
    }
    try {
        // A resource whose inputs are still resolving (an ion project being hashed, say) is part of the
        // plan too: wait for every registration the program started, as the runtime does before exiting.
        // After a failure, registrations that wait on the failed value never finish: stop at the stall.
        if (!stalled) {
            stalled = (await Promise.race([pulumi.runtime.disconnect(), stall.signal])) === STALLED;
        }
        if (!stalled) {
            await recorder.settle();
        }
    } finally {
        stall.cancel();
        hooks.release();
        restoreCallsites();
        process.chdir(originalDir);
        release();
    }
    for (const failure of recorder.failures) {
        if (!errors.some((e) => e.message === failure.message)) {
            errors.push(failure);
        }
    }
    if (stalled && errors.length === 0) {
        errors.push(new Error("the program stopped making progress: registrations wait on values that never resolve"));
    }
    return {
        programDir,
        project: project.name,
        stack: options.stack,
        resources: [...recorder.resources],
        calls: [...recorder.calls],
        outputs: outputs ?? {},
        errors,
        inputFailures: hooks.observations.inputFailures,
        constructionOrder: hooks.observations.constructionOrder,
        fixtureValues: [...answers.suppliedValues],
        config,
        stalled,
    };
}

const STALLED = Symbol("stalled");

/**
 * Stops the SDK capturing each resource's whole stack while the program runs; returns what restores it.
 * `Resource.callsites` sets Error.stackTraceLimit to Infinity and parses `new Error().stack` for the source
 * position the engine shows (@pulumi/pulumi resource.js), and under ts-node every such stack is mapped
 * through source maps. A plan sends positions to no engine, so it skips that work.
 */
function withoutResourceCallsites(pulumi: Pulumi): () => void {
    const resource = pulumi.Resource as unknown as { callsites?: () => unknown[] };
    const original = resource.callsites;
    if (typeof original !== "function") {
        return () => undefined;
    }
    resource.callsites = () => [];
    return () => {
        resource.callsites = original;
    };
}

/**
 * Resolves to {@link STALLED} once the program can make no more progress: Node is about to exit with the
 * program's promises still pending (in a process of its own), or, after `failed()`, no registration or
 * lookup has happened for `quietMs` (in a process that stays alive, such as a test runner).
 */
function whenStalled(
    failed: () => boolean,
    recorder: MockRecorder,
    quietMs = 5000,
): { signal: Promise<typeof STALLED>; cancel: () => void } {
    let finish: () => void = () => undefined;
    const signal = new Promise<typeof STALLED>((resolve) => (finish = () => resolve(STALLED)));
    const onBeforeExit = () => finish();
    process.on("beforeExit", onBeforeExit);
    // Unreferenced: the check must not keep alive a process that has nothing else to do.
    const timer = setInterval(
        () => {
            if (failed() && recorder.quietFor() >= quietMs) {
                finish();
            }
        },
        Math.min(50, quietMs),
    );
    timer.unref();
    return {
        signal,
        cancel: () => {
            clearInterval(timer);
            process.off("beforeExit", onBeforeExit);
        },
    };
}

function listenOnProcess(listener: (reason: unknown) => void): () => void {
    process.on("unhandledRejection", listener);
    return () => process.off("unhandledRejection", listener);
}

/** The program's entry point relative to its directory: `main` of Pulumi.yaml, else index.ts or index.js. */
export function entryPoint(programDir: string, project: ProjectFile): string {
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

function asError(reason: unknown): Error {
    return reason instanceof Error ? reason : new Error(String(reason));
}
