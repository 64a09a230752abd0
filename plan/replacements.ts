/**
 * Inputs whose change makes the AWS provider replace a resource rather than
 * update it. Pulumi's AWS provider is built on the Terraform provider, whose
 * schema marks these `ForceNew` (hashicorp/terraform-provider-aws,
 * internal/service/cloudformation/stack.go, ec2/vpc_security_group.go,
 * ec2/vpc_route.go, iam/role.go, apigatewayv2/api_mapping.go, apigatewayv2/domain_name.go,
 * apigatewayv2/vpc_link.go, apigateway/vpc_link.go, apigateway/base_path_mapping.go,
 * route53/record.go). Only
 * properties confirmed there are listed: for any other change the plan says the engine decides.
 */
const FORCE_NEW: Record<string, readonly string[]> = {
    "aws:cloudformation/stack:Stack": ["name", "disableRollback", "onFailure", "timeoutInMinutes"],
    "aws:ec2/securityGroup:SecurityGroup": ["name", "namePrefix", "description", "vpcId"],
    "aws:ec2/route:Route": [
        "routeTableId",
        "destinationCidrBlock",
        "destinationIpv6CidrBlock",
        "destinationPrefixListId",
    ],
    "aws:iam/role:Role": ["name", "namePrefix", "path"],
    "aws:apigatewayv2/apiMapping:ApiMapping": ["apiId", "domainName"],
    "aws:apigatewayv2/domainName:DomainName": ["domainName"],
    "aws:apigatewayv2/vpcLink:VpcLink": ["subnetIds", "securityGroupIds"],
    "aws:apigateway/vpcLink:VpcLink": ["targetArns"],
    "aws:apigateway/basePathMapping:BasePathMapping": ["domainName"],
    "aws:route53/record:Record": ["name", "zoneId"],
};

/**
 * The changed inputs (paths such as `parameters.InstanceType`) that force `type` to be replaced: those the
 * provider marks ForceNew, and those the resource's `replaceOnChanges` option names.
 */
export function replacingChanges(type: string, changedPaths: string[], replaceOnChanges: string[] = []): string[] {
    const forcing = [...(FORCE_NEW[type] ?? []), ...replaceOnChanges];
    return changedPaths.filter((changed) => {
        const top = changed.split(/[.[]/)[0];
        return forcing.some((property) => property === "*" || property === top || property === changed);
    });
}
