/**
 * Lookups of the parts of a Datomic Cloud system that no stack output names, by the tags Datomic
 * documents: route tables `Name=datomic-<system>`, subnets `Name=datomic-<system>-subnet-0..2`
 * (docs.datomic.com/operation/vpc-access.html) and the nodes security group `Name=<system>-nodes`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DatomicTopology } from "../../contract";
import { privateHostedZoneName } from "../../internal/endpoints";
import { DatomicStackView, optionalStackOutput } from "../stackOutputs";

/** The Datomic VPC's route tables; none found is an error naming the tag searched. */
export function datomicRouteTableIds(
    owner: pulumi.Resource,
    vpcId: pulumi.Output<string>,
    systemName: string,
): pulumi.Output<string[]> {
    const tag = `datomic-${systemName}`;
    const tables = aws.ec2.getRouteTablesOutput(
        { vpcId, filters: [{ name: "tag:Name", values: [tag] }] },
        { parent: owner },
    );
    return pulumi.all([vpcId, tables.ids]).apply(([vpc, ids]) => {
        if (ids.length === 0) {
            throw new pulumi.ResourceError(
                `No route table tagged Name=${tag} in the Datomic VPC ${vpc}; Datomic's storage stack tags its route tables so. ` +
                    `Check systemName, or tag the VPC's route tables Name=${tag}.`,
                owner,
            );
        }
        return ids;
    });
}

/**
 * The nodes security group: the compute stack's `NodeSecurityGroup` output, else the group tagged
 * `Name=<system>-nodes` in the Datomic VPC (releases whose stacks lack the output). `neededFor` makes
 * finding none an error naming both places searched.
 */
export function nodeSecurityGroupId(
    owner: pulumi.Resource,
    compute: DatomicStackView,
    systemName: string,
    vpcId: pulumi.Output<string>,
    neededFor: string | undefined,
): pulumi.Output<string | undefined> {
    const tag = `${systemName}-nodes`;
    return pulumi
        .all([optionalStackOutput(compute, "NodeSecurityGroup"), compute.stackName])
        .apply(([output, stackName]) => {
            if (output !== undefined) {
                return pulumi.output<string | undefined>(output);
            }
            const groups = aws.ec2.getSecurityGroupsOutput(
                {
                    filters: [
                        { name: "tag:Name", values: [tag] },
                        { name: "vpc-id", values: [vpcId] },
                    ],
                },
                { parent: owner },
            );
            return groups.ids.apply((ids) => {
                if (ids.length === 0 && neededFor !== undefined) {
                    throw new pulumi.ResourceError(
                        `The Datomic ${compute.role} stack "${stackName}" has no output "NodeSecurityGroup" and no security group ` +
                            `is tagged Name=${tag}; ${neededFor} needs the nodes security group.`,
                        owner,
                    );
                }
                return ids[0];
            });
        });
}

/** The Datomic subnets, by their `Name` tags. */
export function datomicSubnetIds(
    owner: pulumi.Resource,
    vpcId: pulumi.Output<string>,
    systemName: string,
): pulumi.Output<string[]> {
    return aws.ec2.getSubnetsOutput(
        {
            filters: [
                { name: "vpc-id", values: [vpcId] },
                { name: "tag:Name", values: [0, 1, 2].map((i) => `datomic-${systemName}-subnet-${i}`) },
            ],
        },
        { parent: owner },
    ).ids;
}

/**
 * The Datomic subnets in the order of their `Name` tags (`-subnet-0`, `-1`, `-2`), and their availability
 * zone ids in the same order. Zone ids (`use1-az1`) name the same zones in every account, unlike zone
 * names, so a service in another account can put its VPC endpoint subnets in Datomic's zones
 * (docs.datomic.com/cloud/operation/client-applications.html: "at least one subnet in the same
 * Availability Zone as one of the Datomic subnets"; AWS RAM guide, "Availability Zone IDs").
 */
export function datomicSubnets(
    owner: pulumi.Resource,
    subnetIds: pulumi.Output<string[]>,
): { subnetIds: pulumi.Output<string[]>; availabilityZoneIds: pulumi.Output<string[]> } {
    const subnets = subnetIds.apply((ids) =>
        pulumi.all(ids.map((id) => aws.ec2.getSubnetOutput({ id }, { parent: owner }))).apply((found) =>
            found
                .map((subnet) => ({
                    id: subnet.id,
                    zone: subnet.availabilityZoneId,
                    name: subnet.tags?.Name ?? "",
                }))
                .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
        ),
    );
    return {
        subnetIds: subnets.apply((list) => list.map((subnet) => subnet.id)),
        availabilityZoneIds: subnets.apply((list) => list.map((subnet) => subnet.zone)),
    };
}

/**
 * Datomic's private hosted zone `<system>.<region>.datomic.net`, associated with its VPC: its name and id
 * on alb, where clients in peered VPCs resolve `entry-http.` through it; nothing on nlb or solo, which have none
 * (DATOMIC-FACTS.md, "Topologies and client access").
 */
export function privateHostedZone(
    owner: pulumi.Resource,
    topology: DatomicTopology,
    systemName: string,
    region: pulumi.Output<string>,
    vpcId: pulumi.Output<string>,
): { name: pulumi.Output<string | undefined>; id: pulumi.Output<string | undefined> } {
    if (topology !== "alb") {
        return { name: pulumi.output(undefined), id: pulumi.output(undefined) };
    }
    const name = region.apply((value) => privateHostedZoneName(systemName, value));
    return { name, id: aws.route53.getZoneOutput({ name, privateZone: true, vpcId }, { parent: owner }).zoneId };
}
