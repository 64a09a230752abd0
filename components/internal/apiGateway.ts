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

/** The stage Datomic's HTTP APIs serve from: no stage segment in their URLs. */
export const DEFAULT_HTTP_API_STAGE = "$default";

/** Why `name` cannot name an HTTP API stage of our own, or `undefined` when it can. */
export function httpApiStageNameProblem(name: string): string | undefined {
    if (name === DEFAULT_HTTP_API_STAGE) {
        return `"${name}" is the stage Datomic's stack manages; name a stage of your own`;
    }
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(name)) {
        return `"${name}" is not a stage name: use 1 to 128 letters, digits, hyphens and underscores`;
    }
    return undefined;
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
