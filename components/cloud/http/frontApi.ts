/**
 * IonApiDomain's front API: an HTTP API of our own in front of the compute group's load balancer, for
 * access logs and throttling that Datomic's stack neither owns nor overwrites.
 *
 * Why not a stage of our own on Datomic's ion API: a private integration receives the stage portion of
 * the endpoint in its path for any stage but `$default` (API Gateway developer guide,
 * http-api-develop-integrations-private.html), so ions would see `/<stage>/<path>`, and only the
 * integration can overwrite the path: Datomic's integration belongs to its stack. Why not Datomic's
 * `$default` stage: that stage is a resource of Datomic's CloudFormation stack; settings made on it
 * outside the stack are drift the stack's next update may undo (CloudFormation user guide, "Detect
 * unmanaged configuration changes to stacks and resources").
 *
 * So the front API copies Datomic's own route to the ALB: it reads Datomic's private integration from
 * the ion API's export (the listener and the VPC link), makes a VPC link of its own in the same subnets
 * and security groups (which Datomic's load balancer already admits), and proxies `$default` to the same
 * listener with the path overwritten to `$request.path`, on a `$default` stage carrying the logs and the
 * throttling. Ions see exactly the paths they see through Datomic's own endpoint. (A private integration
 * to a load balancer is an `HTTP_PROXY` integration over a VPC link whose URI is the listener's ARN: API
 * Gateway developer guide, http-api-develop-integrations-private.html.)
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { datomicIonIntegration, DEFAULT_HTTP_API_STAGE, PATH_WITHOUT_STAGE } from "../../internal/apiGateway";

/** What the front API carries. */
export interface FrontApiSettings {
    /** Datomic's ion API, whose integration the front API copies. */
    datomicApiId: pulumi.Input<string>;
    accessLogs: boolean;
    logRetentionDays: number;
    accessLogFormat: string;
    throttlingRateLimit?: number;
    throttlingBurstLimit?: number;
    detailedMetrics: boolean;
    tags?: Record<string, pulumi.Input<string>>;
}

/** The front API: its id and stage, the domain's mapping target, and its access logs. */
export interface FrontApi {
    apiId: pulumi.Output<string>;
    stageName: pulumi.Output<string>;
    logGroupName: pulumi.Output<string | undefined>;
}

/** Builds the front API; every resource is registered at preview, with Datomic's values unknown until read. */
export function frontApi(owner: pulumi.Resource, name: string, settings: FrontApiSettings): FrontApi {
    const child = { parent: owner };
    const exported = aws.apigatewayv2.getExportOutput(
        { apiId: settings.datomicApiId, specification: "OAS30", outputType: "JSON", includeExtensions: true },
        child,
    );
    const integration = pulumi.all([exported.body, settings.datomicApiId]).apply(([body, apiId]) => {
        const found = datomicIonIntegration(body, apiId);
        if ("problem" in found) {
            throw new pulumi.ResourceError(`ionApiGatewayEndpoint: ${found.problem}`, owner);
        }
        return found;
    });
    const datomicLink = aws.apigatewayv2.getVpcLinkOutput({ vpcLinkId: integration.vpcLinkId }, child);

    const link = new aws.apigatewayv2.VpcLink(
        `${name}-vpc-link`,
        {
            name: `${name}-ions`,
            subnetIds: datomicLink.subnetIds,
            securityGroupIds: datomicLink.securityGroupIds,
            tags: settings.tags,
        },
        child,
    );
    const api = new aws.apigatewayv2.Api(
        `${name}-api`,
        {
            name: `${name}-ions`,
            protocolType: "HTTP",
            description: "Datomic HTTP Direct: logs and throttling in front of the compute group's ions",
            tags: settings.tags,
        },
        child,
    );
    const proxy = new aws.apigatewayv2.Integration(
        `${name}-integration`,
        {
            apiId: api.id,
            integrationType: "HTTP_PROXY",
            integrationMethod: "ANY",
            connectionType: "VPC_LINK",
            connectionId: link.id,
            integrationUri: integration.listenerArn,
            payloadFormatVersion: "1.0",
            requestParameters: { ...PATH_WITHOUT_STAGE },
            tlsConfig: integration.apply((found) =>
                found.serverNameToVerify === undefined ? undefined : { serverNameToVerify: found.serverNameToVerify },
            ),
        },
        child,
    );
    new aws.apigatewayv2.Route(
        `${name}-route`,
        { apiId: api.id, routeKey: "$default", target: pulumi.interpolate`integrations/${proxy.id}` },
        child,
    );
    const logGroup = settings.accessLogs
        ? new aws.cloudwatch.LogGroup(
              `${name}-access-logs`,
              { retentionInDays: settings.logRetentionDays, tags: settings.tags },
              child,
          )
        : undefined;
    // HTTP APIs log through API Gateway's service-linked role: no account-wide CloudWatch role is needed
    // (API Gateway developer guide, "Configure logging for HTTP APIs").
    const stage = new aws.apigatewayv2.Stage(
        `${name}-stage`,
        {
            apiId: api.id,
            name: DEFAULT_HTTP_API_STAGE,
            autoDeploy: true,
            accessLogSettings: logGroup
                ? { destinationArn: logGroup.arn, format: settings.accessLogFormat }
                : undefined,
            defaultRouteSettings: {
                throttlingRateLimit: settings.throttlingRateLimit,
                throttlingBurstLimit: settings.throttlingBurstLimit,
                detailedMetricsEnabled: settings.detailedMetrics,
            },
            tags: settings.tags,
        },
        child,
    );
    return { apiId: api.id, stageName: stage.name, logGroupName: pulumi.output(logGroup?.name) };
}
