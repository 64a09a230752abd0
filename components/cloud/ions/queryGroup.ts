/**
 * QueryGroup: a Datomic Cloud query group, the compute stack a service's ions run on.
 *
 * One CloudFormation stack from Datomic's query-group template (docs.datomic.com,
 * operation/compute-templates), with typed parameters, an optional IAM policy for the
 * nodes, and a stack name that fits every limit it is subject to: CloudFormation's,
 * Datomic's advice for short names, and the 64-character names of the ion Lambdas
 * (`<group>-<name>`) that deploys will create.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import { EdnSyntaxError, ednProblem, parseEdn, toEdn } from "../../internal/edn";
import {
    DEFAULT_QUERY_GROUP_NAME_MAX_LENGTH,
    defaultQueryGroupName,
    lambdaNameProblem,
    queryGroupNameLimits,
    queryGroupStackName,
} from "../../internal/naming";
import {
    capacityProblem,
    definedParameters,
    instanceTypeProblem,
    gatewayParameters,
    minInstancesInServiceProblem,
    numberParameter,
} from "../parameters";
import { isPlain, mapInput } from "../inputValues";
import { GroupRelease, groupRelease } from "./queryGroupRelease";
import { managedStackView, optionalStackOutput } from "../stackOutputs";
import { computeStackOptions } from "../stackOptions";
import { QueryGroupArgs } from "./queryGroupArgs";

export type { QueryGroupArgs, QueryGroupPolicyStatement } from "./queryGroupArgs";

/**
 * A Datomic Cloud query group: a compute stack from Datomic's query-group template.
 *
 * @example
 * ```ts
 * const datomic = new DatomicSystemReference("datomic", { stack: "acme/datomic/prod" });
 * const group = new QueryGroup("orders", {
 *     systemName: datomic.systemName,
 *     systemRelease: datomic.release,
 *     systemTopology: datomic.topology,
 *     keyName: datomic.keyName,
 *     applicationName: "orders",
 *     instanceType: "t3.large",
 *     environmentMap: { env: ":prod", "orders-queue": queue.url },
 *     nodePolicyStatements: [{ Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [queue.arn] }],
 *     ionConfigFile: "../ion/resources/datomic/ion-config.edn",
 * });
 * ```
 */
export class QueryGroup extends pulumi.ComponentResource {
    /** The stack's name, which is the compute group's name. */
    public readonly stackName: pulumi.Output<string>;
    /** The stack's id; it changes when the stack is replaced. */
    public readonly stackId: pulumi.Output<string>;
    /**
     * The `:group` ion deploys target: the compute group's name, which is its stack name (Datomic's ions
     * reference), unless the stack has a `CodeDeployDeploymentGroup` output (confirmed only for 535-8812).
     */
    public readonly deploymentGroup: pulumi.Output<string | undefined>;
    /** Stack output `LoadBalancer` (the load balancer's ARN; the VPC-link target for HTTP Direct). */
    public readonly loadBalancerArn: pulumi.Output<string | undefined>;
    /** Stack output `LoadBalancerHttpDirectEndpoint`. */
    public readonly httpDirectEndpoint: pulumi.Output<string | undefined>;
    /**
     * alb releases (884-9095+): stack output `ClientApiGatewayEndpoint`, the group's own Client API gateway.
     * `undefined` on nlb releases.
     */
    public readonly clientApiGatewayEndpoint: pulumi.Output<string | undefined>;
    /**
     * alb releases (884-9095+): stack output `IonApiGatewayEndpoint`, the group's ion API gateway, HTTP
     * Direct's entry (pass it to `IonApiDomain`). `undefined` on nlb releases.
     */
    public readonly ionApiGatewayEndpoint: pulumi.Output<string | undefined>;
    /**
     * The nodes' Auto Scaling group: no stack output names it, so it is found by the
     * `aws:cloudformation:stack-name` tag CloudFormation puts on it. Unknown until the stack exists.
     */
    public readonly autoScalingGroupName: pulumi.Output<string | undefined>;
    /** The release the group runs, `<revision>-<build>`; undefined only for a bare `templateUrl`. */
    public readonly release: pulumi.Output<string | undefined>;
    /** The `NodePolicyARN` (or `NodePolicyArn`) passed to the stack, if any. */
    public readonly nodePolicyArn: pulumi.Output<string | undefined>;
    /** The stack. */
    public readonly stack: aws.cloudformation.Stack;
    /** The managed node policy, when `nodePolicyStatements` is given. */
    public readonly nodePolicy?: aws.iam.Policy;

