/**
 * HttpDirect's REST API: the VPC link to the group's NLB, root and `{proxy+}` `ANY` methods with
 * `HTTP_PROXY` integrations over the link, and a deployment redone exactly when that definition changes
 * (jdhollis/datomic-http-direct-example).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    HTTP_DIRECT_ROUTES,
    httpDirectDeploymentTrigger,
    integrationSpec,
    methodSpec,
} from "../../internal/httpDirect";
import type { CheckedGroup, HttpDirectArgs, HttpDirectSettings } from "./httpDirectArgs";

/** What the API's stage and domain build on. */
export interface ProxyApi {
    vpcLink: aws.apigateway.VpcLink;
    api: aws.apigateway.RestApi;
    deployment: aws.apigateway.Deployment;
    /** The deployment trigger: the hash of the API definition. */
    definitionHash: pulumi.Output<string>;
}

/** The VPC link, the API, its methods and integrations, and its deployment, as children of `owner`. */
export function createProxyApi(
    owner: pulumi.Resource,
    name: string,
    args: HttpDirectArgs,
    settings: HttpDirectSettings,
    group: CheckedGroup,
): ProxyApi {
    const child = { parent: owner };
    const vpcLink = new aws.apigateway.VpcLink(
        `${name}-vpc-link`,
        { targetArn: group.targetArn, description: `Datomic HTTP Direct for ${settings.apiName}`, tags: args.tags },
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
            .all([group.endpoint, vpcLink.id])
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

    const definitionHash = pulumi
        .all([group.endpoint, vpcLink.id, settings.binaryMediaTypes])
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
        { restApi: api.id, description: "Datomic HTTP Direct", triggers: { definition: definitionHash } },
        { parent: owner, dependsOn: integrations },
    );
    return { vpcLink, api, deployment, definitionHash };
}
