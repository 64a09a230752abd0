/** Jest runs TypeScript through ts-jest without type checking (tsconfig has isolatedModules); `npm run typecheck` type-checks. */
module.exports = {
    testEnvironment: "<rootDir>/test/support/environment.js",
    roots: ["<rootDir>/test"],
    testMatch: ["**/*.test.ts"],
    transform: {
        "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json" }],
    },
    moduleNameMapper: {
        // Example programs import the package by name; tests run them against the source.
        "^pulumi-datomic$": "<rootDir>/components/index.ts",
    },
    testTimeout: 60000,
};
