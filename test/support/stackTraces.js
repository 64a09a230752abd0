/**
 * Stack traces the Pulumi SDK captures for every promise and every resource are formatted without Jest's
 * source maps, which cost half of a component test's CPU time. Every other error keeps its source-mapped
 * stack.
 *
 * - A promise's trace (runtime/debuggable.js) only names leaked promises when PULUMI_DEBUG_PROMISE_LEAKS
 *   is set: then it is formatted as Node formats it, 10 frames deep; otherwise it is left out.
 * - A resource's trace (Resource.callsites, every frame) gives the source position the engine records
 *   for the resource, which the mocks ignore: it is formatted as Node formats it, with positions in the
 *   transpiled code.
 */
const mapStackTrace = Error.prepareStackTrace;
const DEBUG_PROMISE_LEAKS = Boolean(process.env.PULUMI_DEBUG_PROMISE_LEAKS);
// Jest captures 100 frames; Node's default of 10 is enough to tell where a leaked promise came from.
const NODE_DEFAULT_DEPTH = 10;

/** "promise" or "resource" for a trace the SDK captures in the given function of the given file, else undefined. */
function pulumiTrace(frames) {
    const top = frames[0];
    const file = top?.getFileName() ?? "";
    if (!/[\\/]@pulumi[\\/]pulumi[\\/]/.test(file)) {
        return undefined;
    }
    const name = top.getFunctionName();
    if (name === "debuggablePromise" && /[\\/]runtime[\\/]debuggable\.js$/.test(file)) {
        return "promise";
    }
    return name === "callsites" && /[\\/]pulumi[\\/]resource\.js$/.test(file) ? "resource" : undefined;
}

function unmapped(error, frames) {
    return `${error}${frames.map((frame) => `\n    at ${frame}`).join("")}`;
}

Error.prepareStackTrace = (error, frames) => {
    switch (pulumiTrace(frames)) {
        case "promise":
            return DEBUG_PROMISE_LEAKS ? unmapped(error, frames.slice(0, NODE_DEFAULT_DEPTH)) : String(error);
        case "resource":
            return unmapped(error, frames);
        default:
            return mapStackTrace(error, frames);
    }
};
