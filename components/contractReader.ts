/**
 * The environment stack contract as typed outputs, read lazily from a source:
 * the common part of {@link DatomicSystemReference} (a Pulumi environment stack)
 * and {@link TerraformDatomicReference} (the Terraform state it replaces), so a
 * service can switch between them by changing one constructor.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONTRACT_LIST_OUTPUTS, ContractOutputName, DATOMIC_TOPOLOGIES, datomicClientEnvironment } from "./contract";

/**
 * Why `value` cannot be the contract output `name`, or undefined when it can: list outputs
 * (`routeTableIds`, `subnetCidrBlocks`) are lists of non-empty strings, every other output a
 * non-empty string. A string where a list belongs would otherwise become one route per character.
 * A `secret` value is never shown: the problem says only what it is not.
 */
export function contractValueProblem(name: ContractOutputName, value: unknown, secret = false): string | undefined {
    const shown = secret ? "a secret that is" : `${JSON.stringify(value) ?? String(value)},`;
    if (CONTRACT_LIST_OUTPUTS.has(name)) {
        if (!Array.isArray(value)) {
            return `is ${shown} not a list of strings`;
        }
        const bad = value.findIndex((item) => typeof item !== "string" || item === "");
        if (bad === -1) {
            return undefined;
        }
        return secret
            ? `is a secret list with an item at [${bad}] that is not a non-empty string`
            : `has ${JSON.stringify(value[bad]) ?? "undefined"} at [${bad}], not a non-empty string`;
    }
    return typeof value === "string" && value !== "" ? undefined : `is ${shown} not a non-empty string`;
}

/**
 * Typed, lazily read outputs of the environment stack contract. Each output is
 * read from the source the first time it is used, and only then: a failed read
 * that nothing consumes would still fail the program.
 */
export abstract class DatomicContractReader {
    private readonly outputs = new Map<ContractOutputName, pulumi.Output<unknown>>();

    /** `"cloud"` or `"pro"`. */
    public get flavor(): pulumi.Output<string> {
        return this.read("flavor");
    }

    /** The region the system runs in. */
    public get region(): pulumi.Output<string> {
        return this.read("region");
    }

    /** The AWS account the system runs in. */
    public get accountId(): pulumi.Output<string> {
        return this.read("accountId");
    }

    /** Datomic system name (cloud) or transactor name (pro). */
    public get systemName(): pulumi.Output<string> {
        return this.read("systemName");
    }

    /** `"nlb"`, `"alb"` or `"solo"` (cloud). */
    public get topology(): pulumi.Output<string> {
        return this.read("topology");
    }

    /**
     * The Datomic Cloud release the system runs, `<revision>-<build>` such as `1217-9399` (cloud): pass
     * it to `QueryGroup`'s `systemRelease`, so query groups follow the system's upgrades and never run
     * ahead of it.
     */
    public get release(): pulumi.Output<string> {
        return this.read("release");
    }

    /** The Datomic VPC. */
    public get vpcId(): pulumi.Output<string> {
        return this.read("vpcId");
    }

    /** The Datomic VPC's CIDR block. */
    public get vpcCidrBlock(): pulumi.Output<string> {
        return this.read("vpcCidrBlock");
    }

    /** The Datomic subnets' CIDR blocks. */
    public get subnetCidrBlocks(): pulumi.Output<string[]> {
        return this.read("subnetCidrBlocks");
    }

    /** The Datomic VPC's route tables (tagged `Name=datomic-<system>`). */
    public get routeTableIds(): pulumi.Output<string[]> {
        return this.read("routeTableIds");
    }

    /** Datomic nodes (cloud) or transactor (pro) security group. */
    public get nodeSecurityGroupId(): pulumi.Output<string> {
        return this.read("nodeSecurityGroupId");
    }

    /** The bastion's security group (cloud, when the template has one). */
    public get bastionSecurityGroupId(): pulumi.Output<string> {
        return this.read("bastionSecurityGroupId");
    }

    /** The security group of Datomic's Lambdas (cloud, when the template has one). */
    public get lambdaSecurityGroupId(): pulumi.Output<string> {
        return this.read("lambdaSecurityGroupId");
    }

    /** The security group for applications (cloud, when the template has one). */
    public get appsSecurityGroupId(): pulumi.Output<string> {
        return this.read("appsSecurityGroupId");
    }

    /** The primary compute load balancer's ARN. */
    public get loadBalancerArn(): pulumi.Output<string> {
        return this.read("loadBalancerArn");
    }

    /** The primary compute load balancer's name. */
    public get loadBalancerName(): pulumi.Output<string> {
        return this.read("loadBalancerName");
    }

    /** The primary compute group's HTTP Direct endpoint. */
    public get httpDirectEndpoint(): pulumi.Output<string> {
        return this.read("httpDirectEndpoint");
    }

