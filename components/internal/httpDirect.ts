/**
 * The REST API definition of Datomic HTTP Direct (nlb topology): root and
 * `{proxy+}` resources, `ANY` methods, `HTTP_PROXY` integrations over a VPC link
 * to `<LoadBalancerHttpDirectEndpoint>/{proxy}`, and the hash that redeploys the
 * API exactly when this definition changes.
 *
 * Sources: jdhollis/datomic-http-direct-example (proxy.tf: the `{proxy+}` method
 * and integration, `method.request.path.proxy` mapped to
 * `integration.request.path.proxy`, `binary_media_types = ["*\/*"]`); API
 * Gateway developer guide (private integrations through a VPC link to an NLB;
 * `$context` variables for access logging); CloudWatch Logs PutRetentionPolicy
 * (the allowed retention periods).
 */
import { stableJsonHash } from "./hashing";

export const DEFAULT_STAGE_NAME = "api";

/** Days; a month of access logs unless the caller says otherwise. */
export const DEFAULT_LOG_RETENTION_DAYS = 30;

/** The retention periods CloudWatch Logs accepts, in days (0: never expire). */
export const LOG_RETENTION_DAYS = [
    0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** REST API endpoint types this component builds (a private API would need a resource policy and VPC endpoints). */
export const HTTP_DIRECT_ENDPOINT_TYPES = ["REGIONAL", "EDGE"] as const;

/** Method authorizations this component offers: open, or callers signing with IAM (SigV4). */
export const HTTP_DIRECT_AUTHORIZATIONS = ["NONE", "AWS_IAM"] as const;

/** Pass every payload through untouched, as the example does: ions see the bytes the caller sent. */
export const DEFAULT_BINARY_MEDIA_TYPES = ["*/*"];

/** One resource of the API and its `ANY` method, proxied to HTTP Direct. */
export interface HttpDirectRoute {
    readonly key: "root" | "proxy";
    /** The resource's path part; `undefined` for the API's root resource. */
    readonly pathPart?: string;
    readonly methodRequestParameters: Record<string, boolean>;
    /** Appended to the HTTP Direct endpoint to form the integration URI. */
    readonly integrationPath: string;
    readonly integrationRequestParameters: Record<string, string>;
}

export const HTTP_DIRECT_ROUTES: readonly HttpDirectRoute[] = [
    {
        key: "root",
        pathPart: undefined,
        methodRequestParameters: {},
        integrationPath: "/",
        integrationRequestParameters: {},
    },
    {
        key: "proxy",
        pathPart: "{proxy+}",
        methodRequestParameters: { "method.request.path.proxy": true },
        integrationPath: "/{proxy}",
        integrationRequestParameters: { "integration.request.path.proxy": "method.request.path.proxy" },
    },
];

/** The arguments of one `aws.apigateway.Method`, besides the API and resource. */
export function methodSpec(route: HttpDirectRoute, authorization: string) {
    return { httpMethod: "ANY", authorization, requestParameters: route.methodRequestParameters };
}

/** The arguments of one `aws.apigateway.Integration`, besides the API and resource. */
export function integrationSpec(route: HttpDirectRoute, endpoint: string, vpcLinkId: string) {
    return {
        httpMethod: "ANY",
        type: "HTTP_PROXY",
        integrationHttpMethod: "ANY",
        connectionType: "VPC_LINK",
        connectionId: vpcLinkId,
        uri: `${endpoint}${route.integrationPath}`,
        requestParameters: route.integrationRequestParameters,
    };
}

/** Everything a deployment snapshots: what the hash covers. */
export interface HttpDirectDefinitionSettings {
    endpoint: string;
    vpcLinkId: string;
    authorization: string;
    binaryMediaTypes: readonly string[];
}

/** The API definition: methods and integrations per route, and the API's binary media types. */
export function httpDirectDefinition(settings: HttpDirectDefinitionSettings) {
    return {
        binaryMediaTypes: [...settings.binaryMediaTypes],
        routes: HTTP_DIRECT_ROUTES.map((route) => ({
            path: route.pathPart ?? "/",
            method: methodSpec(route, settings.authorization),
            integration: integrationSpec(route, settings.endpoint, settings.vpcLinkId),
        })),
    };
}

/** The deployment trigger: a hash of the definition, so the API is redeployed exactly when it changes. */
export function httpDirectDeploymentTrigger(settings: HttpDirectDefinitionSettings): string {
    return stableJsonHash(httpDirectDefinition(settings));
}

/** Why `text` is not an HTTP Direct endpoint (`http://<load balancer>:8184`), or `undefined` when it is. */
export function httpDirectEndpointProblem(text: string): string | undefined {
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        return `"${text}" is not a URL (expected the load balancer's HTTP Direct endpoint, such as http://<nlb dns>:8184)`;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
        return `"${text}" is not an http(s) URL`;
    }
    if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || url.username !== "") {
        return `"${text}" has a path, query or credentials; give only the scheme, host and port`;
    }
    return undefined;
}

/** The endpoint without a trailing slash, ready for integration paths to be appended. */
export function normalizedHttpDirectEndpoint(text: string): string {
    return text.replace(/\/+$/, "");
}

/** Why `name` cannot name an API Gateway stage, or `undefined` when it can. */
export function stageNameProblem(name: string): string | undefined {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(name)) {
        return `"${name}" is not a stage name: use 1 to 128 letters, digits, hyphens and underscores`;
    }
    return undefined;
}

/**
 * The access log format: one JSON object per request with the `$context` variables that explain a
 * slow or failed call through the VPC link.
 */
export const DEFAULT_ACCESS_LOG_FORMAT = JSON.stringify({
    requestId: "$context.requestId",
    sourceIp: "$context.identity.sourceIp",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    path: "$context.path",
    status: "$context.status",
    protocol: "$context.protocol",
    responseLength: "$context.responseLength",
    responseLatency: "$context.responseLatency",
    integrationStatus: "$context.integration.status",
    integrationLatency: "$context.integration.latency",
    errorMessage: "$context.error.message",
});