    constructor(name: string, args: QueryGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("datomic:cloud:QueryGroup", name, {}, opts);

        this.validateArgs(args);
        const release = this.resolveRelease(args);
        const stackName = this.resolveStackName(name, args);

        let nodePolicyArn: pulumi.Input<string> | undefined = args.nodePolicyArn;
        if (args.nodePolicyStatements) {
            this.nodePolicy = new aws.iam.Policy(
                `${name}-node-policy`,
                {
                    description: `Permissions of the Datomic query group ${stackName}'s nodes`,
                    // The statements are IAM's JSON; only their TypeScript type is narrower than aws.iam's.
                    policy: {
                        Version: "2012-10-17",
                        Statement: args.nodePolicyStatements as pulumi.Input<aws.iam.PolicyStatement>[],
                    },
                    tags: args.tags,
                },
                { parent: this },
            );
            nodePolicyArn = this.nodePolicy.arn;
        }
        this.nodePolicyArn = pulumi.output(nodePolicyArn);
        this.release = pulumi.output(mapInput(release, (r) => r.version?.text));

        this.stack = new aws.cloudformation.Stack(
            `${name}-stack`,
            {
                name: stackName,
                templateUrl: mapInput(release, (r) => r.templateUrl),
                capabilities: ["CAPABILITY_NAMED_IAM"],
                onFailure: "DELETE",
                parameters: mapInput(release, (r) => ({
                    ...definedParameters({
                        SystemName: args.systemName,
                        ApplicationName: args.applicationName,
                        EnvironmentMap: args.environmentMap
                            ? this.renderEnvironmentMap(args.environmentMap)
                            : undefined,
                        InstanceType: args.instanceType,
                        KeyName: args.keyName,
                        DesiredCapacity: numberParameter(args.desiredCapacity),
                        MinSize: numberParameter(args.minSize),
                        MaxSize: numberParameter(args.maxSize),
                        MinInstancesInService: numberParameter(args.minInstancesInService),
                        [r.nodePolicyParameter]: nodePolicyArn,
                    }),
                    ...gatewayParameters(r.topology),
                    ...args.parameters,
                })),
                tags: args.tags,
            },
            computeStackOptions(this, args.timeoutMinutes),
        );

        const view = managedStackView("query group", this.stack, this, {
            ApplicationName: {
                argument: "applicationName",
                value: args.parameters?.ApplicationName ?? args.applicationName,
                instead: "to deploy another application, create a new query group (a new groupName or stackName)",
            },
        });
        this.stackName = this.stack.name;
        this.stackId = this.stack.id;
        this.deploymentGroup = pulumi
            .all([optionalStackOutput(view, "CodeDeployDeploymentGroup"), this.stack.name])
            .apply(([output, stackName]) => output ?? stackName);
        this.loadBalancerArn = optionalStackOutput(view, "LoadBalancer");
        this.httpDirectEndpoint = optionalStackOutput(view, "LoadBalancerHttpDirectEndpoint");
        this.clientApiGatewayEndpoint = optionalStackOutput(view, "ClientApiGatewayEndpoint");
        this.ionApiGatewayEndpoint = optionalStackOutput(view, "IonApiGatewayEndpoint");
        // Keyed on the id, so the lookup runs once the stack exists (at preview: when it already does).
        this.autoScalingGroupName = this.stack.id.apply((): pulumi.Output<string | undefined> =>
            aws.autoscaling
                .getAmiIdsOutput(
                    { filters: [{ name: "tag:aws:cloudformation:stack-name", values: [stackName] }] },
                    { parent: this },
                )
                .names.apply((names) => names[0]),
        );

        this.registerOutputs({
            stackName: this.stackName,
            stackId: this.stackId,
            deploymentGroup: this.deploymentGroup,
            loadBalancerArn: this.loadBalancerArn,
            httpDirectEndpoint: this.httpDirectEndpoint,
            clientApiGatewayEndpoint: this.clientApiGatewayEndpoint,
            ionApiGatewayEndpoint: this.ionApiGatewayEndpoint,
            autoScalingGroupName: this.autoScalingGroupName,
            nodePolicyArn: this.nodePolicyArn,
            release: this.release,
        });
    }

