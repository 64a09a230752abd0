/**
 * How the service's VPC and the Datomic VPC reach each other:
 * - the report function reaches the Client API (port 8182): through an interface endpoint on the nlb
 *   topology (DatomicClientEndpoint), across the VPC peering on alb, where the peered VPC resolves
 *   `entry-http.<system>.<region>.datomic.net` through Datomic's private hosted zone;
 * - the Datomic nodes (the ions) reach Redis (6379) in the service VPC across the VPC peering, as the
 *   Terraform setup this replaces did. A service in another account than Datomic's (stage) requests the
 *   peering with the Datomic account's provider and accepts it with its own.
 *
 * Source: docs.datomic.com/operation/vpc-access.html (nlb: endpoint services; alb: VPC peering and the
 * private hosted zone).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    DatomicClientEndpoint,
    DatomicPeering,
    DatomicPeeringAccepter,
    DatomicPeeringIngressRule,
} from "pulumi-datomic";
import type { ServiceConfig } from "./config";
import type { DatomicEnvironment } from "./environment";
import { REDIS_PORT } from "./redis";

export interface DatomicAccessArgs {
    environment: DatomicEnvironment;
    network: NonNullable<ServiceConfig["network"]>;
    databaseName: string;
    /** The group of the Client API's callers (the report function). */
    callerSecurityGroup: aws.ec2.SecurityGroup;
    redisSecurityGroup: aws.ec2.SecurityGroup;
    /** The Datomic account's provider, when the service runs in another account. */
    datomicAccount?: aws.Provider;
}

/** The environment variables a Datomic client in the service VPC needs: `DATOMIC_ENDPOINT` and the rest. */
export function connectToDatomic(name: string, args: DatomicAccessArgs): Record<string, pulumi.Output<string>> {
    const { datomic, topology } = args.environment;
    const redisRule: DatomicPeeringIngressRule = {
        direction: "datomic-to-peer",
        port: REDIS_PORT,
        peerSecurityGroupId: args.redisSecurityGroup.id,
        description: "Redis from the Datomic nodes (ions)",
    };
    const datomicSide = {
        datomicVpcId: datomic.vpcId,
        datomicVpcCidrBlock: datomic.vpcCidrBlock,
        datomicRouteTableIds: datomic.routeTableIds,
        datomicNodeSecurityGroupId: datomic.nodeSecurityGroupId,
        peerVpcId: args.network.vpcId,
        peerVpcCidrBlocks: [args.network.vpcCidrBlock],
    };

    if (topology === "alb") {
        const zone = aws.route53.getZoneOutput({ name: datomic.privateHostedZoneName, privateZone: true });
        new DatomicPeering(name, {
            ...datomicSide,
            peerRouteTableIds: args.network.routeTableIds,
            ingress: [
                redisRule,
                {
                    direction: "peer-to-datomic",
                    peerSecurityGroupId: args.callerSecurityGroup.id,
                    description: `Datomic Client API from the ${name} service`,
                },
            ],
            privateHostedZoneId: zone.zoneId,
        });
        return datomic.clientEnvironment(args.databaseName);
    }

    const endpoint = new DatomicClientEndpoint(name, {
        vpcId: args.network.vpcId,
        subnetIds: args.network.subnetIds,
        endpointServiceName: datomic.endpointServiceName,
        allowedSecurityGroupIds: [args.callerSecurityGroup.id],
    });
    peerForRedis(name, args, datomicSide, redisRule);
    return endpoint.clientEnvironment(datomic.systemName, args.databaseName);
}

/** nlb: a peering for the nodes' traffic to Redis only; across accounts, requested there and accepted here. */
function peerForRedis(
    name: string,
    args: DatomicAccessArgs,
    datomicSide: Omit<ConstructorParameters<typeof DatomicPeering>[1], "peerRouteTableIds">,
    redisRule: DatomicPeeringIngressRule,
): void {
    if (args.datomicAccount === undefined) {
        new DatomicPeering(name, {
            ...datomicSide,
            peerRouteTableIds: args.network.routeTableIds,
            ingress: [redisRule],
        });
        return;
    }
    const { datomic } = args.environment;
    const [accepted, resolveAccepted] = pulumi.deferredOutput<string>();
    const peering = new DatomicPeering(
        name,
        {
            ...datomicSide,
            peerOwnerId: aws.getCallerIdentityOutput().accountId,
            acceptedPeeringConnectionId: accepted,
        },
        { provider: args.datomicAccount },
    );
    const accepter = new DatomicPeeringAccepter(name, {
        peeringConnectionId: peering.peeringConnectionId,
        datomicVpcCidrBlock: datomic.vpcCidrBlock,
        peerVpcCidrBlocks: [args.network.vpcCidrBlock],
        peerRouteTableIds: args.network.routeTableIds,
        // A security group in another account is referenced as <account>/<group>.
        datomicNodeSecurityGroupId: pulumi.interpolate`${datomic.accountId}/${datomic.nodeSecurityGroupId}`,
        ingress: [redisRule],
    });
    resolveAccepted(accepter.peeringConnectionId);
}
