/**
 * HttpDirect's arguments, their defaults and checks, and the group's endpoint and load balancer checked
 * once known.
 */
import * as pulumi from "@pulumi/pulumi";
import {
    DEFAULT_BINARY_MEDIA_TYPES,
    DEFAULT_LOG_RETENTION_DAYS,
    DEFAULT_STAGE_NAME,
    HTTP_DIRECT_AUTHORIZATIONS,
    HTTP_DIRECT_ENDPOINT_TYPES,
    httpDirectEndpointProblem,
    LOG_RETENTION_DAYS,
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

/** HttpDirect's arguments with their defaults, checked. */
export interface HttpDirectSettings {
    apiName: string;
    endpointType: string;
    authorization: string;
    stageName: string;
    logRetentionDays: number;
    binaryMediaTypes: pulumi.Input<string[]>;
}

/** Checks the plain arguments and applies the defaults; a bad one fails the preview against `owner`. */
export function httpDirectSettings(name: string, args: HttpDirectArgs, owner: pulumi.Resource): HttpDirectSettings {
    const fail = (message: string): never => {
        throw new pulumi.ResourceError(message, owner);
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

/** The group's HTTP Direct endpoint and its NLB (the VPC link's target), each checked once known. */
export interface CheckedGroup {
    endpoint: pulumi.Input<string>;
    targetArn: pulumi.Input<string>;
}

/** Checks the group's endpoint, load balancer and the environment's topology against `owner`. */
export function checkedGroup(args: HttpDirectArgs, owner: pulumi.Resource): CheckedGroup {
    const endpoint = mapInput(args.httpDirectEndpoint, (text) => {
        if (text === undefined) {
            throw new pulumi.ResourceError(
                `httpDirectEndpoint: ${missingFromGroup("LoadBalancerHttpDirectEndpoint")}`,
                owner,
            );
        }
        const problem = httpDirectEndpointProblem(text);
        if (problem) {
            throw new pulumi.ResourceError(`httpDirectEndpoint: ${problem}`, owner);
        }
        return normalizedHttpDirectEndpoint(text);
    });
    const loadBalancerArn = mapInput(args.loadBalancerArn, (arn) => {
        if (arn === undefined) {
            throw new pulumi.ResourceError(`loadBalancerArn: ${missingFromGroup("LoadBalancer")}`, owner);
        }
        // A REST API VPC link (v1) is built on an endpoint service, which takes NLBs only (API Gateway guide).
        if (!arn.includes(":loadbalancer/net/")) {
            throw new pulumi.ResourceError(
                `loadBalancerArn: "${arn}" is not a Network Load Balancer; a REST API VPC link targets NLBs only. ` +
                    "alb systems (884-9095 and later) serve HTTP Direct through the group's own API Gateway: " +
                    "use its IonApiGatewayEndpoint output with IonApiDomain instead of HttpDirect",
                owner,
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
                owner,
            );
        }
        return value;
    });
    return {
        endpoint,
        targetArn:
            args.topology === undefined
                ? loadBalancerArn
                : pulumi.all([loadBalancerArn, topology]).apply(([arn]) => arn),
    };
}

/** The message for a group whose stack lacks an output HTTP Direct needs. */
function missingFromGroup(stackOutput: string): string {
    return `is undefined: the group's stack has no ${stackOutput} output (HTTP Direct needs the nlb topology)`;
}
