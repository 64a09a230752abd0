/**
 * Pulumi's SDK captures a stack trace for every promise it creates (runtime/debuggable.js), kept only to
 * name leaked promises. Under Jest each of them is mapped through source maps, which was half of a
 * component test's CPU time. Those traces are formatted as Node formats them, unmapped and 10 frames deep; every other error
 * keeps its source-mapped stack.
 */
const mapStackTrace = Error.prepareStackTrace;
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

Error.prepareStackTrace = (error, frames) =>
    isPulumiPromiseTrace(frames)
        ? `${error}${frames
              .slice(0, NODE_DEFAULT_DEPTH)
              .map((frame) => `\n    at ${frame}`)
              .join("")}`
        : mapStackTrace(error, frames);
