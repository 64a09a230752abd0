/**
 * Collects the unhandled promise rejections raised while `body` runs: how a
 * Pulumi program surfaces a ResourceError thrown inside an `apply` that feeds a
 * resource's inputs (the engine then fails the deployment with that message).
 */
type RejectionListener = (reason: unknown) => void;

/** The real process (see environment.js); Jest's sandboxed `process` does not see rejections. */
function hostProcess(): NodeJS.Process {
    const host = (globalThis as { __hostProcess?: NodeJS.Process }).__hostProcess;
    if (!host) {
        throw new Error("captureRejections needs the test environment in test/support/environment.js");
    }
    return host;
}

/** Routes unhandled rejections to `listener` instead of Jest until the returned function is called. */
export function trapRejections(listener: RejectionListener): () => void {
    const host = hostProcess();
    const jestListeners = host.listeners("unhandledRejection") as RejectionListener[];
    host.removeAllListeners("unhandledRejection");
    host.on("unhandledRejection", listener);
    return () => {
        host.off("unhandledRejection", listener);
        for (const jestListener of jestListeners) {
            host.on("unhandledRejection", jestListener);
        }
    };
}

export async function captureRejections(body: () => Promise<void>): Promise<Error[]> {
    const errors: Error[] = [];
    const release = trapRejections((reason) =>
        errors.push(reason instanceof Error ? reason : new Error(String(reason))),
    );
    try {
        await body().catch((e: unknown) => errors.push(e as Error));
        // Rejections are reported after the microtask queue drains.
        await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
        release();
    }
    return errors;
}
