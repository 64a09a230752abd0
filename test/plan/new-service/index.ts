/**
 * A new service: its own query group in the environment's Datomic system, and a
 * security group its Lambda functions use to reach the Datomic nodes. Its only
 * lookups are the environment stack's outputs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatomicSystemReference, QueryGroup } from "pulumi-datomic";

const config = new pulumi.Config();
const datomic = new DatomicSystemReference("datomic", { stack: config.require("environment") });

const group = new QueryGroup("billing", {
    systemName: datomic.systemName,
    systemRelease: datomic.release,
    applicationName: "billing",
    keyName: datomic.keyName,
    instanceType: "t3.large",
    desiredCapacity: 1,
});

const clients = new aws.ec2.SecurityGroup("billing-clients", {
    vpcId: datomic.vpcId,
    description: "Datomic clients of the billing service",
    egress: [{ protocol: "tcp", fromPort: 8182, toPort: 8182, cidrBlocks: [datomic.vpcCidrBlock] }],
});

new aws.vpc.SecurityGroupIngressRule("billing-to-datomic", {
    securityGroupId: datomic.nodeSecurityGroupId,
    referencedSecurityGroupId: clients.id,
    ipProtocol: "tcp",
    fromPort: 8182,
    toPort: 8182,
    description: "Datomic Client API from the billing service",
});

export const queryGroup = group.stackName;
export const clientEndpoint = datomic.clientEndpoint;
