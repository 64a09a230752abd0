/**
 * Pulumi's SDK captures a stack trace for every promise it creates (runtime/debuggable.js), kept only to
 * name leaked promises when PULUMI_DEBUG_PROMISE_LEAKS is set. Under Jest each of them was mapped through
 * source maps, which was half of a component test's CPU time. Those traces are now formatted only when
 * PULUMI_DEBUG_PROMISE_LEAKS is set, and then as Node formats them, unmapped and 10 frames deep; every
 * other error keeps its source-mapped stack.
 */
const mapStackTrace = Error.prepareStackTrace;
const DEBUG_PROMISE_LEAKS = Boolean(process.env.PULUMI_DEBUG_PROMISE_LEAKS);
// Jest captures 100 frames; Node's default of 10 is enough to tell where a leaked promise came from.
const NODE_DEFAULT_DEPTH = 10;

function isPulumiPromiseTrace(frames) {
    const top = frames[0];
    return (
        top !== undefined &&
        top.getFunctionName() === "debuggablePromise" &&
        /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js$/.test(top.getFileName() ?? "")
    );
}

function unmapped(error, frames) {
    return `${error}${frames
        .slice(0, NODE_DEFAULT_DEPTH)
        .map((frame) => `\n    at ${frame}`)
        .join("")}`;
}

Error.prepareStackTrace = (error, frames) => {
    if (!isPulumiPromiseTrace(frames)) {
        return mapStackTrace(error, frames);
    }
    return DEBUG_PROMISE_LEAKS ? unmapped(error, frames) : String(error);
};
