/**
 * The API Gateways Datomic Cloud manages for each compute group on releases
 * 884-9095 and later: the Client API gateway (`ClientApiGatewayEndpoint`) and the
 * ion gateway for HTTP Direct (`IonApiGatewayEndpoint`), both HTTP APIs (API
 * Gateway v2) whose endpoints are `https://<api-id>.execute-api.<region>.amazonaws.com/`.
 *
 * Sources: docs.datomic.com/operation/custom-api-gateway.html ("every Datomic compute group
 * manages two API Gateways ... generated endpoint names of the form
 * https://{api-id}.execute-api.{region}.amazonaws.com/"); docs.datomic.com/ions/ions-reference.html
 * ("Ion web services are exposed at the URL https://$(IonApiGatewayEndpoint)", so the output may be a
 * bare host); Datomic/ion-starter's client config (`ClientApiGatewayEndpoint` given as an https URL).
 * Both spellings are accepted.
 */

/** What an API Gateway endpoint of a Datomic compute group names. */
export interface ApiGatewayEndpoint {
    /** The HTTP API's id, the first label of the host. */
    readonly apiId: string;
    /** The region in the host. */
    readonly region: string;
    /** `https://<host>`, without a trailing slash. */
    readonly url: string;
}

const EXECUTE_API_HOST = /^([a-z0-9]{10})\.execute-api\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?$/;

/**
 * Parses a `ClientApiGatewayEndpoint` or `IonApiGatewayEndpoint` value: a bare host or an https URL
 * with an optional trailing slash. Returns a problem (a sentence naming the value) when it is neither.
 */
export function parseApiGatewayEndpoint(text: string): ApiGatewayEndpoint | { problem: string } {
    const expected = "expected <api-id>.execute-api.<region>.amazonaws.com, with or without https://";
    const withScheme = /^[a-z]+:\/\//i.test(text) ? text : `https://${text}`;
    let url: URL;
    try {
        url = new URL(withScheme);
    } catch {
        return { problem: `"${text}" is not an API Gateway endpoint (${expected})` };
    }
    if (url.protocol !== "https:" || url.port !== "" || url.username !== "" || url.search !== "" || url.hash !== "") {
        return { problem: `"${text}" is not an API Gateway endpoint (${expected})` };
    }
    if (url.pathname !== "/") {
        return { problem: `"${text}" has a path; ${expected}` };
    }
    const match = EXECUTE_API_HOST.exec(url.hostname);
    if (!match) {
        return { problem: `"${text}" is not an API Gateway endpoint (${expected})` };
    }
    return { apiId: match[1], region: match[2], url: `https://${url.hostname}` };
}

/**
 * The stage every HTTP API here is served from: Datomic's ion API and the front API of our own. Its URLs
 * have no stage segment, and a `$default` stage adds no stage portion to a private integration's backend
 * path (API Gateway developer guide, "Create private integrations for HTTP APIs").
 */
export const DEFAULT_HTTP_API_STAGE = "$default";

/**
 * The parameter mapping that sends a private integration the request path without any stage name: "For
 * private integrations, API Gateway includes the stage portion of the API endpoint in the request to your
 * backend resources ... To remove the stage name ... overwrite the request path to `$request.path`"
 * (API Gateway developer guide, http-api-develop-integrations-private.html; `overwrite:path` and
 * `$request.path`, "the request path, without the stage name": http-api-parameter-mapping.html).
 */
export const PATH_WITHOUT_STAGE: Readonly<Record<string, string>> = { "overwrite:path": "$request.path" };

/** Where Datomic's ion API sends requests: its private integration to the group's load balancer. */
export interface DatomicIonIntegration {
    /** The load balancer listener's ARN (an HTTP API private integration's `integrationUri`). */
    readonly listenerArn: string;
    /** Datomic's VPC link (v2): the front API's own link copies its subnets and security groups. */
    readonly vpcLinkId: string;
    /** The server name Datomic's integration verifies over TLS, when it uses TLS. */
    readonly serverNameToVerify?: string;
}

