import * as pulumi from "@pulumi/pulumi";
import { IonApiDomain, IonApiDomainArgs } from "../../../components/cloud/http/ionApiDomain";
import { DATOMIC_LISTENER, frontApiLookups, ionApiExport } from "../../fixtures/ionApiExport";
import { installMocks, resetWorld, TestWorld, valueOf } from "../../support/harness";
import { captureRejections } from "../../support/rejections";

const recorder = installMocks();

const CERTIFICATE = "aws:acm/certificate:Certificate";
const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
const RECORD = "aws:route53/record:Record";
const DOMAIN = "aws:apigatewayv2/domainName:DomainName";
const MAPPING = "aws:apigatewayv2/apiMapping:ApiMapping";
const STAGE = "aws:apigatewayv2/stage:Stage";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const API = "aws:apigatewayv2/api:Api";
const INTEGRATION = "aws:apigatewayv2/integration:Integration";
const ROUTE = "aws:apigatewayv2/route:Route";
const VPC_LINK = "aws:apigatewayv2/vpcLink:VpcLink";

/** A real IonApiGatewayEndpoint is a bare host (docs: `https://$(IonApiGatewayEndpoint)`). */
const ION_ENDPOINT = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com";

const outputs: TestWorld["outputs"] = {
    [CERTIFICATE]: {
        "*": {
            domainValidationOptions: [
                {
                    domainName: "orders.acme.com",
                    resourceRecordName: "_0f1e2d.orders.acme.com.",
                    resourceRecordType: "CNAME",
                    resourceRecordValue: "_9a8b7c.acm-validations.aws.",
                },
            ],
        },
    },
    [RECORD]: { "*": { fqdn: "_0f1e2d.orders.acme.com" } },
    [DOMAIN]: {
        "*": {
            domainNameConfiguration: {
                certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/0f1e",
                endpointType: "REGIONAL",
                securityPolicy: "TLS_1_2",
                targetDomainName: "d-0f1e2d3c4b.execute-api.us-east-1.amazonaws.com",
                hostedZoneId: "Z1UJRXOUMOOFQ8",
            },
        },
    },
};

const base: IonApiDomainArgs = {
    ionApiGatewayEndpoint: ION_ENDPOINT,
    domainName: "orders.acme.com",
    hostedZoneId: "Z0ACMEPUBLIC",
};

async function settled(domain: IonApiDomain) {
    const values = await valueOf(
        pulumi.all({
            url: domain.url,
            apiId: domain.apiId,
            stageName: domain.stageName,
            frontApiId: domain.frontApiId,
            certificateArn: domain.certificateArn,
            domainTargetName: domain.domainTargetName,
            logGroupName: domain.logGroupName,
        }),
    );
    await recorder.settle();
    return values;
}

beforeEach(() => resetWorld(recorder, { outputs, fixtures: { lookups: frontApiLookups() } }));

