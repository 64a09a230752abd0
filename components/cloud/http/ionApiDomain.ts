/**
 * IonApiDomain: Datomic HTTP Direct on alb releases (884-9095 and later) under a
 * service's own domain.
 *
 * On these releases every compute group manages an API Gateway HTTP API for its
 * ions, `IonApiGatewayEndpoint` (docs.datomic.com/ions/ions-reference.html: "Ion web
 * services are exposed at the URL https://$(IonApiGatewayEndpoint)"), and a REST
 * VPC link cannot target the group's ALB. Datomic's docs give a custom domain for
 * that gateway by hand (docs.datomic.com/operation/custom-api-gateway.html: an ACM
 * certificate with DNS validation, an API Gateway custom domain name, TLS 1.2,
 * regional, an API mapping to the Datomic API, and a Route 53 alias); this
 * component builds exactly that, without touching the API Datomic's stack owns.
 * Access logs and throttling need a stage Datomic's stack does not own: they live
 * on a front API of our own (frontApi.ts says why, with its sources).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    apiMappingKeyProblem,
    DEFAULT_HTTP_API_ACCESS_LOG_FORMAT,
    DEFAULT_HTTP_API_STAGE,
    domainNameProblem,
    parseApiGatewayEndpoint,
} from "../../internal/apiGateway";
import { DEFAULT_LOG_RETENTION_DAYS, LOG_RETENTION_DAYS } from "../../internal/httpDirect";
import { isPlain, mapInput } from "../inputValues";
import { frontApi } from "./frontApi";
import { validatedCertificate } from "./ionApiDomainParts";

/** Arguments of {@link IonApiDomain}. */
export interface IonApiDomainArgs {
    /**
     * The compute group's `IonApiGatewayEndpoint`: `QueryGroup.ionApiGatewayEndpoint`, or
     * `DatomicSystemReference.ionApiGatewayEndpoint` for the primary compute group. A group without one
     * (an nlb release) fails naming the output.
     */
    ionApiGatewayEndpoint: pulumi.Input<string | undefined>;
    /** The service's domain, e.g. `orders.acme.com`. */
    domainName: pulumi.Input<string>;
    /**
     * The public Route 53 hosted zone of `domainName`: the component adds the alias record there, and the
     * certificate's validation record when it requests the certificate. Without it, point your DNS at
     * `domainTargetName` yourself and give `certificateArn`.
     */
    hostedZoneId?: pulumi.Input<string>;
    /** An issued ACM certificate for `domainName` in the API's region. Requested and DNS-validated when omitted. */
    certificateArn?: pulumi.Input<string>;
    /** The path under `domainName` the API is mapped to, e.g. `orders`. Default: the domain's root. */
    apiMappingKey?: string;
    /**
     * Access logs to CloudWatch Logs. Logs, throttling and detailed metrics live on the `$default` stage of
     * a front API of our own, in front of the group's load balancer, which serves the ions at the same paths
     * as Datomic's API; without them the domain maps to Datomic's own `$default` stage. Default false.
     */
    accessLogs?: boolean;
    /** Days to keep the access logs: a CloudWatch Logs retention period, 0 for ever. Default 30. */
    logRetentionDays?: number;
    /** The access log format. Default: one JSON object per request. */
    accessLogFormat?: string;
    /** Steady-state requests per second for every route, on the front API. */
    throttlingRateLimit?: number;
    /** Burst of requests for every route, on the front API. */
    throttlingBurstLimit?: number;
    /** Detailed CloudWatch metrics for every route, on the front API. Default false. */
    detailedMetrics?: boolean;
    /**
     * The environment's topology (`DatomicSystemReference.topology`). `"nlb"` is refused at preview, naming
     * `HttpDirect` as the component nlb systems need, even while the group's endpoint is still unknown.
     */
    topology?: pulumi.Input<string>;
    /** Tags for every resource created that takes tags. */
    tags?: Record<string, pulumi.Input<string>>;
}

