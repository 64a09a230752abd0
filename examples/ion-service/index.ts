/**
 * The orders service: a Datomic Cloud ion application in the environment the
 * datomic stacks build (acme/datomic/<stack>), with
 * - its own query group and ion deployment (ions.ts),
 * - Redis in the service VPC, which the ions reach across a VPC peering (redis.ts, datomicAccess.ts),
 * - a daily report function that is a Datomic client (report.ts).
 *
 * Feature-branch stacks (`orders:suffix`) get their own query group and ion
 * deployment and share the rest with the environment's main stack.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { readServiceConfig, ServiceConfig } from "./config";
import { connectToDatomic } from "./datomicAccess";
import { DatomicEnvironment, readEnvironment } from "./environment";
import { deployIonService } from "./ions";
import { monitorIonService } from "./monitoring";
import { createRedis } from "./redis";
import { createReportFunction } from "./report";

const SERVICE = "orders";

export = async () => {
    const config = readServiceConfig();
    const environment = await readEnvironment(config);
    // An explicit provider reads no aws:* config: it gets the account guard and the tags here.
    const datomicAccount = config.datomicAccountRoleArn
        ? new aws.Provider("datomic-account", {
              region: environment.datomic.region.apply((region) => region as aws.Region),
              assumeRoles: [{ roleArn: config.datomicAccountRoleArn, sessionName: `${SERVICE}-deploy` }],
              allowedAccountIds: [config.datomicAccountRoleArn.split(":")[4]],
              defaultTags: new pulumi.Config("aws").getObject<aws.types.input.ProviderDefaultTags>("defaultTags"),
          })
        : undefined;

    if (config.suffix !== undefined) {
        // A feature branch: the main stack's Redis, our own query group and ions.
        const main = new pulumi.StackReference("main", { name: config.mainStack! });
        const redisHost = main.requireOutput("redisHost") as pulumi.Output<string>;
        const service = deployIonService(SERVICE, { environment, config, redisHost, datomicAccount });
        return {
            queryGroup: service.group.stackName,
            ionSourceHash: service.ions.sourceHash,
            url: service.url,
        };
    }

    const shared = buildShared(config, environment, datomicAccount);
    const service = deployIonService(SERVICE, { environment, config, redisHost: shared.redisHost, datomicAccount });
    // Feature-branch stacks page nobody: only the main stack watches its group.
    const monitoring = config.monitoring
        ? monitorIonService(SERVICE, service, environment, config.monitoring, datomicAccount)
        : undefined;
    return {
        queryGroup: service.group.stackName,
        ionSourceHash: service.ions.sourceHash,
        url: service.url,
        redisHost: shared.redisHost,
        reportFunction: shared.reportFunction,
        dashboard: monitoring?.dashboardUrl,
    };
};

/** What one stack per environment owns: Redis, the peering and the report function. */
function buildShared(config: ServiceConfig, environment: DatomicEnvironment, datomicAccount?: aws.Provider) {
    const network = config.network!;
    const redis = createRedis(SERVICE, network, config.redis);
    const clients = new aws.ec2.SecurityGroup(`${SERVICE}-datomic-clients`, {
        vpcId: network.vpcId,
        description: `Datomic clients of the ${SERVICE} service`,
        egress: [
            // The Client API: the interface endpoint in this VPC (nlb) or the peered Datomic VPC (alb).
            {
                protocol: "tcp",
                fromPort: 8182,
                toPort: 8182,
                cidrBlocks: [environment.topology === "nlb" ? network.vpcCidrBlock : environment.datomic.vpcCidrBlock],
                description: "Datomic Client API",
            },
            // S3 and STS, where the Datomic client reads its signing keys.
            { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "AWS APIs" },
        ],
        tags: { Name: `${SERVICE}-datomic-clients` },
    });
    const clientEnvironment = connectToDatomic(SERVICE, {
        environment,
        network,
        databaseName: config.databaseName,
        callerSecurityGroup: clients,
        redisSecurityGroup: redis.securityGroup,
        datomicAccount,
    });
    const report = createReportFunction(SERVICE, {
        environment,
        network,
        databaseName: config.databaseName,
        securityGroup: clients,
        clientEnvironment,
        schedule: config.reportSchedule,
        datomicAccount,
    });
    return { redisHost: redis.host, reportFunction: report.name };
}
