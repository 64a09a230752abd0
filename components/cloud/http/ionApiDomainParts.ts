/**
 * The parts of IonApiDomain: a DNS-validated ACM certificate, and the stage of
 * our own on Datomic's ion API that carries access logs and throttling.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * A public ACM certificate for `domainName`, validated through a record in the Route 53 zone
 * `hostedZoneId`, as docs.datomic.com/operation/custom-api-gateway.html does by hand ("Request a public
 * certificate ... DNS validation ... Create record in Route 53"). Returns the ARN once issued, so the API
 * Gateway domain waits for it.
 */
export function validatedCertificate(
    owner: pulumi.Resource,
    name: string,
    settings: {
        domainName: pulumi.Input<string>;
        hostedZoneId: pulumi.Input<string>;
        tags?: Record<string, pulumi.Input<string>>;
    },
): pulumi.Output<string> {
    const certificate = new aws.acm.Certificate(
        `${name}-certificate`,
        { domainName: settings.domainName, validationMethod: "DNS", tags: settings.tags },
        { parent: owner },
    );
    // One domain, so one validation option.
    const option = certificate.domainValidationOptions.apply((options) => options[0]);
    const record = new aws.route53.Record(
        `${name}-certificate-record`,
        {
            zoneId: settings.hostedZoneId,
            name: option.apply((o) => o.resourceRecordName),
            type: option.apply((o) => o.resourceRecordType),
            records: [option.apply((o) => o.resourceRecordValue)],
            ttl: 300,
            // ACM gives every certificate for the same name the same record; another one may own it already.
            allowOverwrite: true,
        },
        { parent: owner },
    );
    return new aws.acm.CertificateValidation(
        `${name}-certificate-validation`,
        { certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
        { parent: owner },
    ).certificateArn;
}

/** What the stage of our own is for. */
export interface ServiceStageSettings {
    apiId: pulumi.Input<string>;
    stageName: string;
    accessLogs: boolean;
    logRetentionDays: number;
    accessLogFormat: string;
    throttlingRateLimit?: number;
    throttlingBurstLimit?: number;
    detailedMetrics: boolean;
    tags?: Record<string, pulumi.Input<string>>;
}

/**
 * A stage of our own on Datomic's ion API, with access logs and throttling, auto-deployed so it serves
 * the routes Datomic's stack defines (and any it adds later). Datomic's own `$default` stage belongs to
 * its CloudFormation stack and is left alone: changing it outside the stack is drift that the stack's
 * next update may undo (AWS CloudFormation user guide, "Detect unmanaged configuration changes to stacks
 * and resources"). HTTP APIs log through API Gateway's service-linked role, so no account-wide
 * CloudWatch role is needed (API Gateway developer guide, "Configure logging for HTTP APIs").
 */
export function serviceStage(
    owner: pulumi.Resource,
    name: string,
    settings: ServiceStageSettings,
): { stageName: pulumi.Output<string>; logGroupName: pulumi.Output<string | undefined> } {
    const logGroup = settings.accessLogs
        ? new aws.cloudwatch.LogGroup(
              `${name}-access-logs`,
              { retentionInDays: settings.logRetentionDays, tags: settings.tags },
              { parent: owner },
          )
        : undefined;
    const stage = new aws.apigatewayv2.Stage(
        `${name}-stage`,
        {
            apiId: settings.apiId,
            name: settings.stageName,
            autoDeploy: true,
            description: "Datomic HTTP Direct under the service's domain",
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
        { parent: owner },
    );
    return { stageName: stage.name, logGroupName: pulumi.output(logGroup?.name) };
}