/**
 * Datomic's private integration, read from the OpenAPI 3.0 export of its ion API
 * (`aws.apigatewayv2.getExport`, with API Gateway extensions): the `x-amazon-apigateway-integration`
 * objects of its routes, inline or under `components.x-amazon-apigateway-integrations` (API Gateway
 * developer guide, "OpenAPI extensions to API Gateway"). Its stack has one route, `$default`, proxying
 * every request to the group's load balancer over a VPC link (Datomic's template outputs the integration as
 * `IonApiIntegrationId` from 973-9132; public setups add their own routes to that one integration).
 */
export function datomicIonIntegration(exportBody: string, apiId: string): DatomicIonIntegration | { problem: string } {
    let document: unknown;
    try {
        document = JSON.parse(exportBody);
    } catch {
        return { problem: `the export of ${apiId} is not JSON` };
    }
    const found = new Map<string, DatomicIonIntegration>();
    const visit = (node: unknown): void => {
        if (Array.isArray(node)) {
            node.forEach(visit);
        } else if (node !== null && typeof node === "object") {
            for (const [key, value] of Object.entries(node)) {
                const integration = key === "x-amazon-apigateway-integration" ? privateIntegration(value) : undefined;
                if (integration) {
                    found.set(`${integration.listenerArn} ${integration.vpcLinkId}`, integration);
                }
                visit(value);
            }
        }
    };
    visit(document);
    // Integrations collected under components are keyed by name; each is an integration object itself.
    const components = (document as { components?: Record<string, unknown> } | null)?.components;
    const collection = components?.["x-amazon-apigateway-integrations"];
    if (collection !== null && typeof collection === "object") {
        for (const value of Object.values(collection)) {
            const integration = privateIntegration(value);
            if (integration) {
                found.set(`${integration.listenerArn} ${integration.vpcLinkId}`, integration);
            }
        }
    }
    const integrations = [...found.values()];
    if (integrations.length !== 1) {
        return {
            problem:
                `the ion API ${apiId} has ${integrations.length === 0 ? "no" : integrations.length} private ` +
                "integrations over a VPC link to a load balancer listener; expected Datomic's one",
        };
    }
    return integrations[0];
}

function privateIntegration(value: unknown): DatomicIonIntegration | undefined {
    if (value === null || typeof value !== "object") {
        return undefined;
    }
    const spec = value as Record<string, unknown>;
    const uri = spec.uri;
    const connectionId = spec.connectionId;
    if (
        String(spec.connectionType).toUpperCase() !== "VPC_LINK" ||
        typeof uri !== "string" ||
        !uri.startsWith("arn:") ||
        !uri.includes(":listener/") ||
        typeof connectionId !== "string"
    ) {
        return undefined;
    }
    const tls = spec.tlsConfig as { serverNameToVerify?: unknown } | undefined;
    return {
        listenerArn: uri,
        vpcLinkId: connectionId,
        ...(typeof tls?.serverNameToVerify === "string" ? { serverNameToVerify: tls.serverNameToVerify } : {}),
    };
}

/** Why `key` cannot be an API mapping key (the path under the domain), or `undefined` when it can. */
export function apiMappingKeyProblem(key: string): string | undefined {
    if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(key)) {
        return `"${key}" is not a path (letters, digits, ".", "_", "-" and inner "/")`;
    }
    return undefined;
}

/** Why `name` is not a domain name a certificate and an API Gateway domain can be made for. */
export function domainNameProblem(name: string): string | undefined {
    const label = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    if (name.length > 253 || !new RegExp(`^${label}(\\.${label})+$`).test(name)) {
        return `"${name}" is not a domain name (lowercase labels of letters, digits and hyphens, such as api.example.com)`;
    }
    return undefined;
}

/**
 * The access log format of HTTP APIs: one JSON object per request with the `$context` variables that
 * explain a slow or failed call through Datomic's VPC link (API Gateway developer guide, "Customizing
 * HTTP API access logs").
 */
export const DEFAULT_HTTP_API_ACCESS_LOG_FORMAT = JSON.stringify({
    requestId: "$context.requestId",
    sourceIp: "$context.identity.sourceIp",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    path: "$context.path",
    routeKey: "$context.routeKey",
    status: "$context.status",
    protocol: "$context.protocol",
    responseLength: "$context.responseLength",
    responseLatency: "$context.responseLatency",
    integrationStatus: "$context.integrationStatus",
    integrationLatency: "$context.integrationLatency",
    errorMessage: "$context.error.message",
});
