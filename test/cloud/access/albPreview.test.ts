/**
 * DatomicAccess and IonApiDomain in the mock runtime's preview mode, as `pulumi preview` runs them:
 * resources created in the same program have unknown ids, a new query group's stack outputs are unknown,
 * and the environment's outputs (a stack reference) are known.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatomicAccess } from "../../../components/cloud/access/access";
import { HttpDirect } from "../../../components/cloud/http/httpDirect";
import { IonApiDomain } from "../../../components/cloud/http/ionApiDomain";
import { DatomicSystemReference } from "../../../components/reference";
import { UNKNOWN } from "../../../plan/recorded";
import {
    ALB_STACK,
    albEnvironment,
    callerVpc,
    NLB_STACK,
    nlbEnvironment,
    serviceLookups,
} from "../../fixtures/accessEnvironments";
import { installMocks, resetWorld, valueOf } from "../../support/harness";
import { captureRejections } from "../../support/rejections";

const recorder = installMocks(true);

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const ROUTE = "aws:ec2/route:Route";
const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const MAPPING = "aws:apigatewayv2/apiMapping:ApiMapping";
const DOMAIN = "aws:apigatewayv2/domainName:DomainName";

beforeEach(() =>
    resetWorld(recorder, {
        fixtures: {
            stackReferences: { [ALB_STACK]: albEnvironment, [NLB_STACK]: nlbEnvironment },
            lookups: serviceLookups,
        },
    }),
);

async function previewErrors(body: () => void): Promise<string> {
    const errors = await captureRejections(async () => {
        body();
        await recorder.settle();
    });
    return errors.map((error) => error.message).join("\n");
}

describe("DatomicAccess at preview", () => {
    test("alb: the peering, its routes and the rule for a caller group not yet created all show in the preview", async () => {
        const callers = new aws.ec2.SecurityGroup("callers", { vpcId: "vpc-0service" });
        const access = new DatomicAccess("orders", {
            ...callerVpc,
            environmentStack: ALB_STACK,
            callerSecurityGroupIds: [callers.id],
        });
        // The environment's outputs are known at preview, so the endpoint is too.
        expect(await valueOf(access.endpoint)).toBe("http://entry-http.acme-dev.us-east-1.datomic.net:8182");
        await recorder.settle();

        expect(recorder.ofType(ROUTE)).toHaveLength(2);
        const [rule] = recorder.ofType(INGRESS);
        expect(rule.inputs).toMatchObject({ securityGroupId: "sg-0nodes", referencedSecurityGroupId: UNKNOWN });
        expect(rule.dependencies).toContain(recorder.get("aws:ec2/securityGroup:SecurityGroup", "callers").urn);
    });

    const PEERING_TYPES = [
        "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
        "aws:ec2/peeringConnectionOptions:PeeringConnectionOptions",
        "aws:route53/zoneAssociation:ZoneAssociation",
    ];

    test("alb: a caller group list read from a stack reference previews the whole peering, one rule per group", async () => {
        const callers = new DatomicSystemReference("callers", { stack: ALB_STACK });
        new DatomicAccess("orders", {
            ...callerVpc,
            environmentStack: ALB_STACK,
            // A list output (the environment's route tables stand in for a list of group ids).
            callerSecurityGroupIds: callers.routeTableIds,
        });
        await recorder.settle();
        for (const type of PEERING_TYPES) {
            expect(recorder.ofType(type)).toHaveLength(1);
        }
        expect(recorder.ofType(ROUTE)).toHaveLength(2);
        const [rule] = recorder.ofType(INGRESS);
        expect(rule.name).toBe("orders-ingress-to-datomic-tcp-8182-rtb-0d1-group");
        // The source waits for the new peering connection to be active, so it previews unknown.
        expect(rule.inputs).toMatchObject({ securityGroupId: "sg-0nodes", referencedSecurityGroupId: UNKNOWN });
    });

    test("alb: a caller group list a new resource makes still previews the peering; only its rules wait", async () => {
        const callers = new aws.ec2.SecurityGroup("callers", { vpcId: "vpc-0service" });
        const access = new DatomicAccess("orders", {
            ...callerVpc,
            environmentStack: ALB_STACK,
            callerSecurityGroupIds: callers.id.apply((id) => [id]),
            callerCidrBlocks: ["10.20.8.0/24"],
        });
        expect(await valueOf(access.endpoint)).toBe("http://entry-http.acme-dev.us-east-1.datomic.net:8182");
        await recorder.settle();
        for (const type of PEERING_TYPES) {
            expect(recorder.ofType(type)).toHaveLength(1);
        }
        expect(recorder.ofType(ROUTE)).toHaveLength(2);
        // The CIDR rule is planned; the group rules have no count until the group exists.
        expect(recorder.ofType(INGRESS).map((rule) => rule.inputs.cidrIpv4)).toEqual(["10.20.8.0/24"]);
    });

    test("alb, as an update: the caller group exists, so its list is known and its rule previews by its id", async () => {
        resetWorld(recorder, {
            fixtures: {
                stackReferences: { [ALB_STACK]: albEnvironment, [NLB_STACK]: nlbEnvironment },
                lookups: serviceLookups,
            },
            existing: { "aws:ec2/securityGroup:SecurityGroup": { callers: "sg-0callers" } },
        });
        const callers = new aws.ec2.SecurityGroup("callers", { vpcId: "vpc-0service" });
        new DatomicAccess("orders", {
            ...callerVpc,
            environmentStack: ALB_STACK,
            callerSecurityGroupIds: callers.id.apply((id) => [id]),
        });
        await recorder.settle();
        const [rule] = recorder.ofType(INGRESS);
        // Named by the id, as a literal ["sg-0callers"] names it: turning one into the other replaces nothing.
        expect(rule.name).toBe("orders-ingress-to-datomic-tcp-8182-sg-0callers-group");
        expect(rule.dependencies).toContain(recorder.get("aws:ec2/securityGroup:SecurityGroup", "callers").urn);
    });

    test("nlb: the interface endpoint shows in the preview; its URL is known once it exists", async () => {
        const access = new DatomicAccess("orders", {
            ...callerVpc,
            environmentStack: NLB_STACK,
            callerSecurityGroupIds: [new aws.ec2.SecurityGroup("callers", { vpcId: "vpc-0service" }).id],
        });
        expect(await valueOf(access.path)).toBe("vpc-endpoint");
        await recorder.settle();
        expect(recorder.get(VPC_ENDPOINT, "orders-endpoint").inputs).toMatchObject({
            subnetIds: ["subnet-0s1", "subnet-0s2"],
            serviceName: nlbEnvironment.endpointServiceName,
        });
        expect(await valueOf(access.endpoint)).toBeUndefined();
    });

    test("a path the topology does not allow fails the preview, naming both", async () => {
        const messages = await previewErrors(() => {
            new DatomicAccess("orders", { ...callerVpc, environmentStack: ALB_STACK, path: "vpc-endpoint" });
        });
        expect(messages).toContain('path: "vpc-endpoint" needs the nlb topology, but acme/datomic/dev is alb');
        expect(recorder.resources.filter((resource) => resource.custom && !resource.read)).toEqual([]);
    });
});

describe("IonApiDomain at preview", () => {
    test("a new group's unknown ion API endpoint still previews the certificate, domain and mapping", async () => {
        // An endpoint only known after deployment, as a new query group's stack outputs are.
        const endpoint = new aws.apigatewayv2.Api("new-group", { protocolType: "HTTP" }).apiEndpoint;
        new IonApiDomain("orders-api", {
            ionApiGatewayEndpoint: endpoint,
            domainName: "orders.acme.com",
            hostedZoneId: "Z0ACMEPUBLIC",
            topology: new DatomicSystemReference("env", { stack: ALB_STACK }).topology,
        });
        await recorder.settle();
        expect(recorder.get(DOMAIN, "orders-api-domain").inputs).toMatchObject({ domainName: "orders.acme.com" });
        expect(recorder.get(MAPPING, "orders-api-mapping").inputs).toMatchObject({ apiId: UNKNOWN, stage: "$default" });
        expect(recorder.ofType("aws:acm/certificate:Certificate")).toHaveLength(1);
    });

    test("with logs and throttling, the front API previews whole while the new group's endpoint is unknown", async () => {
        const endpoint = new aws.apigatewayv2.Api("new-group", { protocolType: "HTTP" }).apiEndpoint;
        new IonApiDomain("orders-api", {
            ionApiGatewayEndpoint: endpoint,
            domainName: "orders.acme.com",
            hostedZoneId: "Z0ACMEPUBLIC",
            accessLogs: true,
            throttlingRateLimit: 100,
            topology: new DatomicSystemReference("env", { stack: ALB_STACK }).topology,
        });
        await recorder.settle();
        const link = recorder.get("aws:apigatewayv2/vpcLink:VpcLink", "orders-api-vpc-link");
        expect(link.inputs).toMatchObject({ subnetIds: UNKNOWN, securityGroupIds: UNKNOWN });
        expect(recorder.get("aws:apigatewayv2/integration:Integration", "orders-api-integration").inputs).toMatchObject(
            { integrationUri: UNKNOWN, requestParameters: { "overwrite:path": "$request.path" } },
        );
        expect(recorder.get("aws:apigatewayv2/stage:Stage", "orders-api-stage").inputs).toMatchObject({
            name: "$default",
        });
        expect(recorder.get(MAPPING, "orders-api-mapping").inputs).toMatchObject({ apiId: UNKNOWN, stage: "$default" });
    });

    test("an nlb environment is refused at preview while the new group's endpoint is unknown", async () => {
        const endpoint = new aws.apigatewayv2.Api("new-group", { protocolType: "HTTP" }).apiEndpoint;
        const messages = await previewErrors(() => {
            new IonApiDomain("orders-api", {
                ionApiGatewayEndpoint: endpoint,
                domainName: "orders.acme.com",
                hostedZoneId: "Z0ACMEPUBLIC",
                accessLogs: true,
                topology: new DatomicSystemReference("env", { stack: NLB_STACK }).topology,
            });
        });
        expect(messages).toContain('topology: the environment is "nlb"');
        expect(messages).toContain("use HttpDirect");
        // Everything that names the domain waits for the topology: no certificate, domain or alias is planned.
        for (const type of ["aws:acm/certificate:Certificate", DOMAIN, "aws:route53/record:Record"]) {
            expect(recorder.ofType(type)).toEqual([]);
        }
    });

    test("an nlb environment is refused at preview, naming HttpDirect", async () => {
        const messages = await previewErrors(() => {
            new IonApiDomain("orders-api", {
                ionApiGatewayEndpoint: pulumi.output<string | undefined>(undefined),
                domainName: "orders.acme.com",
                hostedZoneId: "Z0ACMEPUBLIC",
                topology: new DatomicSystemReference("env", { stack: NLB_STACK }).topology,
            });
        });
        expect(messages).toContain('topology: the environment is "nlb"');
        expect(messages).toContain("use HttpDirect");
    });
});

describe("HttpDirect (nlb) at preview", () => {
    test("on an alb environment it is refused at preview, while the new group's load balancer is unknown", async () => {
        const group = new aws.apigatewayv2.Api("new-group", { protocolType: "HTTP" });
        const messages = await previewErrors(() => {
            new HttpDirect("orders-api", {
                loadBalancerArn: group.id,
                httpDirectEndpoint: group.apiEndpoint,
                topology: new DatomicSystemReference("env", { stack: ALB_STACK }).topology,
            });
        });
        expect(messages).toContain('topology: the environment is "alb"');
        expect(messages).toContain("use IonApiDomain");
    });

    test("on an nlb environment it previews its VPC link to the unknown load balancer", async () => {
        const group = new aws.apigatewayv2.Api("new-group", { protocolType: "HTTP" });
        const messages = await previewErrors(() => {
            new HttpDirect("orders-api", {
                loadBalancerArn: group.id,
                httpDirectEndpoint: group.apiEndpoint,
                topology: new DatomicSystemReference("env", { stack: NLB_STACK }).topology,
            });
        });
        expect(messages).toBe("");
        expect(recorder.get("aws:apigateway/vpcLink:VpcLink", "orders-api-vpc-link").inputs.targetArn).toBe(UNKNOWN);
    });
});