describe("IonApiDomain", () => {
    test("maps Datomic's ion API under the domain: certificate validated in the zone, TLS 1.2 regional domain, alias", async () => {
        const out = await settled(new IonApiDomain("orders-api", { ...base, tags: { team: "orders" } }));

        expect(out).toMatchObject({ url: "https://orders.acme.com/", apiId: "a1b2c3d4e5", stageName: "$default" });
        expect(recorder.get(CERTIFICATE, "orders-api-certificate").inputs).toEqual({
            domainName: "orders.acme.com",
            validationMethod: "DNS",
            tags: { team: "orders" },
        });
        expect(recorder.get(RECORD, "orders-api-certificate-record").inputs).toMatchObject({
            zoneId: "Z0ACMEPUBLIC",
            name: "_0f1e2d.orders.acme.com.",
            type: "CNAME",
            records: ["_9a8b7c.acm-validations.aws."],
        });
        const validation = recorder.get(VALIDATION, "orders-api-certificate-validation");
        expect(validation.inputs).toMatchObject({ validationRecordFqdns: ["_0f1e2d.orders.acme.com"] });
        const domain = recorder.get(DOMAIN, "orders-api-domain");
        expect(domain.inputs).toMatchObject({
            domainName: "orders.acme.com",
            domainNameConfiguration: { endpointType: "REGIONAL", securityPolicy: "TLS_1_2" },
        });
        // The domain waits for the certificate to be issued.
        expect(domain.dependencies).toContain(validation.urn);
        const mapping = recorder.get(MAPPING, "orders-api-mapping");
        expect(mapping.inputs).toEqual({ apiId: "a1b2c3d4e5", domainName: "orders-api-domain-id", stage: "$default" });
        // A new query group replaces the mapping (apiId forces it); a second mapping on the key is refused.
        expect(mapping.deleteBeforeReplace).toBe(true);
        // The validation record outlives this stack: another certificate for the name renews through it.
        expect(recorder.get(RECORD, "orders-api-certificate-record").retainOnDelete).toBe(true);
        expect(recorder.get(RECORD, "orders-api-alias").retainOnDelete).toBe(false);
        expect(recorder.get(RECORD, "orders-api-alias").inputs).toMatchObject({
            zoneId: "Z0ACMEPUBLIC",
            name: "orders.acme.com",
            type: "A",
            aliases: [
                {
                    name: "d-0f1e2d3c4b.execute-api.us-east-1.amazonaws.com",
                    zoneId: "Z1UJRXOUMOOFQ8",
                    evaluateTargetHealth: false,
                },
            ],
        });
        // Datomic's API and its $default stage belong to Datomic's stack: nothing of ours changes them.
        expect(recorder.ofType(STAGE)).toEqual([]);
    });

    test("access logs and throttling go on a front API of our own that serves the ions at their own paths", async () => {
        const out = await settled(
            new IonApiDomain("orders-api", {
                ...base,
                ionApiGatewayEndpoint: `https://${ION_ENDPOINT}/`,
                apiMappingKey: "orders",
                accessLogs: true,
                logRetentionDays: 90,
                throttlingRateLimit: 100,
                throttlingBurstLimit: 200,
                tags: { team: "orders" },
            }),
        );
        expect(out).toMatchObject({
            url: "https://orders.acme.com/orders",
            apiId: "a1b2c3d4e5",
            frontApiId: "orders-api-api-id",
            stageName: "$default",
        });
        // Datomic's API keeps its one stage: nothing of ours is added to it.
        const stages = recorder.ofType(STAGE);
        expect(stages.map((stage) => stage.inputs.apiId)).toEqual(["orders-api-api-id"]);
        expect(stages[0].inputs).toMatchObject({
            name: "$default",
            autoDeploy: true,
            defaultRouteSettings: {
                throttlingRateLimit: 100,
                throttlingBurstLimit: 200,
                detailedMetricsEnabled: false,
            },
        });
        const logSettings = stages[0].inputs.accessLogSettings as { format: string };
        expect(JSON.parse(logSettings.format)).toMatchObject({ status: "$context.status" });
        expect(recorder.get(LOG_GROUP, "orders-api-access-logs").inputs).toMatchObject({ retentionInDays: 90 });

        // The front API proxies to the listener Datomic's own integration uses, with the request's path.
        expect(recorder.get(API, "orders-api-api").inputs).toMatchObject({ protocolType: "HTTP" });
        expect(recorder.get(INTEGRATION, "orders-api-integration").inputs).toMatchObject({
            apiId: "orders-api-api-id",
            integrationType: "HTTP_PROXY",
            integrationMethod: "ANY",
            connectionType: "VPC_LINK",
            connectionId: "orders-api-vpc-link-id",
            integrationUri: DATOMIC_LISTENER,
            payloadFormatVersion: "1.0",
            requestParameters: { "overwrite:path": "$request.path" },
        });
        expect(recorder.get(ROUTE, "orders-api-route").inputs).toEqual({
            apiId: "orders-api-api-id",
            routeKey: "$default",
            target: "integrations/orders-api-integration-id",
        });
        // Its own VPC link, in the subnets and security groups of Datomic's (which the ALB admits).
        expect(recorder.get(VPC_LINK, "orders-api-vpc-link").inputs).toMatchObject({
            subnetIds: ["subnet-0d1", "subnet-0d2", "subnet-0d3"],
            securityGroupIds: ["sg-0datomiclink"],
            tags: { team: "orders" },
        });
        const mapping = recorder.get(MAPPING, "orders-api-mapping");
        expect(mapping.inputs).toMatchObject({
            apiId: "orders-api-api-id",
            stage: "$default",
            apiMappingKey: "orders",
        });
        expect(mapping.deleteBeforeReplace).toBe(true);
    });

    test("an ion API without Datomic's private integration fails the deployment, naming the endpoint", async () => {
        const [exported, vpcLink] = frontApiLookups();
        const publicOnly = ionApiExport("a1b2c3d4e5", { connectionType: "INTERNET", uri: "https://example.com" });
        resetWorld(recorder, {
            outputs,
            fixtures: { lookups: [{ ...exported, result: { ...exported.result, body: publicOnly } }, vpcLink] },
        });
        const errors = await captureRejections(async () => {
            new IonApiDomain("orders-api", { ...base, accessLogs: true });
            await recorder.settle();
        });
        expect(errors.map((error) => error.message)).toContainEqual(
            expect.stringContaining(
                "ionApiGatewayEndpoint: the ion API a1b2c3d4e5 has no private integrations over a VPC link",
            ),
        );
        expect(recorder.ofType(VPC_LINK)).toEqual([]);
        expect(recorder.ofType(INTEGRATION)).toEqual([]);
    });

    test("throttling alone builds the front API without a log group", async () => {
        const out = await settled(new IonApiDomain("orders-api", { ...base, throttlingRateLimit: 50 }));
        expect(out).toMatchObject({ frontApiId: "orders-api-api-id", logGroupName: undefined });
        expect(recorder.ofType(LOG_GROUP)).toEqual([]);
        expect(recorder.get(STAGE, "orders-api-stage").inputs.accessLogSettings).toBeUndefined();
    });

    test("with an issued certificate and no zone, requests nothing and leaves DNS to the caller", async () => {
        const out = await settled(
            new IonApiDomain("orders-api", {
                ionApiGatewayEndpoint: ION_ENDPOINT,
                domainName: "orders.acme.com",
                certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/issued",
            }),
        );
        expect(out.certificateArn).toBe("arn:aws:acm:us-east-1:111111111111:certificate/issued");
        expect(out.domainTargetName).toBe("d-0f1e2d3c4b.execute-api.us-east-1.amazonaws.com");
        expect(recorder.ofType(CERTIFICATE)).toEqual([]);
        expect(recorder.ofType(RECORD)).toEqual([]);
    });

    test.each<[string, Partial<IonApiDomainArgs>, string]>([
        [
            "a group without an ion API gateway (an nlb release)",
            { ionApiGatewayEndpoint: pulumi.output<string | undefined>(undefined) },
            "ionApiGatewayEndpoint: is undefined: the group's stack has no IonApiGatewayEndpoint output",
        ],
        [
            "an nlb environment",
            { topology: pulumi.output("nlb") },
            'topology: the environment is "nlb" (a release before 884-9095), whose groups have no ion API gateway; use HttpDirect',
        ],
        [
            "an endpoint in another region",
            { ionApiGatewayEndpoint: "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com" },
            'ionApiGatewayEndpoint: "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com" is in eu-west-1, but this provider is in us-east-1',
        ],
        [
            "an endpoint that is not an API Gateway",
            { ionApiGatewayEndpoint: "http://entry.acme.us-east-1.datomic.net:8184" },
            'ionApiGatewayEndpoint: "http://entry.acme.us-east-1.datomic.net:8184" is not an API Gateway endpoint',
        ],
    ])("fails the deployment for %s, naming the argument", async (_label, overrides, message) => {
        const errors = await captureRejections(async () => {
            const domain = new IonApiDomain("bad", { ...base, ...overrides });
            await expect(valueOf(domain.apiId)).rejects.toThrow(message);
            await recorder.settle();
        });
        expect(errors.map((error) => error.message)).toContainEqual(expect.stringContaining(message));
        expect(recorder.ofType(MAPPING).filter((mapping) => mapping.inputs.apiId !== undefined)).toEqual([]);
    });

    test.each<[string, Partial<IonApiDomainArgs>, string]>([
        [
            "neither a zone nor a certificate",
            { hostedZoneId: undefined },
            "hostedZoneId: is required to request and validate a certificate",
        ],
        ["a domain that is not one", { domainName: "Orders_API" }, 'domainName: "Orders_API" is not a domain name'],
        ["a mapping key with a leading slash", { apiMappingKey: "/orders" }, 'apiMappingKey: "/orders" is not a path'],
        [
            "an nlb environment given as a plain value",
            { topology: "nlb" },
            'topology: the environment is "nlb" (a release before 884-9095), whose groups have no ion API gateway',
        ],
        ["a log setting without logs", { logRetentionDays: 7 }, "logRetentionDays: is only used with accessLogs: true"],
        ["an odd retention", { accessLogs: true, logRetentionDays: 10 }, "logRetentionDays: 10 is not a CloudWatch"],
        ["a fractional burst", { throttlingBurstLimit: 2.5 }, "throttlingBurstLimit: 2.5 is not a whole number"],
    ])("refuses %s at preview, before creating anything", async (_label, overrides, message) => {
        expect(() => new IonApiDomain("bad", { ...base, ...overrides })).toThrow(message);
        await recorder.settle();
        expect(recorder.resources.filter((resource) => resource.custom)).toEqual([]);
    });
});
