/**
 * The environment program: the shared Datomic layer of one AWS account
 * (stacks dev, stage, prod). It validates the stack's config once, builds the
 * components and exports the environment stack contract, which services read
 * with DatomicSystemReference.
 */
import * as pulumi from "@pulumi/pulumi";
import { buildEnvironment } from "./environment/build";
import { parseEnvironmentConfig } from "./environment/config";
import { readStackConfig } from "./environment/stackConfig";

// Read through pulumi.Config, so secret values stay secret into the resources and the state.
const stackConfig = readStackConfig();
const config = parseEnvironmentConfig(
    stackConfig.values,
    stackConfig.secretKeys,
    stackConfig.problems,
    // The stack decides whether a pro flavor's backups are on by default.
    pulumi.getStack(),
);

export = buildEnvironment(config);
