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
import { DEFAULT_QUERY_GROUP_NAME_MAX_LENGTH, lambdaNameProblem, queryGroupStackName } from "../../internal/naming";
import {
    confirmedTemplateUrl,
    DEFAULT_TEMPLATE_VERSION,
    parseTemplateVersion,
    unconfirmedTemplateUrlProblem,
} from "../../internal/templates";
import { capacityProblem, definedParameters, instanceTypeProblem, numberParameter } from "../parameters";
import { managedStackView, optionalStackOutput } from "../stackOutputs";
import { computeStackOptions } from "../stackOptions";

/**
 * One statement of the query group nodes' IAM policy, as IAM's JSON spells it, with lists where IAM also
 * accepts a single string (so every Pulumi language can pass it: no unions).
 */
export interface QueryGroupPolicyStatement {
    /** An optional statement id. */
    Sid?: string;
    /** `"Allow"` or `"Deny"`. */
    Effect: string;
    /** The actions, e.g. `["sqs:SendMessage"]`. */
    Action?: pulumi.Input<pulumi.Input<string>[]>;
    /** Every action except these. */
    NotAction?: pulumi.Input<pulumi.Input<string>[]>;
    /** The resources' ARNs. */
    Resource?: pulumi.Input<pulumi.Input<string>[]>;
    /** Every resource except these. */
    NotResource?: pulumi.Input<pulumi.Input<string>[]>;
    /** Conditions by operator and key, e.g. `{ StringEquals: { "aws:RequestedRegion": ["us-east-1"] } }`. */
    Condition?: Record<string, Record<string, pulumi.Input<pulumi.Input<string>[]>>>;
}

/** Arguments of {@link QueryGroup}. */
export interface QueryGroupArgs {
    /** `SystemName`: the Datomic system the group belongs to (for example `DatomicSystemReference.systemName`). */
    systemName: pulumi.Input<string>;
    /**
     * `ApplicationName`: the CodeDeploy application of the ions deployed to the group. Groups that run
     * the same code (staging and production) may share one. Datomic does not allow changing it later.
     */
    applicationName?: pulumi.Input<string>;
    /**
     * `EnvironmentMap`, which ions read with `datomic.ion/get-env`: a plain object printed as an EDN
     * map with keyword keys, in sorted key order. Values may be strings, numbers, booleans, null,
     * arrays and nested objects (or Outputs of them); a string such as `":staging"` prints as the
     * keyword `:staging`, as in Datomic's `{:env :staging}` example. For other EDN, pass the text
     * as `parameters.EnvironmentMap`.
     */
    // `any` because the values are any EDN-printable data: the multi-language schema's `pulumi.json#/Any`.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    environmentMap?: Record<string, any>;
    /** `InstanceType`, `family.size` such as `t3.large`. The template's default when omitted. */
    instanceType?: pulumi.Input<string>;
    /**
     * `KeyName`: the EC2 key pair of the nodes (for example `DatomicSystemReference.keyName`). Required:
     * Datomic requires a key pair and CloudFormation rejects the stack without one (unless
     * `parameters.KeyName` is given).
     */
    keyName?: pulumi.Input<string>;
    /** `DesiredCapacity`; omit for the template's `Default` (a config value `"Default"` maps to omitted). */
    desiredCapacity?: number;
    /** `MinSize`; omit for the template's `Default`. */
    minSize?: number;
    /** `MaxSize`; omit for the template's `Default`. */
    maxSize?: number;
    /** `MinInstancesInService`; omit for the template's `Default`. */
    minInstancesInService?: number;
    /**
     * IAM statements for the nodes (what the ions may call): the component creates a managed policy
     * from them and passes its ARN as `NodePolicyARN`. Exclusive with `nodePolicyArn`.
     */
    nodePolicyStatements?: pulumi.Input<QueryGroupPolicyStatement>[];
    /** `NodePolicyARN`: an existing managed policy for the nodes. Exclusive with `nodePolicyStatements`. */
    nodePolicyArn?: pulumi.Input<string>;
    /**
     * Raw extra or overriding stack parameters; they win over the typed arguments. For template
     * releases whose parameters differ, such as the older `NodePolicyArn` spelling.
     */
    parameters?: Record<string, pulumi.Input<string>>;
    /** The Datomic Cloud release, `<revision>-<build>`. Defaults to `1217-9399`. */
    templateVersion?: string;
    /** The query-group template URL; defaults to the release's URL in Datomic's S3 bucket, when confirmed. */
    templateUrl?: string;
    /** The whole stack name (the compute group's name). Exclusive with `groupName` and `suffix`. */
    stackName?: string;
    /** The group name; the stack is named `<groupName>` or `<groupName>-<suffix>`. Defaults to the component's name. */
    groupName?: string;
    /** Appended to `groupName`, for feature-branch groups (a branch name or git revision). */
    suffix?: string;
    /**
     * When `groupName-suffix` is too long or the suffix has characters a stack name cannot hold,
     * shorten it deterministically (cleaned, truncated, plus a 7-character hash of the suffix)
     * instead of failing. Default false: the preview fails and proposes that name.
     */
    shortenSuffix?: boolean;
    /** The longest stack name accepted, after Datomic's advice of short names. Default 23 (*unconfirmed*). */
    maxStackNameLength?: number;
    /** Names of the ion Lambdas (ion-config.edn `:lambdas` keys) that will be deployed to the group. */
    lambdaNames?: string[];
    /** An ion-config.edn whose `:lambdas` keys are added to `lambdaNames`, e.g. `../ion/resources/datomic/ion-config.edn`. */
    ionConfigFile?: string;
    /** Pulumi's timeout for creating, updating or deleting the stack, in minutes. Default 45. */
    timeoutMinutes?: number;
    /** Tags for the stack and the node policy. */
    tags?: Record<string, pulumi.Input<string>>;
}

