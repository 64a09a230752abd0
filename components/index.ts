/**
 * pulumi-datomic: Pulumi components for running Datomic on AWS.
 * This module is the package's public surface; it only re-exports.
 */
export * from "./contract";
export * from "./contractReader";
export * from "./reference";
export * from "./cloud/system";
export * from "./cloud/access";
export * from "./cloud/clientEndpoint";
export * from "./cloud/peering";
export * from "./cloud/peeringAccepter";
export * from "./cloud/httpDirect";
export * from "./cloud/ionApiDomain";
export * from "./cloud/queryGroup";
export * from "./cloud/ionDeployment";
export { hashIonSources, ION_CONFIG_RESOURCE } from "./internal/ionSources";
export type { HashIonSourcesOptions, HashedIonFile, IonSourceHash } from "./internal/ionSources";
export { ION_RELEASE_EXIT } from "./internal/ionDev";
export type { IonReleaseResult } from "./internal/ionDev";
export * from "./pro/transactor";
export * from "./pro/backup";
export * from "./pro/migration";
export * from "./migration/terraformReference";
export { DEFAULT_TERRAFORM_OUTPUT_NAMES, UNMAPPED_TERRAFORM_OUTPUTS } from "./internal/terraformOutputs";
