/**
 * HttpDirect: an API Gateway REST API in front of a Datomic Cloud compute or
 * query group's HTTP Direct endpoint (nlb topology), following the public
 * example jdhollis/datomic-http-direct-example: a VPC link to the group's NLB,
 * root and `{proxy+}` `ANY` methods with `HTTP_PROXY` integrations over the
 * link, a deployment, a stage with access logs and throttling, and optionally a
 * custom domain.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    DEFAULT_ACCESS_LOG_FORMAT,
    DEFAULT_BINARY_MEDIA_TYPES,
    DEFAULT_LOG_RETENTION_DAYS,
    DEFAULT_STAGE_NAME,
    HTTP_DIRECT_AUTHORIZATIONS,
    HTTP_DIRECT_ENDPOINT_TYPES,
    HTTP_DIRECT_ROUTES,
    httpDirectDeploymentTrigger,
    httpDirectEndpointProblem,
    integrationSpec,
    LOG_RETENTION_DAYS,
    methodSpec,
    normalizedHttpDirectEndpoint,
    stageNameProblem,
} from "../../internal/httpDirect";
import { mapInput, stringList } from "../inputValues";

/** Arguments of {@link HttpDirect}. */
export interface HttpDirectArgs {
    /**
     * The query group's (or primary compute group's) network load balancer: the VPC link's target.
     * `QueryGroup.loadBalancerArn` may be passed as is; a group without one fails the deployment.
     */
    loadBalancerArn: pulumi.Input<string | undefined>;
    /** The group's HTTP Direct endpoint, `LoadBalancerHttpDirectEndpoint` (e.g. `http://<nlb dns>:8184`). */
    httpDirectEndpoint: pulumi.Input<string | undefined>;
    /** The REST API's name. Defaults to the component's name. */
    apiName?: string;
    /** `"REGIONAL"` (default) or `"EDGE"`. */
    endpointType?: string;
    /** `"NONE"` (default; authenticate in the ion) or `"AWS_IAM"` (callers sign their requests). */
    authorization?: string;
    /** Media types API Gateway passes as binary. Default `["*\/*"]`: every payload reaches the ion unchanged. */
    binaryMediaTypes?: pulumi.Input<pulumi.Input<string>[]>;
    /** The stage, the first segment of the invoke URL's path. Default `"api"`. */
    stageName?: string;
    /** Days to keep the stage's access logs: a CloudWatch Logs retention period, 0 for ever. Default 30. */
    logRetentionDays?: number;
    /** The access log format. Default: one JSON object per request with the `$context` fields that matter. */
    accessLogFormat?: string;
    /** Steady-state requests per second for every method of the stage. API Gateway's account limit when omitted. */
    throttlingRateLimit?: number;
    /** Burst of requests for every method of the stage. API Gateway's account limit when omitted. */
    throttlingBurstLimit?: number;
    /** Detailed CloudWatch metrics for every method. Default false. */
    metricsEnabled?: boolean;
    /** A custom domain for the API; needs `certificateArn`. */
    domainName?: pulumi.Input<string>;
    /** An ACM certificate for `domainName` (in us-east-1 for an `"EDGE"` API). */
    certificateArn?: pulumi.Input<string>;
    /** The path under `domainName` the stage is mapped to. Default: the domain's root. */
    basePath?: string;
    /**
     * The environment's topology (`DatomicSystemReference.topology`). When known at preview, `"alb"` is
     * refused there, naming `IonApiDomain`, even while a new group's load balancer is still unknown.
     */
    topology?: pulumi.Input<string>;
    /** Tags for every resource created that takes tags. */
    tags?: Record<string, pulumi.Input<string>>;
}

