/** Jest runs TypeScript through ts-jest without type checking (tsconfig has isolatedModules); `npm run typecheck` type-checks. */
const os = require("os");

// datomic-plan type-checks a program before planning it, as pulumi preview does; the suite's child processes
// plan temporary copies of programs, each of which would pay a full check. They plan without it;
// test/plan/typeCheck.test.ts tests the check with the variable unset.
process.env.PULUMI_NODEJS_TRANSPILE_ONLY ??= "true";

module.exports = {
    // At least two workers, even on two cores (where Jest's default is one): many suites spend their time
    // waiting on child processes (datomic-plan, typedoc, npm pack, shellcheck, the fake ion-dev), which a
    // second worker overlaps with work.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    testEnvironment: "<rootDir>/test/support/environment.js",
    setupFilesAfterEnv: ["<rootDir>/test/support/stackTraces.js"],
    roots: ["<rootDir>/test"],
    testMatch: ["**/*.test.ts"],
    transform: {
        "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json" }],
    },
    moduleNameMapper: {
        // Example programs import the package by name; tests run them against the source.
        "^pulumi-datomic$": "<rootDir>/components/index.ts",
        // What the Pulumi SDK requires eagerly but these tests never use, loaded on first use (test/support/lazy).
        "^@npmcli/arborist$": "<rootDir>/test/support/lazy/arborist.js",
        "^(\\./|(\\.\\./)+)typescript-shim$": "<rootDir>/test/support/lazy/typescriptShim.js",
    },
    testTimeout: 60000,
};