    private check(argument: string, problem: string | undefined): void {
        if (problem) {
            throw new pulumi.ResourceError(`${argument}: ${problem}`, this);
        }
    }

    /** Checks the arguments whose values are plain. */
    private validateArgs(args: QueryGroupArgs): void {
        const systemName = args.systemName;
        if (systemName === "") {
            this.check("systemName", "is empty; give the Datomic system's name (DatomicSystemReference.systemName)");
        }
        if ((args.keyName === undefined || args.keyName === "") && args.parameters?.KeyName === undefined) {
            this.check(
                "keyName",
                "is required: Datomic requires an EC2 key pair for its nodes and CloudFormation rejects the stack without one; give the key pair's name (DatomicSystemReference.keyName, or parameters.KeyName)",
            );
        }
        if (typeof args.instanceType === "string") {
            this.check("instanceType", instanceTypeProblem(args.instanceType));
        }
        for (const key of ["desiredCapacity", "minSize", "maxSize", "minInstancesInService"] as const) {
            this.check(key, capacityProblem(args[key]));
        }
        const { minSize, maxSize, desiredCapacity } = args;
        if (minSize !== undefined && maxSize !== undefined && minSize > maxSize) {
            this.check("minSize", `${minSize} is greater than maxSize ${maxSize}`);
        }
        if (desiredCapacity !== undefined && minSize !== undefined && desiredCapacity < minSize) {
            this.check("desiredCapacity", `${desiredCapacity} is below minSize ${minSize}`);
        }
        if (desiredCapacity !== undefined && maxSize !== undefined && desiredCapacity > maxSize) {
            this.check("desiredCapacity", `${desiredCapacity} is above maxSize ${maxSize}`);
        }
        this.check(
            "minInstancesInService",
            minInstancesInServiceProblem(args.minInstancesInService, maxSize, "maxSize"),
        );
        if (args.nodePolicyStatements && args.nodePolicyArn !== undefined) {
            this.check(
                "nodePolicyStatements",
                "cannot be combined with nodePolicyArn; give the statements (a policy is created) or the ARN of an existing policy",
            );
        }
        if (args.nodePolicyStatements && args.nodePolicyStatements.length === 0) {
            this.check("nodePolicyStatements", "is empty; give at least one statement, or leave it out");
        }
        const timeout = args.timeoutMinutes;
        if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) {
            this.check("timeoutMinutes", `${timeout} is not a positive whole number of minutes`);
        }
        const maxLength = args.maxStackNameLength;
        if (maxLength !== undefined && !(Number.isInteger(maxLength) && maxLength > 0)) {
            this.check("maxStackNameLength", `${maxLength} is not a positive whole number of characters`);
        }
        for (const [key, value] of Object.entries(args.environmentMap ?? {})) {
            // Values that are Outputs are checked once known, when the map is printed.
            const problem = containsDeferred(value) ? undefined : ednProblem({ [key]: value }, "environmentMap");
            if (problem) {
                throw new pulumi.ResourceError(problem, this);
            }
        }
    }

    /**
     * The group's release, from `templateVersion` or the system's (see queryGroupRelease.ts): checked now
     * when the system's release and topology are plain values, or once known (a stack reference's outputs
     * are known at preview).
     */
    private resolveRelease(args: QueryGroupArgs): pulumi.Input<GroupRelease> {
        const resolve = (systemRelease: string | undefined, systemTopology: string | undefined): GroupRelease => {
            const result = groupRelease({
                templateVersion: args.templateVersion,
                templateUrl: args.templateUrl,
                systemRelease,
                systemTopology,
            });
            if ("problem" in result) {
                throw new pulumi.ResourceError(`${result.argument}: ${result.problem}`, this);
            }
            return result;
        };
        if (isPlain(args.systemRelease) && isPlain(args.systemTopology)) {
            // Resolved (and checked) now, and plain, so the stack's inputs are plain too.
            return resolve(args.systemRelease as string | undefined, args.systemTopology as string | undefined);
        }
        return pulumi
            .all([args.systemRelease, args.systemTopology])
            .apply(([systemRelease, systemTopology]) => resolve(systemRelease, systemTopology));
    }

    private resolveStackName(name: string, args: QueryGroupArgs): string {
        const lambdaNames = [...(args.lambdaNames ?? []), ...this.ionConfigLambdas(args.ionConfigFile)];
        for (const lambda of lambdaNames) {
            this.check("lambdaNames", lambdaNameProblem(lambda));
        }
        const maxStackNameLength = args.maxStackNameLength ?? DEFAULT_QUERY_GROUP_NAME_MAX_LENGTH;
        // Room for "-<suffix>" once shortened (a hyphen and a 7-character hash) when a suffix follows.
        const defaultRoom =
            queryGroupNameLimits(maxStackNameLength, lambdaNames)[0].length - (args.suffix === undefined ? 0 : 8);
        const result = queryGroupStackName({
            stackName: args.stackName,
            groupName:
                args.stackName === undefined
                    ? (args.groupName ?? defaultQueryGroupName(name, pulumi.getStack(), Math.max(defaultRoom, 8)))
                    : args.groupName,
            suffix: args.suffix,
            shortenSuffix: args.shortenSuffix,
            maxStackNameLength,
            lambdaNames,
        });
        if ("problem" in result) {
            const defaulted = args.stackName === undefined && args.groupName === undefined;
            this.check(
                result.argument,
                defaulted
                    ? `${result.problem} (groupName defaults to <component name>-<Pulumi stack>)`
                    : result.problem,
            );
        }
        return (result as { name: string }).name;
    }

    /** The `:lambdas` keys of an ion-config.edn. */
    private ionConfigLambdas(file: string | undefined): string[] {
        if (file === undefined) {
            return [];
        }
        let config: unknown;
        try {
            config = parseEdn(fs.readFileSync(file, "utf8"));
        } catch (e) {
            const reason = e instanceof EdnSyntaxError ? `is not readable EDN: ${e.message}` : (e as Error).message;
            throw new pulumi.ResourceError(`ionConfigFile: "${file}" ${reason}`, this);
        }
        const lambdas = (config as Record<string, unknown> | null)?.lambdas;
        if (lambdas === undefined || lambdas === null) {
            return [];
        }
        if (typeof lambdas !== "object" || Array.isArray(lambdas)) {
            this.check("ionConfigFile", `"${file}" has :lambdas that is not a map of Lambda names`);
        }
        return Object.keys(lambdas as object);
    }

    private renderEnvironmentMap(environmentMap: Record<string, unknown>): pulumi.Output<string> {
        return pulumi.output(environmentMap).apply((map) => {
            try {
                return toEdn(map, "environmentMap");
            } catch (e) {
                // The message names the entry, starting with "environmentMap".
                throw new pulumi.ResourceError((e as Error).message, this);
            }
        });
    }
}

/** Whether a value holds Outputs or promises, known only later. */
function containsDeferred(value: unknown): boolean {
    if (pulumi.Output.isInstance(value) || value instanceof Promise) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsDeferred);
    }
    if (value !== null && typeof value === "object") {
        return Object.values(value).some(containsDeferred);
    }
    return false;
}