/**
 * A Datomic Cloud query group: a compute stack from Datomic's query-group template.
 *
 * @example
 * ```ts
 * const datomic = new DatomicSystemReference("datomic", { stack: "acme/datomic/prod" });
 * const group = new QueryGroup("orders", {
 *     systemName: datomic.systemName,
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
    /** Stack output `CodeDeployDeploymentGroup`: the `:group` ion deploys target. */
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
    /** The `NodePolicyARN` passed to the stack, if any. */
    public readonly nodePolicyArn: pulumi.Output<string | undefined>;
    /** The stack. */
    public readonly stack: aws.cloudformation.Stack;
    /** The managed node policy, when `nodePolicyStatements` is given. */
    public readonly nodePolicy?: aws.iam.Policy;

    constructor(name: string, args: QueryGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("datomic:cloud:QueryGroup", name, {}, opts);

        const templateUrl = this.validateArgs(args);
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

        this.stack = new aws.cloudformation.Stack(
            `${name}-stack`,
            {
                name: stackName,
                templateUrl,
                capabilities: ["CAPABILITY_NAMED_IAM"],
                onFailure: "DELETE",
                parameters: {
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
                        NodePolicyARN: nodePolicyArn,
                    }),
                    ...args.parameters,
                },
                tags: args.tags,
            },
            computeStackOptions(this, args.timeoutMinutes),
        );

        const view = managedStackView("query group", this.stack, this);
        this.stackName = this.stack.name;
        this.stackId = this.stack.id;
        this.deploymentGroup = optionalStackOutput(view, "CodeDeployDeploymentGroup");
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
        });
    }

    private check(argument: string, problem: string | undefined): void {
        if (problem) {
            throw new pulumi.ResourceError(`${argument}: ${problem}`, this);
        }
    }

    /** Checks the arguments; returns the template URL. */
    private validateArgs(args: QueryGroupArgs): string {
        const systemName = args.systemName;
        if (systemName === "") {
            this.check("systemName", "is empty; give the Datomic system's name (DatomicSystemReference.systemName)");
        }
        let templateUrl = args.templateUrl;
        if (templateUrl === undefined) {
            let release;
            try {
                release = parseTemplateVersion(args.templateVersion ?? DEFAULT_TEMPLATE_VERSION);
            } catch (e) {
                throw new pulumi.ResourceError(`templateVersion: ${(e as Error).message}`, this);
            }
            templateUrl = confirmedTemplateUrl(release, "query-group");
            if (templateUrl === undefined) {
                this.check("templateUrl", unconfirmedTemplateUrlProblem(release, "query-group"));
            }
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
        return templateUrl!;
    }

    private resolveStackName(name: string, args: QueryGroupArgs): string {
        const lambdaNames = [...(args.lambdaNames ?? []), ...this.ionConfigLambdas(args.ionConfigFile)];
        for (const lambda of lambdaNames) {
            this.check("lambdaNames", lambdaNameProblem(lambda));
        }
        const result = queryGroupStackName({
            stackName: args.stackName,
            groupName: args.stackName === undefined ? (args.groupName ?? name) : args.groupName,
            suffix: args.suffix,
            shortenSuffix: args.shortenSuffix,
            maxStackNameLength: args.maxStackNameLength ?? DEFAULT_QUERY_GROUP_NAME_MAX_LENGTH,
            lambdaNames,
        });
        if ("problem" in result) {
            const defaulted = args.stackName === undefined && args.groupName === undefined;
            this.check(
                result.argument,
                defaulted ? `${result.problem} (groupName defaults to the component's name)` : result.problem,
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
