/**
 * A module loaded when first used, for Jest's moduleNameMapper. The Pulumi SDK eagerly requires modules
 * that only its closure serialization uses, which these tests never do, and each fresh module registry
 * (one per test file and one per program run) loaded them again. A use still gets the real module.
 */
const { createRequire } = require("module");

const fromPulumi = createRequire(require.resolve("@pulumi/pulumi"));

/** A stand-in for `request`, resolved as @pulumi/pulumi resolves it, that loads the real module on first use. */
function lazyModule(request) {
    const realPath = fromPulumi.resolve(request);
    let real;
    return new Proxy(
        {},
        {
            get(_, key) {
                // The SDK's __importStar takes an ES module's namespace as it is, without reading its keys.
                if (key === "__esModule") {
                    return true;
                }
                real ??= require(realPath);
                return real[key];
            },
        },
    );
}

module.exports = { lazyModule };
