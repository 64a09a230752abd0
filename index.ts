/**
 * The environment program: the shared Datomic layer of one AWS account
 * (stacks dev, stage, prod). It validates the stack's config once, builds the
 * components and exports the environment stack contract, which services read
 * with DatomicSystemReference.
 */
import * as pulumi from "@pulumi/pulumi";
import { buildEnvironment } from "./environment/build";
import { decodeConfigValues, parseEnvironmentConfig } from "./environment/config";

const config = parseEnvironmentConfig(decodeConfigValues(pulumi.runtime.allConfig()), pulumi.getStack());

export = buildEnvironment(config);
