/**
 * DatomicSystemReference: a service program's typed view of an environment
 * stack, in place of `terraform_remote_state`.
 */
import * as pulumi from "@pulumi/pulumi";
import { ContractOutputName, datomicClientEnvironment } from "./contract";

/** Arguments of {@link DatomicSystemReference}. */
export interface DatomicSystemReferenceArgs {
    /** The environment stack, `<organization>/<project>/<stack>`, e.g. `acme/datomic/dev`. */
    stack: pulumi.Input<string>;
}

/**
 * Reads the environment stack contract through a `pulumi.StackReference`.
 * Every field is read with `requireOutput` when first used, so using an output the
 * environment does not export fails with a message naming the output and the
 * stack (for example `endpointServiceName` of an alb system, or `peerRoleArn`
 * of a Datomic Cloud environment).
 *
 * @example
 * ```ts
 * const datomic = new DatomicSystemReference("datomic", { stack: "acme/datomic/dev" });
 * new aws.lambda.Function("api", {
 *     // ...
 *     environment: { variables: datomic.clientEnvironment("orders") },
 * });
 * ```
 */
export class DatomicSystemReference {
    /** The underlying stack reference. */
    public readonly stackReference: pulumi.StackReference;
    private readonly outputs = new Map<ContractOutputName, pulumi.Output<unknown>>();

    constructor(name: string, args: DatomicSystemReferenceArgs, opts?: pulumi.CustomResourceOptions) {
        this.stackReference = new pulumi.StackReference(name, { name: args.stack }, opts);
    }

    /** `"cloud"` or `"pro"`. */
    public get flavor(): pulumi.Output<string> {
        return this.required("flavor");
    }

    /** The region the system runs in. */
    public get region(): pulumi.Output<string> {
        return this.required("region");
    }

    /** The AWS account the system runs in. */
    public get accountId(): pulumi.Output<string> {
        return this.required("accountId");
    }

    /** Datomic system name (cloud) or transactor name (pro). */
    public get systemName(): pulumi.Output<string> {
        return this.required("systemName");
    }

    /** `"nlb"` or `"alb"` (cloud). */
    public get topology(): pulumi.Output<string> {
        return this.required("topology");
    }

    /** The Datomic VPC. */
    public get vpcId(): pulumi.Output<string> {
        return this.required("vpcId");
    }

    /** The Datomic VPC's CIDR block. */
    public get vpcCidrBlock(): pulumi.Output<string> {
        return this.required("vpcCidrBlock");
    }

    /** The Datomic subnets' CIDR blocks. */
    public get subnetCidrBlocks(): pulumi.Output<string[]> {
        return this.required("subnetCidrBlocks");
    }

    /** The Datomic VPC's route tables (tagged `Name=datomic-<system>`). */
    public get routeTableIds(): pulumi.Output<string[]> {
        return this.required("routeTableIds");
    }

    /** Datomic nodes (cloud) or transactor (pro) security group. */
    public get nodeSecurityGroupId(): pulumi.Output<string> {
        return this.required("nodeSecurityGroupId");
    }

    /** The bastion's security group (cloud, when the template has one). */
    public get bastionSecurityGroupId(): pulumi.Output<string> {
        return this.required("bastionSecurityGroupId");
    }

    /** The security group of Datomic's Lambdas (cloud, when the template has one). */
    public get lambdaSecurityGroupId(): pulumi.Output<string> {
        return this.required("lambdaSecurityGroupId");
    }

    /** The security group for applications (cloud, when the template has one). */
    public get appsSecurityGroupId(): pulumi.Output<string> {
        return this.required("appsSecurityGroupId");
    }

    /** The primary compute load balancer's ARN. */
    public get loadBalancerArn(): pulumi.Output<string> {
        return this.required("loadBalancerArn");
    }

    /** The primary compute load balancer's name. */
    public get loadBalancerName(): pulumi.Output<string> {
        return this.required("loadBalancerName");
    }

    /** The primary compute group's HTTP Direct endpoint. */
    public get httpDirectEndpoint(): pulumi.Output<string> {
        return this.required("httpDirectEndpoint");
    }

    /** nlb topology: the VPC endpoint service for {@link DatomicClientEndpoint}. */
    public get endpointServiceName(): pulumi.Output<string> {
        return this.required("endpointServiceName");
    }

    /** alb topology: `<system>.<region>.datomic.net`. */
    public get privateHostedZoneName(): pulumi.Output<string> {
        return this.required("privateHostedZoneName");
    }

    /** The URL clients in the Datomic VPC use. */
    public get clientEndpoint(): pulumi.Output<string> {
        return this.required("clientEndpoint");
    }

    /** The CodeDeploy application of the primary compute group's ions. */
    public get codeDeployApplicationName(): pulumi.Output<string> {
        return this.required("codeDeployApplicationName");
    }

    /** The ion code bucket's ARN. */
    public get codeBucketArn(): pulumi.Output<string> {
        return this.required("codeBucketArn");
    }

    /** The compute nodes' EC2 key pair. */
    public get keyName(): pulumi.Output<string> {
        return this.required("keyName");
    }

    /** The storage bucket's ARN (cloud). */
    public get storageArn(): pulumi.Output<string> {
        return this.required("storageArn");
    }

    /** Pro: the peer role's ARN. */
    public get peerRoleArn(): pulumi.Output<string> {
        return this.required("peerRoleArn");
    }

    /** Pro: the peer instance profile's name. */
    public get peerInstanceProfileName(): pulumi.Output<string> {
        return this.required("peerInstanceProfileName");
    }

    /** Pro: the security group peers run in. */
    public get peerSecurityGroupId(): pulumi.Output<string> {
        return this.required("peerSecurityGroupId");
    }

    /** Pro: `datomic:ddb://<region>/<table>/`; append a database name. */
    public get connectionUriBase(): pulumi.Output<string> {
        return this.required("connectionUriBase");
    }

    /**
     * `DATOMIC_SYSTEM_NAME`, `DATOMIC_REGION`, `DATOMIC_DATABASE_NAME` and
     * `DATOMIC_ENDPOINT` (the in-VPC {@link clientEndpoint}) for a Lambda
     * function's environment. Clients in another VPC take the endpoint from
     * `DatomicClientEndpoint.clientEnvironment` instead.
     */
    public clientEnvironment(databaseName: pulumi.Input<string>): Record<string, pulumi.Output<string>> {
        return datomicClientEnvironment({
            systemName: this.systemName,
            region: this.region,
            databaseName,
            endpoint: this.clientEndpoint,
        });
    }

    /**
     * Reads an output on first use. Reading lazily matters: a failed `requireOutput`
     * that nothing consumes would still fail the program.
     */
    private required<T>(output: ContractOutputName): pulumi.Output<T> {
        let value = this.outputs.get(output);
        if (!value) {
            value = this.stackReference.requireOutput(output);
            this.outputs.set(output, value);
        }
        return value as pulumi.Output<T>;
    }
}