/**
 * A REST API that proxies every path and method to Datomic HTTP Direct over a VPC link.
 *
 * The deployment's trigger is a hash of the API definition (methods, integrations, their URIs and the
 * VPC link), so the stage is redeployed exactly when the definition changes, never on every run.
 * Access logging needs API Gateway's CloudWatch Logs role set once per account and region
 * (`aws.apigateway.Account`); this component does not manage that account-wide setting.
 *
 * @example
 * ```ts
 * const api = new HttpDirect("orders-api", {
 *     loadBalancerArn: queryGroup.loadBalancerArn,
 *     httpDirectEndpoint: queryGroup.httpDirectEndpoint,
 *     throttlingRateLimit: 100,
 *     throttlingBurstLimit: 200,
 *     domainName: "orders.acme.com",
 *     certificateArn: certificate.arn,
 * });
 * export const url = api.url;
 * ```
 */
export class HttpDirect extends pulumi.ComponentResource {
    /** The URL to call: `https://<domainName>/<basePath>` with a custom domain, else the stage's invoke URL. */
    public readonly url: pulumi.Output<string>;
    /** The stage's invoke URL. */
    public readonly invokeUrl: pulumi.Output<string>;
    /** The REST API's id. */
    public readonly restApiId: pulumi.Output<string>;
    /** The VPC link to the group's load balancer. */
    public readonly vpcLinkId: pulumi.Output<string>;
    /** The stage the API is deployed to. */
    public readonly stageName: pulumi.Output<string>;
    /** The deployment trigger: the hash of the API definition. */
    public readonly definitionHash: pulumi.Output<string>;
    /** With a custom domain: the name to point a DNS alias (or CNAME) at. */
    public readonly domainTargetName: pulumi.Output<string | undefined>;
    /** With a custom domain: the hosted zone of `domainTargetName`, for a Route 53 alias. */
    public readonly domainTargetZoneId: pulumi.Output<string | undefined>;

