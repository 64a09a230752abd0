/**
 * The transactor's network: its security group, which admits TCP 4334 from peers only (as `ensure-cf`
 * opened it), a security group for applications, and what the environment contract says of the VPC.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { nameFragment } from "../../internal/naming";
import type { DatomicTransactorArgs } from "./args";
import { TRANSACTOR_PORT } from "./properties";
import type { ComponentScope } from "../scope";
import type { TransactorSettings } from "./settings";

/** How long a replaced transactor group's deletion may wait for the instance refresh to move the instances off it. */
const SECURITY_GROUP_DELETE_TIMEOUT = "60m";

/** The transactors' group and the peers' group. */
export interface TransactorNetwork {
    transactorGroup: aws.ec2.SecurityGroup;
    peerGroup: aws.ec2.SecurityGroup;
}

/** Both security groups, their egress and the transactor group's ingress rules. */
export function createTransactorNetwork(
    scope: ComponentScope,
    settings: TransactorSettings,
    args: DatomicTransactorArgs,
    vpcCidrBlock: pulumi.Output<string>,
): TransactorNetwork {
    const { name, tags } = scope;
    const parent = { parent: scope.parent };
    const systemName = settings.systemName;
    // Replaced (a new description or VPC) while instances use it: the new group comes first, under a fresh
    // name from the prefix; the launch template moves to it, the refresh moves the instances, and the old
    // group's deletion waits (AWS refuses it while an instance uses it) for the refresh to finish. A name
    // given to adopt an existing group is kept as it is.
    const transactorGroup = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        {
            name: args.securityGroupName,
            namePrefix: args.securityGroupName === undefined ? `${settings.securityGroupName}-` : undefined,
            description: args.securityGroupDescription ?? `Datomic transactors of ${systemName}`,
            vpcId: args.vpcId,
            tags: { ...tags, Name: settings.securityGroupName },
        },
        {
            ...parent,
            deleteBeforeReplace: false,
            customTimeouts: { delete: SECURITY_GROUP_DELETE_TIMEOUT },
        },
    );
    const peerGroup = new aws.ec2.SecurityGroup(
        `${name}-peer-sg`,
        {
            name: `${systemName}-datomic-peers`,
            description: `Datomic peers of ${systemName}: members reach the transactors on TCP ${TRANSACTOR_PORT}`,
            vpcId: args.vpcId,
            tags: { ...tags, Name: `${systemName}-datomic-peers` },
        },
        parent,
    );
    for (const [group, suffix] of [
        [transactorGroup, "sg"],
        [peerGroup, "peer-sg"],
    ] as const) {
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-${suffix}-egress-ipv4`,
            {
                securityGroupId: group.id,
                ipProtocol: "-1",
                cidrIpv4: "0.0.0.0/0",
                description: "All outbound traffic (DynamoDB, S3, the Datomic download, peers)",
                tags,
            },
            parent,
        );
    }
    const ingress = (suffix: string, source: Partial<aws.vpc.SecurityGroupIngressRuleArgs>, description: string) =>
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-ingress-${suffix}`,
            {
                securityGroupId: transactorGroup.id,
                ipProtocol: "tcp",
                fromPort: TRANSACTOR_PORT,
                toPort: TRANSACTOR_PORT,
                description,
                tags,
                ...source,
            },
            parent,
        );
    ingress("peer-sg", { referencedSecurityGroupId: peerGroup.id }, `Datomic peers (${systemName}-datomic-peers)`);
    for (const groupId of settings.peerSecurityGroupIds) {
        ingress(nameFragment(groupId), { referencedSecurityGroupId: groupId }, `Datomic peers in ${groupId}`);
    }
    for (const groupName of settings.peerSecurityGroupNames) {
        const group = aws.ec2.getSecurityGroupOutput({ name: groupName, vpcId: args.vpcId }, parent);
        ingress(
            `sg-${nameFragment(groupName)}`,
            { referencedSecurityGroupId: group.id },
            `Datomic peers in ${groupName}`,
        );
    }
    for (const cidr of settings.peerCidrs) {
        ingress(
            nameFragment(cidr),
            cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr },
            `Datomic peers in ${cidr}`,
        );
    }
    if (args.pingPort !== undefined) {
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-health-vpc`,
            {
                securityGroupId: transactorGroup.id,
                ipProtocol: "tcp",
                fromPort: args.pingPort,
                toPort: args.pingPort,
                cidrIpv4: vpcCidrBlock,
                description: "Transactor health endpoint (/health), from the VPC only",
                tags,
            },
            parent,
        );
    }
    return { transactorGroup, peerGroup };
}

/** The CIDR blocks of `subnetIds`, for the environment contract. */
export function subnetCidrBlocks(
    subnetIds: pulumi.Input<pulumi.Input<string>[]>,
    opts: pulumi.InvokeOptions,
): pulumi.Output<string[]> {
    return pulumi
        .output(subnetIds)
        .apply((ids) => Promise.all(ids.map((id) => aws.ec2.getSubnet({ id }, opts))))
        .apply((subnets) => subnets.map((subnet) => subnet.cidrBlock));
}

/** The route tables of `subnetIds`, and the VPC's main route table (which serves subnets with no explicit one). */
export function routeTableIds(
    vpcId: pulumi.Input<string>,
    subnetIds: pulumi.Input<pulumi.Input<string>[]>,
    opts: pulumi.InvokeOptions,
): pulumi.Output<string[]> {
    const explicit = aws.ec2.getRouteTablesOutput(
        { vpcId, filters: [{ name: "association.subnet-id", values: subnetIds }] },
        opts,
    ).ids;
    const main = aws.ec2.getRouteTablesOutput(
        { vpcId, filters: [{ name: "association.main", values: ["true"] }] },
        opts,
    ).ids;
    return pulumi.all([explicit, main]).apply(([ids, mainIds]) => [...new Set([...ids, ...mainIds])]);
}
