/**
 * The Datomic environment this service runs in, read from the environment
 * stack's outputs (the stack contract, through DatomicSystemReference).
 */
import * as pulumi from "@pulumi/pulumi";
import { DatomicSystemReference } from "pulumi-datomic";
import { ServiceConfig, ServiceConfigError } from "./config";

/** The environment, with the values the program's shape depends on already read. */
export interface DatomicEnvironment {
    datomic: DatomicSystemReference;
    /** The environment stack, e.g. `acme/datomic/dev`. */
    stack: string;
    /** The stack's short name (`dev`), which is also the `:env` keyword the ions see. */
    name: string;
    /** `"nlb"`: clients reach Datomic through an endpoint service; `"alb"`: through VPC peering. */
    topology: "nlb" | "alb";
}

/**
 * Reads the environment. Its flavor and topology decide which resources the service has, so they are
 * read as values (a stack reference's outputs are known at preview) and checked against the settings.
 */
export async function readEnvironment(config: ServiceConfig): Promise<DatomicEnvironment> {
    const datomic = new DatomicSystemReference("datomic", { stack: config.environment });
    const value = async (output: string) =>
        (await datomic.stackReference.getOutputDetails(output)).value as string | undefined;
    const [flavor, topology] = await Promise.all([value("flavor"), value("topology")]);
    const namespace = pulumi.getProject();
    if (flavor !== "cloud") {
        throw new ServiceConfigError([
            `${namespace}:environment: ${config.environment} runs Datomic flavor ${JSON.stringify(flavor)}; ` +
                "this service needs Datomic Cloud (ions and query groups)",
        ]);
    }
    if (topology !== "nlb" && topology !== "alb") {
        throw new ServiceConfigError([
            `${namespace}:environment: ${config.environment} exports topology ${JSON.stringify(topology)}; expected "nlb" or "alb"`,
        ]);
    }
    if (config.api !== undefined && topology !== "nlb") {
        throw new ServiceConfigError([
            `${namespace}:api: HTTP Direct through an API Gateway of our own needs the nlb topology; ${config.environment} ` +
                "is alb, where the query group's own API Gateway (IonApiGatewayEndpoint) serves the ions: remove the setting",
        ]);
    }
    return { datomic, stack: config.environment, name: config.environment.split("/")[2], topology };
}
