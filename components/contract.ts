/**
 * The environment stack contract: the outputs the environment program exports
 * and {@link DatomicSystemReference} reads (see ARCHITECTURE.md, "The environment
 * stack contract"). Output names are spelled here once, so consumers never spell
 * them by hand.
 */
import * as pulumi from "@pulumi/pulumi";

/** Every output of the environment stack contract, by name. */
export const CONTRACT_OUTPUT_NAMES = [
    "flavor",
    "region",
    "accountId",
    "systemName",
    "topology",
    "release",
    "vpcId",
    "vpcCidrBlock",
    "subnetCidrBlocks",
    "routeTableIds",
    "nodeSecurityGroupId",
    "bastionSecurityGroupId",
    "lambdaSecurityGroupId",
    "appsSecurityGroupId",
    "loadBalancerArn",
    "loadBalancerName",
    "httpDirectEndpoint",
    "endpointServiceName",
    "clientApiGatewayEndpoint",
    "ionApiGatewayEndpoint",
    "subnetIds",
    "availabilityZoneIds",
    "privateHostedZoneName",
    "privateHostedZoneId",
    "clientEndpoint",
    "codeDeployApplicationName",
    "codeBucketArn",
    "keyName",
    "storageArn",
    "peerRoleArn",
    "peerInstanceProfileName",
    "peerSecurityGroupId",
    "connectionUriBase",
] as const;

/** The name of one contract output. */
export type ContractOutputName = (typeof CONTRACT_OUTPUT_NAMES)[number];

/** The contract outputs that hold a list of strings. */
export type ContractListOutputName = "subnetCidrBlocks" | "routeTableIds" | "subnetIds" | "availabilityZoneIds";

/** Contract outputs that hold a list of strings; every other output is a string. */
export const CONTRACT_LIST_OUTPUTS: ReadonlySet<ContractOutputName> = new Set<ContractListOutputName>([
    "subnetCidrBlocks",
    "routeTableIds",
    "subnetIds",
    "availabilityZoneIds",
]);

/**
 * The values an environment exports. A component fills the outputs its flavor
 * and topology have; an output that resolves to `undefined` is left out of the
 * stack's outputs.
 */
export type DatomicEnvironmentOutputs = {
    [K in ContractOutputName]?: pulumi.Output<(K extends ContractListOutputName ? string[] : string) | undefined>;
} & {
    /** `"cloud"` or `"pro"`. */
    flavor: pulumi.Output<string>;
    /** The region the system runs in. */
    region: pulumi.Output<string>;
    /** The AWS account the system runs in. */
    accountId: pulumi.Output<string>;
    /** Datomic system name (cloud) or transactor name (pro). */
    systemName: pulumi.Output<string>;
};

/** The flavors of Datomic an environment can run. */
export const DATOMIC_FLAVORS = ["cloud", "pro"] as const;

/**
 * The network topologies of Datomic Cloud: the NLB of production systems before 884-9095, the ALB
 * since, and the solo topology of releases before 884-9095 (one node, no load balancer, no query
 * groups), which 884-9095 replaced.
 */
export const DATOMIC_TOPOLOGIES = ["nlb", "alb", "solo"] as const;

/** One of {@link DATOMIC_TOPOLOGIES}. */
export type DatomicTopology = (typeof DATOMIC_TOPOLOGIES)[number];

/**
 * The environment variables a Datomic client (a Lambda function, say) needs:
 * the names the Terraform setup this package replaces injected into its Lambdas.
 */
export function datomicClientEnvironment(args: {
    systemName: pulumi.Input<string>;
    region: pulumi.Input<string>;
    databaseName: pulumi.Input<string>;
    endpoint: pulumi.Input<string>;
}): Record<string, pulumi.Output<string>> {
    return {
        DATOMIC_SYSTEM_NAME: pulumi.output(args.systemName),
        DATOMIC_REGION: pulumi.output(args.region),
        DATOMIC_DATABASE_NAME: pulumi.output(args.databaseName),
        DATOMIC_ENDPOINT: pulumi.output(args.endpoint),
    };
}
