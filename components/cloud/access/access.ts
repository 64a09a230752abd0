/**
 * DatomicAccess: one way for a service to connect to the Datomic Cloud system of
 * its environment, whatever the environment's topology.
 *
 * It reads the topology from the environment stack while the program runs, at
 * preview too, and builds what that topology needs for the chosen path: an
 * interface VPC endpoint (nlb), VPC peering with the private hosted zone (alb), or
 * nothing at all for the Client API gateway (alb). It returns the `DATOMIC_*`
 * environment a client needs for that path. See paths.ts for the sources.
 */
import * as pulumi from "@pulumi/pulumi";
import { accessPathProblem, resolveAccessPath } from "../../internal/accessPaths";
import { DatomicSystemReference } from "../../reference";
import {
    apiGateway,
    BuiltPath,
    buildVpcEndpoint,
    buildVpcPeering,
    OUTPUTS_OF_PATH,
    outputDetails,
    PathContext,
    requireCallerArguments,
    requireEnvironmentOutputs,
} from "./paths";
import { checkCallerCidrs, isPlain } from "../inputValues";

/** Arguments of {@link DatomicAccess}. */
export interface DatomicAccessArgs {
    /** The environment stack, `<organization>/<project>/<stack>`, e.g. `acme/datomic/dev`. */
    environmentStack: string;
    /**
     * How clients reach Datomic:
     * - `"private"` (default): the private network path of the environment's topology, an interface VPC
     *   endpoint on nlb and VPC peering on alb, so the service never names the topology;
     * - `"vpc-endpoint"`: an interface endpoint in `subnetIds` (nlb only);
     * - `"vpc-peering"`: peering, routes both ways, nodes ingress and the private hosted zone (alb only;
     *   the caller's VPC in the environment's account and region);
     * - `"api-gateway"`: the primary compute group's Client API gateway over HTTPS, with no networking
     *   (alb only; Datomic's recommended way from other VPCs). Clients need a route to the internet.
     *
     * A path the topology does not allow fails at preview, naming the path and the topology.
     */
    path?: string;
    /** `DATOMIC_DATABASE_NAME` in `clientEnvironment`, when given. */
    databaseName?: pulumi.Input<string>;
    /** The caller's VPC (private paths). */
    vpcId?: pulumi.Input<string>;
    /** vpc-endpoint: subnets of the caller's VPC for the endpoint, in zones the Datomic subnets use. */
    subnetIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** vpc-peering: route tables of the caller's subnets; each gets a route to the Datomic VPC. */
    routeTableIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** vpc-peering: the caller's VPC CIDR blocks; the Datomic route tables get a route to each. */
    vpcCidrBlocks?: pulumi.Input<pulumi.Input<string>[]>;
    /** The callers' security groups (a Lambda function's, say), admitted on TCP 8182. */
    callerSecurityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
    /** Callers' CIDR blocks, admitted on TCP 8182. `0.0.0.0/0` and `::/0` need `allowPublicCidrs`. */
    callerCidrBlocks?: pulumi.Input<pulumi.Input<string>[]>;
    /** Allow `0.0.0.0/0` or `::/0` in `callerCidrBlocks`. Default false. */
    allowPublicCidrs?: boolean;
    /** Tags for every resource created that takes tags. */
    tags?: Record<string, pulumi.Input<string>>;
}

/**
 * Connects a service to its environment's Datomic Cloud system along the chosen path, and gives the
 * `DATOMIC_*` environment of a client on that path.
 *
 * @example
 * ```ts
 * const access = new DatomicAccess("orders", {
 *     environmentStack: "acme/datomic/dev",
 *     databaseName: "orders",
 *     vpcId: vpc.id,
 *     subnetIds: privateSubnetIds,
 *     routeTableIds: privateRouteTableIds,
 *     vpcCidrBlocks: ["10.20.0.0/16"],
 *     callerSecurityGroupIds: [lambdaSecurityGroup.id],
 * });
 * new aws.lambda.Function("orders", {
 *     // ... in the service's own subnets, with lambdaSecurityGroup
 *     environment: { variables: access.clientEnvironment },
 * });
 * ```
 */