    constructor(name: string, args: HttpDirectArgs, opts?: pulumi.ComponentResourceOptions) {
        super("datomic:cloud:HttpDirect", name, {}, opts);

        const settings = this.validate(name, args);
        const endpoint = mapInput(args.httpDirectEndpoint, (text) => {
            if (text === undefined) {
                throw new pulumi.ResourceError(
                    `httpDirectEndpoint: ${missingFromGroup("LoadBalancerHttpDirectEndpoint")}`,
                    this,
                );
            }
            const problem = httpDirectEndpointProblem(text);
            if (problem) {
                throw new pulumi.ResourceError(`httpDirectEndpoint: ${problem}`, this);
            }
            return normalizedHttpDirectEndpoint(text);
        });
        const loadBalancerArn = mapInput(args.loadBalancerArn, (arn) => {
            if (arn === undefined) {
                throw new pulumi.ResourceError(`loadBalancerArn: ${missingFromGroup("LoadBalancer")}`, this);
            }
            // A REST API VPC link (v1) is built on an endpoint service, which takes NLBs only (API Gateway guide).
            if (!arn.includes(":loadbalancer/net/")) {
                throw new pulumi.ResourceError(
                    `loadBalancerArn: "${arn}" is not a Network Load Balancer; a REST API VPC link targets NLBs only. ` +
                        "alb systems (884-9095 and later) serve HTTP Direct through the group's own API Gateway: " +
                        "use its IonApiGatewayEndpoint output with IonApiDomain instead of HttpDirect",
                    this,
                );
            }
            return arn;
        });
        // Checked on its own, so a topology known at preview fails it while the group's ARN is unknown.
        const topology = mapInput(args.topology, (value) => {
            if (value === "alb") {
                throw new pulumi.ResourceError(
                    'topology: the environment is "alb" (884-9095 and later): its groups have ALBs, which a REST ' +
                        "API VPC link cannot target, and serve HTTP Direct through their own ion API gateway; use " +
                        "IonApiDomain with the group's ionApiGatewayEndpoint",
                    this,
                );
            }
            return value;
        });
        const child = { parent: this };

        const vpcLink = new aws.apigateway.VpcLink(
            `${name}-vpc-link`,
            {
                targetArn:
                    args.topology === undefined
                        ? loadBalancerArn
                        : pulumi.all([loadBalancerArn, topology]).apply(([arn]) => arn),
                description: `Datomic HTTP Direct for ${settings.apiName}`,
                tags: args.tags,
            },
            child,
        );
        const api = new aws.apigateway.RestApi(
            `${name}-api`,
            {
                name: settings.apiName,
                description: "Datomic HTTP Direct",
                binaryMediaTypes: settings.binaryMediaTypes,
                endpointConfiguration: { types: settings.endpointType },
                tags: args.tags,
            },
            child,
        );

        const integrations = HTTP_DIRECT_ROUTES.map((route) => {
            const resourceId =
                route.pathPart === undefined
                    ? api.rootResourceId
                    : new aws.apigateway.Resource(
                          `${name}-${route.key}`,
                          { restApi: api.id, parentId: api.rootResourceId, pathPart: route.pathPart },
                          child,
                      ).id;
            const method = new aws.apigateway.Method(
                `${name}-${route.key}-any`,
                { restApi: api.id, resourceId, ...methodSpec(route, settings.authorization) },
                child,
            );
            const spec = pulumi
                .all([endpoint, vpcLink.id])
                .apply(([url, linkId]) => integrationSpec(route, url, linkId));
            return new aws.apigateway.Integration(
                `${name}-${route.key}-integration`,
                {
                    restApi: api.id,
                    resourceId,
                    httpMethod: method.httpMethod,
                    type: spec.type,
                    integrationHttpMethod: spec.integrationHttpMethod,
                    connectionType: spec.connectionType,
                    connectionId: spec.connectionId,
                    uri: spec.uri,
                    requestParameters: spec.requestParameters,
                },
                child,
            );
        });

        this.definitionHash = pulumi
            .all([endpoint, vpcLink.id, settings.binaryMediaTypes])
            .apply(([url, linkId, binaryMediaTypes]) =>
                httpDirectDeploymentTrigger({
                    endpoint: url,
                    vpcLinkId: linkId,
                    authorization: settings.authorization,
                    binaryMediaTypes,
                }),
            );
        const deployment = new aws.apigateway.Deployment(
            `${name}-deployment`,
            {
                restApi: api.id,
                description: "Datomic HTTP Direct",
                triggers: { definition: this.definitionHash },
            },
            { parent: this, dependsOn: integrations },
        );

        const accessLogs = new aws.cloudwatch.LogGroup(
            `${name}-access-logs`,
            { retentionInDays: settings.logRetentionDays, tags: args.tags },
            child,
        );
        const stage = new aws.apigateway.Stage(
            `${name}-stage`,
            {
                restApi: api.id,
                deployment: deployment.id,
                stageName: settings.stageName,
                accessLogSettings: {
                    destinationArn: accessLogs.arn,
                    format: args.accessLogFormat ?? DEFAULT_ACCESS_LOG_FORMAT,
                },
                tags: args.tags,
            },
            child,
        );
        new aws.apigateway.MethodSettings(
            `${name}-method-settings`,
            {
                restApi: api.id,
                stageName: stage.stageName,
                methodPath: "*/*",
                settings: {
                    throttlingRateLimit: args.throttlingRateLimit,
                    throttlingBurstLimit: args.throttlingBurstLimit,
                    metricsEnabled: args.metricsEnabled ?? false,
                },
            },
            child,
        );

        this.restApiId = api.id;
        this.vpcLinkId = vpcLink.id;
        this.stageName = stage.stageName;
        this.invokeUrl = stage.invokeUrl;

        if (args.domainName !== undefined) {
            const regional = settings.endpointType === "REGIONAL";
            const domain = new aws.apigateway.DomainName(
                `${name}-domain`,
                {
                    domainName: args.domainName,
                    ...(regional
                        ? { regionalCertificateArn: args.certificateArn }
                        : { certificateArn: args.certificateArn }),
                    endpointConfiguration: { types: settings.endpointType },
                    securityPolicy: "TLS_1_2",
                    tags: args.tags,
                },
                child,
            );
            new aws.apigateway.BasePathMapping(
                `${name}-base-path`,
                { restApi: api.id, stageName: stage.stageName, domainName: domain.domainName, basePath: args.basePath },
                child,
            );
            this.url = pulumi.interpolate`https://${domain.domainName}/${args.basePath ?? ""}`;
            this.domainTargetName = regional ? domain.regionalDomainName : domain.cloudfrontDomainName;
            this.domainTargetZoneId = regional ? domain.regionalZoneId : domain.cloudfrontZoneId;
        } else {
            this.url = stage.invokeUrl;
            this.domainTargetName = pulumi.output(undefined);
            this.domainTargetZoneId = pulumi.output(undefined);
        }

        this.registerOutputs({
            url: this.url,
            invokeUrl: this.invokeUrl,
            restApiId: this.restApiId,
            vpcLinkId: this.vpcLinkId,
            stageName: this.stageName,
            definitionHash: this.definitionHash,
            domainTargetName: this.domainTargetName,
            domainTargetZoneId: this.domainTargetZoneId,
        });
    }

