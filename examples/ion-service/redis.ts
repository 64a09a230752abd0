/**
 * The service's Redis (ElastiCache), in the service VPC. The ions on the
 * Datomic nodes reach it across the VPC peering (see datomicAccess.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceConfig } from "./config";

export const REDIS_PORT = 6379;

export interface Redis {
    securityGroup: aws.ec2.SecurityGroup;
    /** The primary endpoint's host name. */
    host: pulumi.Output<string>;
}

export function createRedis(
    name: string,
    network: NonNullable<ServiceConfig["network"]>,
    settings: ServiceConfig["redis"],
): Redis {
    // Its ingress rules are made by the peering, for the Datomic nodes' security group.
    const securityGroup = new aws.ec2.SecurityGroup(`${name}-redis`, {
        vpcId: network.vpcId,
        description: `Redis of the ${name} service`,
        tags: { Name: `${name}-redis` },
    });
    const subnets = new aws.elasticache.SubnetGroup(`${name}-redis`, {
        subnetIds: network.subnetIds,
        description: `Subnets of the ${name} service's Redis`,
    });
    const failover = settings.nodes >= 2;
    const group = new aws.elasticache.ReplicationGroup(`${name}-redis`, {
        description: `Cache of the ${name} service's ions`,
        engine: "redis",
        nodeType: settings.nodeType,
        numCacheClusters: settings.nodes,
        automaticFailoverEnabled: failover,
        multiAzEnabled: failover,
        port: REDIS_PORT,
        subnetGroupName: subnets.name,
        securityGroupIds: [securityGroup.id],
        atRestEncryptionEnabled: true,
        transitEncryptionEnabled: true,
    });
    return { securityGroup, host: group.primaryEndpointAddress };
}
