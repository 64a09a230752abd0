/**
 * SSH to the bastion of an nlb system (Datomic's access gateway; none from 884-9095 on): one ingress rule
 * per CIDR block on the compute stack's `BastionSecurityGroup`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { nameFragment } from "../../internal/naming";

/** An SSH ingress rule on the bastion's security group for each of `cidrs`, as children of `owner`. */
export function createBastionIngress(
    owner: pulumi.Resource,
    name: string,
    systemName: string,
    securityGroupId: pulumi.Output<string>,
    cidrs: readonly string[],
    tags: Record<string, pulumi.Input<string>> | undefined,
): void {
    for (const cidr of cidrs) {
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-bastion-ssh-${nameFragment(cidr)}`,
            {
                securityGroupId,
                ipProtocol: "tcp",
                fromPort: 22,
                toPort: 22,
                ...(cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr }),
                description: `SSH to the ${systemName} bastion`,
                tags,
            },
            { parent: owner },
        );
    }
}
