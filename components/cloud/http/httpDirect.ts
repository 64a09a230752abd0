/**
 * HttpDirect: an API Gateway REST API in front of a Datomic Cloud compute or
 * query group's HTTP Direct endpoint (nlb topology), following the public
 * example jdhollis/datomic-http-direct-example: a VPC link to the group's NLB,
 * root and `{proxy+}` `ANY` methods with `HTTP_PROXY` integrations over the
 * link, a deployment, a stage with access logs and throttling, and optionally a
 * custom domain.
 *
 * The component composes: its arguments and checks in httpDirectArgs.ts, the API in restApi.ts, the stage
 * and custom domain in restApiStage.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { checkedGroup, HttpDirectArgs, httpDirectSettings } from "./httpDirectArgs";
import { createProxyApi } from "./restApi";
import { createApiAddress, createStage } from "./restApiStage";

export type { HttpDirectArgs } from "./httpDirectArgs";

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
        const settings = httpDirectSettings(name, args, this);
        const proxy = createProxyApi(this, name, args, settings, checkedGroup(args, this));
        const stage = createStage(this, name, args, settings, proxy);
        const address = createApiAddress(this, name, args, settings, proxy.api, stage);

        this.restApiId = proxy.api.id;
        this.vpcLinkId = proxy.vpcLink.id;
        this.definitionHash = proxy.definitionHash;
        this.stageName = stage.stageName;
        this.invokeUrl = stage.invokeUrl;
        this.url = address.url;
        this.domainTargetName = address.domainTargetName;
        this.domainTargetZoneId = address.domainTargetZoneId;
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
}
