/**
 * pulumi-datomic: Pulumi components for running Datomic on AWS.
 * This module is the package's public surface; it only re-exports.
 */
export * from "./contract";
export * from "./reference";
export * from "./cloud/system";