    private validate(name: string, args: HttpDirectArgs) {
        const fail = (message: string): never => {
            throw new pulumi.ResourceError(message, this);
        };
        if (args.apiName === "") {
            fail("apiName: is empty; give the REST API a name, or leave it out for the component's name");
        }
        const endpointType = args.endpointType ?? "REGIONAL";
        if (!(HTTP_DIRECT_ENDPOINT_TYPES as readonly string[]).includes(endpointType)) {
            fail(`endpointType: "${endpointType}" is not supported; use "REGIONAL" or "EDGE"`);
        }
        const authorization = args.authorization ?? "NONE";
        if (!(HTTP_DIRECT_AUTHORIZATIONS as readonly string[]).includes(authorization)) {
            fail(`authorization: "${authorization}" is not supported; use "NONE" or "AWS_IAM"`);
        }
        const stageName = args.stageName ?? DEFAULT_STAGE_NAME;
        const stageProblem = stageNameProblem(stageName);
        if (stageProblem) {
            fail(`stageName: ${stageProblem}`);
        }
        const logRetentionDays = args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
        if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
            fail(
                `logRetentionDays: ${logRetentionDays} is not a CloudWatch Logs retention period; use one of ` +
                    LOG_RETENTION_DAYS.join(", "),
            );
        }
        const rate = args.throttlingRateLimit;
        if (rate !== undefined && !(Number.isFinite(rate) && rate >= 0)) {
            fail(`throttlingRateLimit: ${rate} is not a rate (requests per second, 0 or more)`);
        }
        const burst = args.throttlingBurstLimit;
        if (burst !== undefined && !(Number.isInteger(burst) && burst >= 0)) {
            fail(`throttlingBurstLimit: ${burst} is not a whole number of requests (0 or more)`);
        }
        if ((args.domainName === undefined) !== (args.certificateArn === undefined)) {
            fail(
                args.domainName === undefined
                    ? "domainName: is required with certificateArn"
                    : "certificateArn: is required with domainName, for the domain's TLS certificate",
            );
        }
        if (args.basePath !== undefined && args.domainName === undefined) {
            fail("basePath: is only used with domainName");
        }
        if (args.basePath !== undefined && !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(args.basePath)) {
            fail(`basePath: "${args.basePath}" is not a path (letters, digits, ".", "_", "-" and inner "/")`);
        }
        return {
            apiName: args.apiName ?? name,
            endpointType,
            authorization,
            stageName,
            logRetentionDays,
            binaryMediaTypes: stringList(args.binaryMediaTypes ?? DEFAULT_BINARY_MEDIA_TYPES),
        };
    }
}

/** The message for a group whose stack lacks an output HTTP Direct needs. */
function missingFromGroup(stackOutput: string): string {
    return `is undefined: the group's stack has no ${stackOutput} output (HTTP Direct needs the nlb topology)`;
}
