/**
 * The catalog service, on an alb Datomic Cloud system (884-9095 and later):
 * - its own query group, whose Datomic-managed ion API gateway serves HTTP Direct under the service's
 *   domain (IonApiDomain: certificate, custom domain, API mapping, alias);
 * - a Lambda function in the service's own VPC that is a Datomic client, connected by DatomicAccess,
 *   which reads the environment's topology itself: across a VPC peering (`catalog:datomicPath`
 *   `private`, dev) or through the Client API gateway with no networking (`api-gateway`, prod).
 *
 * Ions are deployed to the group with IonDeployment, as examples/ion-service does.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatomicAccess, DatomicSystemReference, IonApiDomain, QueryGroup } from "pulumi-datomic";

const SERVICE = "catalog";

interface Network {
    vpcId: string;
    vpcCidrBlock: string;
    subnetIds: string[];
    routeTableIds: string[];
}

interface Api {
    domainName: string;
    hostedZoneId: string;
    accessLogs?: boolean;
    throttlingRateLimit?: number;
    throttlingBurstLimit?: number;
}

const config = new pulumi.Config();
const environmentStack = config.require("environment");
const network = config.requireObject<Network>("network");
const api = config.requireObject<Api>("api");
const databaseName = config.get("databaseName") ?? SERVICE;
const requestedPath = config.get("datomicPath") ?? "private";

const datomic = new DatomicSystemReference("datomic", { stack: environmentStack });

// The group's ions answer HTTP Direct; its stack gives the ion API gateway's endpoint.
const group = new QueryGroup(SERVICE, {
    systemName: datomic.systemName,
    // The group runs the system's release, and follows it when the environment upgrades.
    systemRelease: datomic.release,
    systemTopology: datomic.topology,
    applicationName: SERVICE,
    keyName: config.require("keyName"),
    instanceType: "t3.large",
    tags: { service: SERVICE },
});
const httpDirect = new IonApiDomain(`${SERVICE}-api`, {
    ionApiGatewayEndpoint: group.ionApiGatewayEndpoint,
    domainName: api.domainName,
    hostedZoneId: api.hostedZoneId,
    accessLogs: api.accessLogs,
    throttlingRateLimit: api.throttlingRateLimit,
    throttlingBurstLimit: api.throttlingBurstLimit,
    // An nlb environment is refused at preview, naming HttpDirect.
    topology: datomic.topology,
    tags: { service: SERVICE },
});

// The client function's own group, in the service's VPC (not Datomic's apps group, which lives in the Datomic VPC).
const clients = new aws.ec2.SecurityGroup(`${SERVICE}-datomic-clients`, {
    vpcId: network.vpcId,
    description: `Datomic clients of the ${SERVICE} service`,
    tags: { Name: `${SERVICE}-datomic-clients` },
});
// HTTPS: S3 and STS, where the client reads its signing keys, and the Client API gateway.
new aws.vpc.SecurityGroupEgressRule(`${SERVICE}-https`, {
    securityGroupId: clients.id,
    ipProtocol: "tcp",
    fromPort: 443,
    toPort: 443,
    cidrIpv4: "0.0.0.0/0",
    description: "AWS APIs and the Datomic Client API gateway",
});
if (requestedPath !== "api-gateway") {
    new aws.vpc.SecurityGroupEgressRule(`${SERVICE}-client-api`, {
        securityGroupId: clients.id,
        ipProtocol: "tcp",
        fromPort: 8182,
        toPort: 8182,
        cidrIpv4: datomic.vpcCidrBlock,
        description: "Datomic Client API across the peering",
    });
}

const access = new DatomicAccess(SERVICE, {
    environmentStack,
    path: requestedPath,
    databaseName,
    vpcId: network.vpcId,
    subnetIds: network.subnetIds,
    routeTableIds: network.routeTableIds,
    vpcCidrBlocks: [network.vpcCidrBlock],
    callerSecurityGroupIds: [clients.id],
});

// Datomic Cloud authorizes a client by S3 read access to its database's key
// (docs.datomic.com/operation/access-control.html).
const role = new aws.iam.Role(`${SERVICE}-client`, {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }),
});
new aws.iam.RolePolicyAttachment(`${SERVICE}-client-vpc`, {
    role: role.name,
    policyArn: aws.iam.ManagedPolicy.AWSLambdaVPCAccessExecutionRole,
});
new aws.iam.RolePolicy(`${SERVICE}-client-datomic`, {
    role: role.name,
    policy: {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: ["s3:GetObject"],
                Resource: [
                    pulumi.interpolate`${datomic.storageArn}/${datomic.systemName}/datomic/access/dbs/db/${databaseName}/*`,
                ],
            },
        ],
    },
});
const client = new aws.lambda.Function(SERVICE, {
    description: "Catalog queries, a Datomic client",
    runtime: aws.lambda.Runtime.Java21,
    handler: "acme.catalog.Handler::handleRequest",
    // Your Datomic client's jar (examples/ion-service/client shows one); build it before `pulumi up`.
    code: new pulumi.asset.FileArchive(config.get("clientJar") ?? "client/target/catalog-client.jar"),
    role: role.arn,
    memorySize: 1024,
    timeout: 30,
    vpcConfig: { subnetIds: network.subnetIds, securityGroupIds: [clients.id] },
    environment: { variables: access.clientEnvironment },
});

export const url = httpDirect.url;
export const datomicPath = access.path;
export const datomicEndpoint = access.endpoint;
export const queryGroup = group.stackName;
export const clientFunction = client.name;
