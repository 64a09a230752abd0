/**
 * Jest's node environment, plus a way for tests to observe unhandled promise
 * rejections: the channel through which a Pulumi program reports a
 * ResourceError raised inside an `apply` (the engine then fails the update).
 * Jest turns such rejections into test failures before a test can see them, so
 * the real process is exposed as `__hostProcess` and `captureRejections` stands
 * in for Jest's listeners while it runs.
 */
const { TestEnvironment } = require("jest-environment-node");

class PulumiTestEnvironment extends TestEnvironment {
    async setup() {
        await super.setup();
        this.global.__hostProcess = process;
        // Each fresh copy of @pulumi/pulumi (one per program run) adds exit listeners, to the real process
        // and to the sandbox's own process object.
        process.setMaxListeners(100);
        this.global.process.setMaxListeners(100);
    }
}

module.exports = PulumiTestEnvironment;