export class DatomicAccess extends pulumi.ComponentResource {
    /** The environment's topology, `"nlb"` or `"alb"`, as read at plan time; secret when the environment's is. */
    public readonly topology: pulumi.Output<string>;
    /** The path built: `"vpc-endpoint"`, `"vpc-peering"` or `"api-gateway"`; secret when the topology is. */
    public readonly path: pulumi.Output<string>;
    /** The Client API endpoint for clients on this path (`DATOMIC_ENDPOINT`). */
    public readonly endpoint: pulumi.Output<string>;
    /** `DATOMIC_ENDPOINT`, `DATOMIC_SYSTEM_NAME`, `DATOMIC_REGION` and, when given, `DATOMIC_DATABASE_NAME`. */
    public readonly clientEnvironment: pulumi.Output<Record<string, string>>;
    /** vpc-endpoint: the interface endpoint. */
    public readonly vpcEndpointId: pulumi.Output<string | undefined>;
    /** vpc-peering: the peering connection. */
    public readonly peeringConnectionId: pulumi.Output<string | undefined>;

    constructor(name: string, args: DatomicAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("datomic:cloud:Access", name, {}, opts);

        const path = this.validate(args);
        const environment = new DatomicSystemReference(
            `${name}-environment`,
            { stack: args.environmentStack },
            { parent: this },
        );
        const connection = this.connect(name, args, path, environment);

        // Secret in the environment, secret here: the path follows from the topology, so it is too.
        const keptSecret = (pick: (built: Awaited<typeof connection>) => string) =>
            pulumi
                .output(connection.then((built) => ({ value: pick(built), secret: built.topologyIsSecret })))
                .apply(({ value, secret }) => (secret ? pulumi.secret(value) : pulumi.output(value)));
        this.topology = keptSecret((built) => built.topology);
        this.path = keptSecret((built) => built.path);
        this.endpoint = pulumi.output(connection.then((built) => pulumi.output(built.endpoint)));
        this.vpcEndpointId = pulumi.output(connection.then((built) => built.vpcEndpointId));
        this.peeringConnectionId = pulumi.output(connection.then((built) => built.peeringConnectionId));
        this.clientEnvironment = pulumi.all({
            DATOMIC_ENDPOINT: this.endpoint,
            DATOMIC_SYSTEM_NAME: environment.systemName,
            DATOMIC_REGION: environment.region,
            ...(args.databaseName === undefined ? {} : { DATOMIC_DATABASE_NAME: args.databaseName }),
        });

        this.registerOutputs({
            topology: this.topology,
            path: this.path,
            endpoint: this.endpoint,
            clientEnvironment: this.clientEnvironment,
            vpcEndpointId: this.vpcEndpointId,
            peeringConnectionId: this.peeringConnectionId,
        });
    }

    /** Reads the topology, resolves the path and builds it; every refusal is a ResourceError at preview. */
    private async connect(
        name: string,
        args: DatomicAccessArgs,
        path: string,
        environment: DatomicSystemReference,
    ): Promise<BuiltPath & { topology: string; path: string; topologyIsSecret: boolean }> {
        const details = await outputDetails(environment, "topology");
        const topology = String(details.value);
        const resolved = resolveAccessPath(path, topology, args.environmentStack);
        if ("problem" in resolved) {
            throw new pulumi.ResourceError(
                details.secret
                    ? `path: "${path}" is not one the topology of ${args.environmentStack} (a secret output) allows`
                    : `path: ${resolved.problem}`,
                this,
            );
        }
        const context: PathContext = {
            owner: this,
            name,
            environment,
            stack: args.environmentStack,
            path: resolved.path,
            topology,
            caller: args,
        };
        requireCallerArguments(context);
        await requireEnvironmentOutputs(context, OUTPUTS_OF_PATH[resolved.path]);
        const built =
            resolved.path === "vpc-endpoint"
                ? await buildVpcEndpoint(context)
                : resolved.path === "vpc-peering"
                  ? await buildVpcPeering(context)
                  : apiGateway(context);
        return { ...built, topology, path: resolved.path, topologyIsSecret: details.secret };
    }

    private validate(args: DatomicAccessArgs): string {
        if (typeof args.environmentStack !== "string" || args.environmentStack.trim() === "") {
            throw new pulumi.ResourceError(
                `environmentStack: ${JSON.stringify(args.environmentStack)} is not a stack; give <organization>/<project>/<stack>`,
                this,
            );
        }
        const path = args.path ?? "private";
        const problem = accessPathProblem(path);
        if (problem) {
            throw new pulumi.ResourceError(`path: ${problem}`, this);
        }
        if (args.callerCidrBlocks !== undefined && isPlain(args.callerCidrBlocks)) {
            checkCallerCidrs(this, "callerCidrBlocks", args.callerCidrBlocks as string[], {
                allowPublic: args.allowPublicCidrs ?? false,
                allowFlag: "allowPublicCidrs",
            });
        }
        return path;
    }
}
