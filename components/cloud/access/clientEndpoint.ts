/**
 * DatomicClientEndpoint: an Interface VPC endpoint in a service's VPC for the
 * VPC endpoint service of a Datomic Cloud system (nlb topology), so the
 * service's clients reach the Client API at `http://<endpoint DNS>:8182`.
 *
 * Source: docs.datomic.com/operation/vpc-access.html (NLB inter-VPC access: an
 * interface endpoint in the caller's VPC, in the same region and in availability
 * zones the Datomic subnets use).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { datomicClientEnvironment } from "../../contract";
import { CLIENT_API_PORT } from "../../internal/endpoints";
import { clientApiUrl, regionalDnsName } from "../../internal/vpcEndpointDns";
import { checkCallerCidrs, isPlain, mapInput, stringList, whenKnown } from "../inputValues";

/** Arguments of {@link DatomicClientEndpoint}. */
export interface DatomicClientEndpointArgs {
    /** The service's VPC. */
    vpcId: pulumi.Input<string>;
    /** Subnets of the service's VPC for the endpoint's network interfaces, in zones Datomic's subnets use. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The Datomic system's VPC endpoint service (`DatomicSystemReference.endpointServiceName`). An alb
     * system has none: its callers use the Client API gateway or `DatomicPeering`.
     */
    endpointServiceName: pulumi.Input<string | undefined>;
    /** Security groups to put on the endpoint as they are. Give these, or the callers to allow. */
    securityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** Callers' security groups: the component creates a group admitting TCP 8182 from them (and `allowedCidrs`). */
    allowedSecurityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** Callers' CIDR blocks, admitted on TCP 8182. `0.0.0.0/0` and `::/0` need `allowPublicCidrs`. */
    allowedCidrs?: pulumi.Input<pulumi.Input<string>[]>;
    /** Allow `0.0.0.0/0` or `::/0` in `allowedCidrs`. Default false. */
    allowPublicCidrs?: boolean;
    /** Tags for the endpoint and the security group. */
    tags?: Record<string, pulumi.Input<string>>;
}

/**
 * An Interface VPC endpoint for a Datomic Cloud system's endpoint service (nlb topology), with
 * `endpointUrl` and the environment a Datomic client needs.
 *
 * @example
 * ```ts
 * const datomic = new DatomicSystemReference("datomic", { stack: "acme/datomic/prod" });
 * const endpoint = new DatomicClientEndpoint("datomic", {
 *     vpcId: vpc.id,
 *     subnetIds: privateSubnetIds,
 *     endpointServiceName: datomic.endpointServiceName,
 *     allowedSecurityGroupIds: [lambdaSecurityGroup.id],
 * });
 * new aws.lambda.Function("orders", {
 *     // ...
 *     environment: { variables: endpoint.clientEnvironment(datomic.systemName, "orders") },
 * });
 * ```
 */
export class DatomicClientEndpoint extends pulumi.ComponentResource {
    /** The endpoint. */
    public readonly endpointId: pulumi.Output<string>;
    /** The endpoint's regional DNS name. */
    public readonly dnsName: pulumi.Output<string>;
    /** `http://<dnsName>:8182`, the Client API endpoint for clients in this VPC. */
    public readonly endpointUrl: pulumi.Output<string>;
    /** The security group the component created, or `undefined` when `securityGroupIds` were given. */
    public readonly securityGroupId: pulumi.Output<string | undefined>;
    /** The region the endpoint is in (the provider's). */
    public readonly region: pulumi.Output<string>;