    /** nlb topology: the VPC endpoint service for {@link DatomicClientEndpoint}. */
    public get endpointServiceName(): pulumi.Output<string> {
        return this.read("endpointServiceName");
    }

    /** alb releases (884-9095+): the primary compute group's Client API gateway, `ClientApiGatewayEndpoint`. */
    public get clientApiGatewayEndpoint(): pulumi.Output<string> {
        return this.read("clientApiGatewayEndpoint");
    }

    /** alb releases (884-9095+): the primary compute group's ion API gateway for HTTP Direct, `IonApiGatewayEndpoint`. */
    public get ionApiGatewayEndpoint(): pulumi.Output<string> {
        return this.read("ionApiGatewayEndpoint");
    }

    /** The Datomic subnets (`datomic-<system>-subnet-0..2`). */
    public get subnetIds(): pulumi.Output<string[]> {
        return this.read("subnetIds");
    }

    /**
     * The availability zone ids (such as `use1-az1`) of {@link subnetIds}, in the same order. Zone ids name
     * the same zones in every account, unlike zone names, so a VPC in another account can match them.
     */
    public get availabilityZoneIds(): pulumi.Output<string[]> {
        return this.read("availabilityZoneIds");
    }

    /** alb topology: `<system>.<region>.datomic.net`. */
    public get privateHostedZoneName(): pulumi.Output<string> {
        return this.read("privateHostedZoneName");
    }

    /** alb topology: the id of the private hosted zone {@link privateHostedZoneName}. */
    public get privateHostedZoneId(): pulumi.Output<string> {
        return this.read("privateHostedZoneId");
    }

    /** The URL clients in the Datomic VPC use. */
    public get clientEndpoint(): pulumi.Output<string> {
        return this.read("clientEndpoint");
    }

    /** The CodeDeploy application of the primary compute group's ions. */
    public get codeDeployApplicationName(): pulumi.Output<string> {
        return this.read("codeDeployApplicationName");
    }

    /** The ion code bucket's ARN. */
    public get codeBucketArn(): pulumi.Output<string> {
        return this.read("codeBucketArn");
    }

    /** The compute nodes' EC2 key pair. */
    public get keyName(): pulumi.Output<string> {
        return this.read("keyName");
    }

    /** The storage bucket's ARN (cloud). */
    public get storageArn(): pulumi.Output<string> {
        return this.read("storageArn");
    }

    /** Pro: the peer role's ARN. */
    public get peerRoleArn(): pulumi.Output<string> {
        return this.read("peerRoleArn");
    }

    /** Pro: the peer instance profile's name. */
    public get peerInstanceProfileName(): pulumi.Output<string> {
        return this.read("peerInstanceProfileName");
    }

    /** Pro: the security group peers run in. */
    public get peerSecurityGroupId(): pulumi.Output<string> {
        return this.read("peerSecurityGroupId");
    }

    /** Pro: `datomic:ddb://<region>/<table>/`; append a database name. */
    public get connectionUriBase(): pulumi.Output<string> {
        return this.read("connectionUriBase");
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
     * The environment's topology as a plain value, for a program that builds different resources on each:
     * read while the program runs, at preview too (the environment's outputs are read, not created, so they
     * are known). Await it in an async entry point (`export = async () => { ... }`, which Pulumi runs and
     * whose result becomes the stack's outputs). Fails naming the source when the topology is missing or is
     * not `"nlb"` or `"alb"` (a pro environment).
     *
     * @example
     * ```ts
     * export = async () => {
     *     const datomic = new DatomicSystemReference("datomic", { stack: "acme/datomic/dev" });
     *     const topology = await datomic.topologyValue();
     *     return { topology };
     * };
     * ```
     */
    public async topologyValue(): Promise<"nlb" | "alb"> {
        const value = await this.plainValue("topology");
        if (!(DATOMIC_TOPOLOGIES as readonly unknown[]).includes(value)) {
            throw new Error(
                `Output 'topology' of ${await this.sourceName()} is ${JSON.stringify(value) ?? "missing"}, ` +
                    'not "nlb" or "alb": a Datomic Cloud environment exports its topology',
            );
        }
        return value as "nlb" | "alb";
    }

    /** An output's value while the program runs (the source's outputs are known then, at preview too). */
    protected plainValue(name: ContractOutputName): Promise<unknown> {
        return outputValue(this.read(name));
    }

    /** The source, as messages name it. */
    protected sourceName(): Promise<string> {
        return Promise.resolve("the environment");
    }

    /** Reads one contract output from the source; called once per output, on first use. */
    protected abstract readOutput(name: ContractOutputName): pulumi.Output<unknown>;

    private read<T>(name: ContractOutputName): pulumi.Output<T> {
        let value = this.outputs.get(name);
        if (!value) {
            value = this.readOutput(name);
            this.outputs.set(name, value);
        }
        return value as pulumi.Output<T>;
    }
}

/** The value of an output known while the program runs (an environment's output, a stack reference's name). */
function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}
