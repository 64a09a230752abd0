/**
 * Interface VPC endpoints for AWS services (SQS, Secrets Manager...) inside the Datomic VPC, so ions reach
 * them privately. With private DNS on, the service's public name resolves to the endpoint's interfaces in
 * the VPC, so every call from the nodes goes there, over HTTPS. "The security group rules control the
 * traffic to the endpoint network interface from resources in your VPC" (Amazon VPC user guide, interface
 * endpoints: docs.aws.amazon.com/vpc/latest/userguide/vpce-interface.html), so the endpoint's group must
 * admit TCP 443 from the nodes, or their calls time out.
 * The endpoints get a group of their own admitting TCP 443 from the nodes security group; Datomic's nodes
 * group is Datomic's own, so its rules are left as they are.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { nameFragment } from "../../internal/naming";

/** Where the endpoints go and who may use them. */
export interface ServiceEndpointSettings {
    readonly name: string;
    readonly systemName: string;
    readonly services: string[];
    readonly vpcId: pulumi.Output<string>;
    readonly subnetIds: pulumi.Output<string[]>;
    readonly region: pulumi.Output<string>;
    readonly nodeSecurityGroupId: pulumi.Output<string>;
    readonly tags?: Record<string, pulumi.Input<string>>;
}

/** The endpoints' security group (admitting 443 from the nodes) and one interface endpoint per service. */
export function createServiceEndpoints(owner: pulumi.Resource, settings: ServiceEndpointSettings): void {
    const { name, systemName, services, tags } = settings;
    if (services.length === 0) {
        return;
    }
    const group = new aws.ec2.SecurityGroup(
        `${name}-service-endpoints`,
        {
            vpcId: settings.vpcId,
            description: `Interface endpoints of AWS services for the Datomic system ${systemName}`,
            tags: { Name: `datomic-${systemName}-service-endpoints`, ...tags },
        },
        { parent: owner },
    );
    const fromNodes = new aws.vpc.SecurityGroupIngressRule(
        `${name}-service-endpoints-https`,
        {
            securityGroupId: group.id,
            referencedSecurityGroupId: settings.nodeSecurityGroupId,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: `HTTPS from the ${systemName} nodes to the AWS service endpoints`,
            tags,
        },
        { parent: owner },
    );
    for (const service of services) {
        new aws.ec2.VpcEndpoint(
            `${name}-${nameFragment(service)}-endpoint`,
            {
                vpcId: settings.vpcId,
                serviceName: service.includes(".")
                    ? service
                    : settings.region.apply((region) => `com.amazonaws.${region}.${service}`),
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: settings.subnetIds,
                securityGroupIds: [group.id],
                tags: { Name: `datomic-${systemName}-${nameFragment(service)}`, ...tags },
            },
            // An endpoint nobody can reach would capture the service's DNS name: it waits for the rule.
            { parent: owner, dependsOn: [fromNodes] },
        );
    }
}