/**
 * A compute group's Datomic-managed ion API gateway (HTTP Direct on alb) under the service's own domain:
 * certificate, API Gateway custom domain, API mapping and Route 53 alias, with optional access logs and
 * throttling on a front API of our own that serves the ions at the same paths.
 *
 * @example
 * ```ts
 * const group = new QueryGroup("orders", { systemName: datomic.systemName, systemRelease: datomic.release, keyName: "orders" });
 * const api = new IonApiDomain("orders-api", {
 *     ionApiGatewayEndpoint: group.ionApiGatewayEndpoint,
 *     domainName: "orders.acme.com",
 *     hostedZoneId: zone.zoneId,
 *     accessLogs: true,
 *     throttlingRateLimit: 100,
 *     throttlingBurstLimit: 200,
 *     topology: datomic.topology,
 * });
 * export const url = api.url;
 * ```
 */
export class IonApiDomain extends pulumi.ComponentResource {
    /** `https://<domainName>/<apiMappingKey>`. */
    public readonly url: pulumi.Output<string>;
    /** The Datomic-managed HTTP API, from the endpoint's host. */
    public readonly apiId: pulumi.Output<string>;
    /** With access logs, throttling or detailed metrics: the front API the domain maps to instead. */
    public readonly frontApiId: pulumi.Output<string | undefined>;
    /** The stage the domain maps to: always a `$default` stage, Datomic's or the front API's. */
    public readonly stageName: pulumi.Output<string>;
    /** The certificate the domain uses. */
    public readonly certificateArn: pulumi.Output<string>;
    /** The name to point a DNS alias (or CNAME) at. */
    public readonly domainTargetName: pulumi.Output<string>;
    /** The hosted zone of `domainTargetName`, for a Route 53 alias. */
    public readonly domainTargetZoneId: pulumi.Output<string>;
    /** The access logs' log group, when `accessLogs` is on. */
    public readonly logGroupName: pulumi.Output<string | undefined>;

    constructor(name: string, args: IonApiDomainArgs, opts?: pulumi.ComponentResourceOptions) {
        super("datomic:cloud:IonApiDomain", name, {}, opts);

        const settings = this.validate(args);
        const child = { parent: this };
        const region = aws.getRegionOutput({}, child).region;
        this.apiId = pulumi
            .all([args.ionApiGatewayEndpoint, region, settings.topology])
            .apply(([endpoint, providerRegion]) => this.apiIdOf(endpoint, providerRegion));

        if (args.certificateArn !== undefined) {
            this.certificateArn = pulumi.output(args.certificateArn);
        } else {
            this.certificateArn = validatedCertificate(this, name, {
                domainName: settings.domainName,
                hostedZoneId: args.hostedZoneId!,
                tags: args.tags,
            });
        }

        const front = settings.front
            ? frontApi(this, name, { datomicApiId: this.apiId, ...settings.front, tags: args.tags })
            : undefined;
        this.frontApiId = front?.apiId ?? pulumi.output(undefined);
        this.stageName = front?.stageName ?? pulumi.output(DEFAULT_HTTP_API_STAGE);
        this.logGroupName = front?.logGroupName ?? pulumi.output(undefined);

        const domain = new aws.apigatewayv2.DomainName(
            `${name}-domain`,
            {
                domainName: settings.domainName,
                domainNameConfiguration: {
                    certificateArn: this.certificateArn,
                    endpointType: "REGIONAL",
                    securityPolicy: "TLS_1_2",
                },
                tags: args.tags,
            },
            child,
        );
        new aws.apigatewayv2.ApiMapping(
            `${name}-mapping`,
            {
                apiId: front?.apiId ?? this.apiId,
                domainName: domain.id,
                stage: this.stageName,
                apiMappingKey: args.apiMappingKey,
            },
            // `apiId` forces a replacement (hashicorp/terraform-provider-aws, apigatewayv2/api_mapping.go:
            // ForceNew), and API Gateway refuses a second mapping with the same key on the domain
            // (ConflictException, 409): the old mapping goes first, or a new query group fails the update.
            { parent: this, deleteBeforeReplace: true },
        );
        this.domainTargetName = domain.domainNameConfiguration.targetDomainName;
        this.domainTargetZoneId = domain.domainNameConfiguration.hostedZoneId;
        if (args.hostedZoneId !== undefined) {
            new aws.route53.Record(
                `${name}-alias`,
                {
                    zoneId: args.hostedZoneId,
                    name: domain.domainName,
                    type: "A",
                    aliases: [
                        { name: this.domainTargetName, zoneId: this.domainTargetZoneId, evaluateTargetHealth: false },
                    ],
                },
                child,
            );
        }
        this.url = pulumi.interpolate`https://${domain.domainName}/${args.apiMappingKey ?? ""}`;

        this.registerOutputs({
            url: this.url,
            apiId: this.apiId,
            frontApiId: this.frontApiId,
            stageName: this.stageName,
            certificateArn: this.certificateArn,
            domainTargetName: this.domainTargetName,
            domainTargetZoneId: this.domainTargetZoneId,
            logGroupName: this.logGroupName,
        });
    }

