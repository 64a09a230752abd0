/**
 * HttpDirect's stage (access logs, throttling, metrics) and its optional custom domain.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_ACCESS_LOG_FORMAT } from "../../internal/httpDirect";
import type { HttpDirectArgs, HttpDirectSettings } from "./httpDirectArgs";
import type { ProxyApi } from "./restApi";

/** The stage with its access log group and method settings, as children of `owner`. */
export function createStage(
    owner: pulumi.Resource,
    name: string,
    args: HttpDirectArgs,
    settings: HttpDirectSettings,
    { api, deployment }: ProxyApi,
): aws.apigateway.Stage {
    const child = { parent: owner };
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
    return stage;
}

/** Where callers reach the API, and where a DNS alias for a custom domain points. */
export interface ApiAddress {
    url: pulumi.Output<string>;
    domainTargetName: pulumi.Output<string | undefined>;
    domainTargetZoneId: pulumi.Output<string | undefined>;
}

/** The custom domain and its base path mapping when `domainName` is given; else the stage's invoke URL. */
export function createApiAddress(
    owner: pulumi.Resource,
    name: string,
    args: HttpDirectArgs,
    settings: HttpDirectSettings,
    api: aws.apigateway.RestApi,
    stage: aws.apigateway.Stage,
): ApiAddress {
    if (args.domainName === undefined) {
        return {
            url: stage.invokeUrl,
            domainTargetName: pulumi.output(undefined),
            domainTargetZoneId: pulumi.output(undefined),
        };
    }
    const child = { parent: owner };
    const regional = settings.endpointType === "REGIONAL";
    const domain = new aws.apigateway.DomainName(
        `${name}-domain`,
        {
            domainName: args.domainName,
            ...(regional ? { regionalCertificateArn: args.certificateArn } : { certificateArn: args.certificateArn }),
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
    return {
        url: pulumi.interpolate`https://${domain.domainName}/${args.basePath ?? ""}`,
        domainTargetName: regional ? domain.regionalDomainName : domain.cloudfrontDomainName,
        domainTargetZoneId: regional ? domain.regionalZoneId : domain.cloudfrontZoneId,
    };
}
