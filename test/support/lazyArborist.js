/**
 * @npmcli/arborist, loaded when first used. The Pulumi SDK requires it eagerly, for the closure
 * serialization these tests never use: about 500 modules, well over half of what a program run
 * loads, that each fresh module registry (one per program run) would load again. A use still gets
 * the real module.
 */
const { createRequire } = require("module");

const realPath = createRequire(require.resolve("@pulumi/pulumi")).resolve("@npmcli/arborist");
let real;

module.exports = new Proxy(
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