    constructor(name: string, args: DatomicClientEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
        super("datomic:cloud:ClientEndpoint", name, {}, opts);

        const callersGiven = args.allowedSecurityGroupIds !== undefined || args.allowedCidrs !== undefined;
        if (args.securityGroupIds !== undefined && callersGiven) {
            throw new pulumi.ResourceError(
                "securityGroupIds: give either securityGroupIds or the callers to allow " +
                    "(allowedSecurityGroupIds, allowedCidrs), not both",
                this,
            );
        }
        if (args.securityGroupIds === undefined && !callersGiven) {
            throw new pulumi.ResourceError(
                "securityGroupIds: give securityGroupIds, or the callers to allow (allowedSecurityGroupIds, " +
                    `allowedCidrs) for a security group admitting TCP ${CLIENT_API_PORT} from them`,
                this,
            );
        }

        this.checkNetwork(args);
        const endpointServiceName = mapInput(args.endpointServiceName, (serviceName) => {
            if (serviceName === undefined || serviceName === "") {
                throw new pulumi.ResourceError(
                    "endpointServiceName: is undefined: the system has no VPC endpoint service. alb systems " +
                        "(884-9095 and later) have none; connect through the Client API gateway " +
                        "(clientApiGatewayEndpoint) or DatomicPeering. An nlb system needs endpointService " +
                        '"create" or "adopt" on its DatomicCloudSystem.',
                    this,
                );
            }
            return serviceName;
        });

        let securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
        if (args.securityGroupIds !== undefined) {
            securityGroupIds = args.securityGroupIds;
            this.securityGroupId = pulumi.output(undefined);
        } else {
            const group = this.callersSecurityGroup(name, args);
            securityGroupIds = [group.id];
            this.securityGroupId = group.id;
        }

        const endpoint = new aws.ec2.VpcEndpoint(
            `${name}-endpoint`,
            {
                vpcId: args.vpcId,
                serviceName: endpointServiceName,
                vpcEndpointType: "Interface",
                subnetIds: args.subnetIds,
                securityGroupIds,
                // Datomic's endpoint services publish no private DNS name.
                privateDnsEnabled: false,
                tags: { Name: name, ...args.tags },
            },
            { parent: this },
        );
        this.endpointId = endpoint.id;
        this.dnsName = endpoint.dnsEntries.apply((entries) => {
            const dnsName = regionalDnsName(entries.map((entry) => entry.dnsName));
            if (dnsName === undefined) {
                throw new pulumi.ResourceError(`the VPC endpoint of ${name} reported no DNS name`, this);
            }
            return dnsName;
        });
        this.endpointUrl = this.dnsName.apply(clientApiUrl);
        this.region = aws.getRegionOutput({}, { parent: this }).region;

        this.registerOutputs({
            endpointId: this.endpointId,
            dnsName: this.dnsName,
            endpointUrl: this.endpointUrl,
            securityGroupId: this.securityGroupId,
            region: this.region,
        });
    }

    /**
     * `DATOMIC_ENDPOINT` (this endpoint's URL), `DATOMIC_SYSTEM_NAME`, `DATOMIC_DATABASE_NAME` and
     * `DATOMIC_REGION`, for a Lambda function's environment.
     */
    public clientEnvironment(
        systemName: pulumi.Input<string>,
        databaseName: pulumi.Input<string>,
    ): Record<string, pulumi.Output<string>> {
        return datomicClientEnvironment({ systemName, databaseName, region: this.region, endpoint: this.endpointUrl });
    }

    /** The caller's VPC and subnets: an empty id or list fails now, or once known. */
    private checkNetwork(args: DatomicClientEndpointArgs): void {
        if (args.vpcId === "") {
            throw new pulumi.ResourceError("vpcId: is empty; give the service VPC's id", this);
        }
        if (isPlain(args.subnetIds) && (args.subnetIds as unknown[]).length === 0) {
            throw new pulumi.ResourceError(
                "subnetIds: is empty; give at least one subnet, in an availability zone Datomic's subnets use",
                this,
            );
        }
    }

    /** A security group admitting the Client API port from the allowed callers only. */
    private callersSecurityGroup(name: string, args: DatomicClientEndpointArgs): aws.ec2.SecurityGroup {
        const groups = args.allowedSecurityGroupIds ?? [];
        const cidrs = stringList(args.allowedCidrs ?? []);
        if (isPlain(groups) && isPlain(cidrs) && (groups as unknown[]).length + (cidrs as string[]).length === 0) {
            throw new pulumi.ResourceError(
                "allowedSecurityGroupIds: both it and allowedCidrs are empty, so no caller could connect",
                this,
            );
        }
        const checkedCidrs = whenKnown([cidrs], (blocks: string[]) => {
            checkCallerCidrs(this, "allowedCidrs", blocks, {
                allowPublic: args.allowPublicCidrs ?? false,
                allowFlag: "allowPublicCidrs",
            });
            return blocks;
        });
        // The group is the component's alone, so its rules are inline: exactly these callers, nothing else.
        const ingress = pulumi.all([groups, checkedCidrs]).apply(([callerGroups, blocks]) => {
            if (callerGroups.length + blocks.length === 0) {
                throw new pulumi.ResourceError(
                    "allowedSecurityGroupIds: both it and allowedCidrs resolved to empty lists, so no caller could connect",
                    this,
                );
            }
            const rule = { protocol: "tcp", fromPort: CLIENT_API_PORT, toPort: CLIENT_API_PORT };
            const ipv4 = blocks.filter((block) => !block.includes(":"));
            const ipv6 = blocks.filter((block) => block.includes(":"));
            return [
                ...(callerGroups.length > 0
                    ? [
                          {
                              ...rule,
                              securityGroups: callerGroups,
                              description: "Datomic Client API from callers' groups",
                          },
                      ]
                    : []),
                ...(ipv4.length > 0 ? [{ ...rule, cidrBlocks: ipv4, description: "Datomic Client API (IPv4)" }] : []),
                ...(ipv6.length > 0
                    ? [{ ...rule, ipv6CidrBlocks: ipv6, description: "Datomic Client API (IPv6)" }]
                    : []),
            ];
        });
        return new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `Datomic Client API (TCP ${CLIENT_API_PORT}) through the VPC endpoint ${name}`,
                ingress,
                tags: { Name: `${name}-datomic-client`, ...args.tags },
            },
            { parent: this },
        );
    }
}
