/** @npmcli/arborist, about 500 modules, which the SDK's runtime/closure/codePaths.js requires. */
const { lazyModule } = require("./lazyModule");

module.exports = lazyModule("@npmcli/arborist");
