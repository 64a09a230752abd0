/**
 * The service's compute: a query group of its own, the ion project in ion/
 * deployed to it whenever its sources (or the group) change, and its HTTP entry.
 *
 * HTTP Direct in front of the group depends on the topology. On nlb (Datomic
 * releases before 884-9095) a group's HTTP Direct endpoint is a port of its
 * network load balancer, and we put an API Gateway of our own in front of it
 * (HttpDirect, as in jdhollis/datomic-http-direct-example). On alb, every
 * compute group manages its own API Gateway for ions
 * (docs.datomic.com/operation/custom-api-gateway.html), whose URL is the
 * group's `IonApiGatewayEndpoint` output; an API Gateway VPC link (v1) cannot
 * target the group's application load balancer anyway.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HttpDirect, IonDeployment, QueryGroup } from "pulumi-datomic";
import type { ServiceConfig } from "./config";
import type { DatomicEnvironment } from "./environment";
import { REDIS_PORT } from "./redis";

/** The ion project, relative to this program. */
export const ION_PROJECT = "ion";
/** ion-config.edn's `:app-name`, which must be the query group's ApplicationName. */
export const APPLICATION_NAME = "orders";

export interface IonServiceArgs {
    environment: DatomicEnvironment;
    config: ServiceConfig;
    redisHost: pulumi.Input<string>;
    datomicAccount?: aws.Provider;
}

export interface IonService {
    group: QueryGroup;
    ions: IonDeployment;
    /** Where the HTTP Direct handler answers. */
    url: pulumi.Output<string | undefined>;
    /** nlb: the REST API in front of HTTP Direct, as CloudWatch names it (its name and stage). */
    api?: { apiName: string; stageName: pulumi.Output<string> };
}

/**
 * Ion web services answer at `https://$(IonApiGatewayEndpoint)` (docs.datomic.com/ions/ions-reference.html);
 * the output is a bare host in some releases and an https URL in others.
 */
function ionWebServiceUrl(endpoint: string): string {
    return /^https:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`;
}

export function deployIonService(name: string, args: IonServiceArgs): IonService {
    const { datomic, topology } = args.environment;
    const { config } = args;
    const inDatomicAccount = args.datomicAccount ? { provider: args.datomicAccount } : {};

    const group = new QueryGroup(
        name,
        {
            systemName: datomic.systemName,
            // The group runs the system's release (or an older templateVersion), never a newer one.
            systemRelease: datomic.release,
            systemTopology: datomic.topology,
            applicationName: APPLICATION_NAME,
            // Feature-branch stacks get "<name>-<suffix>"; a long branch name is shortened with a hash.
            suffix: config.suffix,
            shortenSuffix: true,
            // Datomic requires an EC2 key pair; the group uses the system's.
            keyName: datomic.keyName,
            instanceType: config.queryGroup.instanceType,
            desiredCapacity: config.queryGroup.desiredCapacity,
            minSize: config.queryGroup.minSize,
            maxSize: config.queryGroup.maxSize,
            templateVersion: config.queryGroup.templateVersion,
            templateUrl: config.queryGroup.templateUrl,
            // What the ions read with (datomic.ion/get-env).
            environmentMap: {
                env: `:${args.environment.name}`,
                "db-name": config.databaseName,
                system: datomic.systemName,
                region: datomic.region,
                endpoint: datomic.clientEndpoint,
                "redis-host": args.redisHost,
                "redis-port": REDIS_PORT,
            },
            ionConfigFile: `${ION_PROJECT}/resources/datomic/ion-config.edn`,
            tags: { service: name },
        },
        inDatomicAccount,
    );

    const ions = new IonDeployment(`${name}-ions`, {
        projectDir: ION_PROJECT,
        group: group.deploymentGroup,
        groupStackId: group.stackId,
        // Checked at preview against ion-config.edn's :app-name.
        applicationName: APPLICATION_NAME,
        region: datomic.region,
        credsProfile: config.ionCredsProfile,
        // ion-dev runs locally, out of reach of the provider's assumeRoles: the release assumes the role itself.
        roleArn: config.datomicAccountRoleArn,
    });

    if (topology === "nlb") {
        const apiName = `${name}-api`;
        const api = new HttpDirect(
            apiName,
            {
                apiName,
                loadBalancerArn: group.loadBalancerArn,
                httpDirectEndpoint: group.httpDirectEndpoint,
                throttlingRateLimit: config.api?.throttlingRateLimit,
                throttlingBurstLimit: config.api?.throttlingBurstLimit,
                tags: { service: name },
            },
            // Serve requests once the handler is deployed.
            { ...inDatomicAccount, dependsOn: [ions] },
        );
        return { group, ions, url: api.url, api: { apiName, stageName: api.stageName } };
    }
    return {
        group,
        ions,
        url: group.ionApiGatewayEndpoint.apply((endpoint) =>
            endpoint === undefined ? undefined : ionWebServiceUrl(endpoint),
        ),
    };
}
