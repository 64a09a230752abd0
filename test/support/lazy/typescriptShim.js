/** The SDK's TypeScript shim, that is TypeScript itself (9 MB), which runtime/closure/parseFunction.js requires. */
const { lazyModule } = require("./lazyModule");

module.exports = lazyModule("@pulumi/pulumi/typescript-shim");
