/**
 * The VPC endpoint service of an nlb Datomic Cloud system, on its primary compute NLB: created,
 * adopted (imported by id) or none.
 *
 * Sources: docs.datomic.com/operation/vpc-access.html (since 470-8654 Datomic does not create the
 * endpoint service; users create it on the NLB) and the AWS PrivateLink guide (an NLB can be
 * associated with only one endpoint service). A system adopted with an endpoint service made by hand
 * would collide with a second one, so adopted systems default to `"none"`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatomicCloudSystemArgs } from "./args";
import { whenKnown } from "../inputValues";
import { EndpointServiceChoice, publicEndpointServiceProblem } from "./validation";

/** The endpoint service's name (`com.amazonaws.vpce.<region>.vpce-svc-...`), or undefined with `"none"`. */
export function systemEndpointService(
    owner: pulumi.Resource,
    name: string,
    args: DatomicCloudSystemArgs,
    choice: EndpointServiceChoice,
    loadBalancerArn: pulumi.Output<string>,
): pulumi.Output<string | undefined> {
    if (choice === "none") {
        return pulumi.output(undefined);
    }
    const adopted = choice === "adopt";
    const service = new aws.ec2.VpcEndpointService(
        `${name}-endpoint-service`,
        {
            networkLoadBalancerArns: [loadBalancerArn],
            acceptanceRequired: args.endpointServiceAcceptanceRequired ?? false,
            allowedPrincipals: checkedPrincipals(owner, args),
            // An import must match the existing service, so an adopted service keeps its own tags.
            tags: adopted ? undefined : { Name: `datomic-${args.systemName}`, ...args.tags },
        },
        // An adopted service was made by hand: removing it from the program leaves it in place.
        adopted ? { parent: owner, import: args.endpointServiceId, retainOnDelete: true } : { parent: owner },
    );
    return service.serviceName;
}

/** The allowed principals, refused when they make the service public with no acceptance (checked once known). */
function checkedPrincipals(owner: pulumi.Resource, args: DatomicCloudSystemArgs): pulumi.Input<string[]> | undefined {
    const principals = args.endpointServiceAllowedPrincipals;
    if (principals === undefined) {
        return undefined;
    }
    return whenKnown(
        [principals as pulumi.Input<string[]>, args.endpointServiceAcceptanceRequired ?? false],
        (list: string[], acceptanceRequired: boolean) => {
            const problem = publicEndpointServiceProblem(list, acceptanceRequired);
            if (problem) {
                throw new pulumi.ResourceError(`endpointServiceAllowedPrincipals: ${problem}`, owner);
            }
            return list;
        },
    );
}
