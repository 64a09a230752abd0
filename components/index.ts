/**
 * pulumi-datomic: Pulumi components for running Datomic on AWS.
 * This module is the package's public surface; it only re-exports.
 */
export * from "./contract";
export * from "./contractReader";
export * from "./reference";
export * from "./cloud/system/system";
export * from "./cloud/access/access";
export * from "./cloud/access/clientEndpoint";
export * from "./cloud/access/peering";
export * from "./cloud/access/peeringAccepter";
export * from "./cloud/http/httpDirect";
export * from "./cloud/http/ionApiDomain";
export * from "./cloud/ions/queryGroup";
export * from "./cloud/ions/ionDeployment";
export * from "./cloud/monitoring";
export { hashIonSources, ION_CONFIG_RESOURCE } from "./internal/ionSources";
export type { HashIonSourcesOptions, HashedIonFile, IonSourceHash } from "./internal/ionSources";
export { ION_RELEASE_EXIT } from "./internal/ionDev";
export type { IonReleaseResult } from "./internal/ionDev";
export * from "./pro/transactor/transactor";
export * from "./pro/backup/backup";
export * from "./pro/transactor/migration";
export * from "./migration/terraformReference";
export { DEFAULT_TERRAFORM_OUTPUT_NAMES, UNMAPPED_TERRAFORM_OUTPUTS } from "./internal/terraformOutputs";
