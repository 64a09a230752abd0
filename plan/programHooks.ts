/**
 * What the Pulumi SDK knows during a run but does not tell the mocks: the order
 * in which the program constructs its resources, and which resource's inputs a
 * failure was found in. Both are read by wrapping two functions of the
 * program's own copy of the SDK for the length of one run.
 */

/** A failure found while serializing a resource's inputs: which resource, which input. */
export interface InputFailure {
    readonly type: string;
    readonly name: string;
    /** The input's path, such as `triggers.outputs`, when the SDK named it. */
    readonly property?: string;
    readonly error: Error;
}

/** What the hooks observed. */
export interface ProgramObservations {
    /** `type::name` of every resource in the order the program constructed it. */
    readonly constructionOrder: string[];
    readonly inputFailures: InputFailure[];
}

type AnyFunction = (...args: unknown[]) => unknown;

/** The SDK prefixes an error with each property it was found under (runtime/rpc.js). */
const PROPERTY_PREFIX = /^error serializing property "([^"]*)": /;

/**
 * Installs the hooks into the SDK that `requireModule` loads (the program's own copy). Returns what they
 * observe, and a function that removes them.
 */
export function observeProgram(requireModule: (id: string) => unknown): {
    observations: ProgramObservations;
    release: () => void;
} {
    const observations: ProgramObservations = { constructionOrder: [], inputFailures: [] };
    const resourceModule = requireModule("@pulumi/pulumi/runtime/resource") as Record<string, AnyFunction>;
    const rpcModule = requireModule("@pulumi/pulumi/runtime/rpc") as Record<string, AnyFunction>;
    const restores: (() => void)[] = [];
    const wrap = (
        module: Record<string, AnyFunction>,
        name: string,
        wrapper: (original: AnyFunction) => AnyFunction,
    ) => {
        const original = module[name];
        if (typeof original !== "function") {
            return; // another SDK version: the plan keeps registration order and unattributed errors
        }
        module[name] = wrapper(original);
        restores.push(() => (module[name] = original));
    };
    // Resource constructors call these synchronously (resource.js), so their order is the program's order.
    for (const [name, typeIndex] of [
        ["registerResource", 2],
        ["readResource", 2],
    ] as const) {
        wrap(
            resourceModule,
            name,
            (original) =>
                function (this: unknown, ...args: unknown[]) {
                    observations.constructionOrder.push(`${String(args[typeIndex])}::${String(args[typeIndex + 1])}`);
                    return original.apply(this, args);
                },
        );
    }
    // prepareResource serializes a resource's inputs with the label `resource:<name>[<type>]`.
    wrap(
        rpcModule,
        "serializeResourceProperties",
        (original) =>
            function (this: unknown, ...args: unknown[]) {
                const label = String(args[0]);
                return (original.apply(this, args) as Promise<unknown>).catch((error: unknown) => {
                    const found = /^resource:(.*)\[([^\]]*)\]$/.exec(label);
                    if (found && error instanceof Error) {
                        observations.inputFailures.push({ type: found[2], name: found[1], ...unprefix(error) });
                    }
                    throw error;
                });
            },
    );
    return { observations, release: () => restores.reverse().forEach((restore) => restore()) };
}

/**
 * Splits the SDK's property prefixes off an error's message. The SDK prefixes the same error object again
 * for every resource it fails, so the message is set back to its cause for the next one.
 */
function unprefix(error: Error): { property?: string; error: Error } {
    const path: string[] = [];
    let message = error.message;
    for (let found = PROPERTY_PREFIX.exec(message); found; found = PROPERTY_PREFIX.exec(message)) {
        path.push(found[1]);
        message = message.slice(found[0].length);
    }
    error.message = message;
    return { error, ...(path.length ? { property: path.join(".") } : {}) };
}