    private apiIdOf(endpoint: string | undefined, providerRegion: string): string {
        if (endpoint === undefined) {
            throw new pulumi.ResourceError(
                "ionApiGatewayEndpoint: is undefined: the group's stack has no IonApiGatewayEndpoint output " +
                    "(HTTP Direct through Datomic's ion API gateway needs an alb release, 884-9095 or later; " +
                    "nlb releases use HttpDirect)",
                this,
            );
        }
        const parsed = parseApiGatewayEndpoint(endpoint);
        if ("problem" in parsed) {
            throw new pulumi.ResourceError(`ionApiGatewayEndpoint: ${parsed.problem}`, this);
        }
        if (parsed.region !== providerRegion) {
            throw new pulumi.ResourceError(
                `ionApiGatewayEndpoint: "${endpoint}" is in ${parsed.region}, but this provider is in ` +
                    `${providerRegion}; a regional custom domain must be in the API's region`,
                this,
            );
        }
        return parsed.apiId;
    }

    private validate(args: IonApiDomainArgs) {
        const fail = (message: string): never => {
            throw new pulumi.ResourceError(message, this);
        };
        const domainName = mapInput(args.domainName, (domainName) => {
            const problem = typeof domainName === "string" ? domainNameProblem(domainName) : "is empty";
            return problem ? fail(`domainName: ${problem}`) : domainName;
        });
        if (args.certificateArn === undefined && args.hostedZoneId === undefined) {
            fail(
                "hostedZoneId: is required to request and validate a certificate; give the domain's Route 53 " +
                    "zone, or an issued certificate as certificateArn",
            );
        }
        if (args.apiMappingKey !== undefined) {
            const problem = apiMappingKeyProblem(args.apiMappingKey);
            if (problem) {
                fail(`apiMappingKey: ${problem}`);
            }
        }
        const logRetentionDays = args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
        if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
            fail(
                `logRetentionDays: ${logRetentionDays} is not a CloudWatch Logs retention period; use one of ` +
                    LOG_RETENTION_DAYS.join(", "),
            );
        }
        const accessLogs = args.accessLogs ?? false;
        for (const key of ["logRetentionDays", "accessLogFormat"] as const) {
            if (args[key] !== undefined && !accessLogs) {
                fail(`${key}: is only used with accessLogs: true`);
            }
        }
        const rate = args.throttlingRateLimit;
        if (rate !== undefined && !(Number.isFinite(rate) && rate >= 0)) {
            fail(`throttlingRateLimit: ${rate} is not a rate (requests per second, 0 or more)`);
        }
        const burst = args.throttlingBurstLimit;
        if (burst !== undefined && !(Number.isInteger(burst) && burst >= 0)) {
            fail(`throttlingBurstLimit: ${burst} is not a whole number of requests (0 or more)`);
        }
        const detailedMetrics = args.detailedMetrics ?? false;
        const wantsFront = accessLogs || rate !== undefined || burst !== undefined || detailedMetrics;
        // Checked on its own, so a known topology fails the preview while the group's endpoint is unknown;
        // the domain name waits for it, so nothing is created for an nlb environment.
        const topology = mapInput(args.topology, (value) =>
            value === "nlb"
                ? fail(
                      'topology: the environment is "nlb" (a release before 884-9095), whose groups have no ion ' +
                          "API gateway; use HttpDirect (a REST API with a VPC link to the group's NLB) instead",
                  )
                : value,
        );
        return {
            topology,
            domainName:
                args.topology === undefined || isPlain(topology)
                    ? domainName
                    : pulumi.all([domainName, topology]).apply(([checked]) => checked),
            front: wantsFront
                ? {
                      accessLogs,
                      logRetentionDays,
                      accessLogFormat: args.accessLogFormat ?? DEFAULT_HTTP_API_ACCESS_LOG_FORMAT,
                      throttlingRateLimit: rate,
                      throttlingBurstLimit: burst,
                      detailedMetrics,
                  }
                : undefined,
        };
    }
}
