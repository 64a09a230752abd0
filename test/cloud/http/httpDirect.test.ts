import * as pulumi from "@pulumi/pulumi";
import { HttpDirect, HttpDirectArgs } from "../../../components/cloud/http/httpDirect";
import { installMocks, resetWorld, TestWorld, valueOf } from "../../support/harness";
import { captureRejections } from "../../support/rejections";

const recorder = installMocks();

const VPC_LINK = "aws:apigateway/vpcLink:VpcLink";
const REST_API = "aws:apigateway/restApi:RestApi";
const RESOURCE = "aws:apigateway/resource:Resource";
const METHOD = "aws:apigateway/method:Method";
const INTEGRATION = "aws:apigateway/integration:Integration";
const DEPLOYMENT = "aws:apigateway/deployment:Deployment";
const STAGE = "aws:apigateway/stage:Stage";
const METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const DOMAIN = "aws:apigateway/domainName:DomainName";
const BASE_PATH = "aws:apigateway/basePathMapping:BasePathMapping";

const NLB = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/acme-orders/0123456789abcdef";
const ENDPOINT = "http://acme-orders-0123456789abcdef.elb.us-east-1.amazonaws.com:8184";

const apiOutputs: TestWorld["outputs"] = {
    [REST_API]: { "*": { rootResourceId: "root0123" } },
    [STAGE]: { "*": { invokeUrl: "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/api" } },
    [DOMAIN]: {
        "*": { regionalDomainName: "d-0123.execute-api.us-east-1.amazonaws.com", regionalZoneId: "Z1UJRXOUMOOFQ8" },
    },
};

function world(outputs: TestWorld["outputs"] = {}) {
    resetWorld(recorder, { outputs: { ...apiOutputs, ...outputs } });
}

const base: HttpDirectArgs = { loadBalancerArn: NLB, httpDirectEndpoint: ENDPOINT };

async function settled(api: HttpDirect) {
    const values = await valueOf(
        pulumi.all({
            url: api.url,
            restApiId: api.restApiId,
            vpcLinkId: api.vpcLinkId,
            stageName: api.stageName,
            definitionHash: api.definitionHash,
        }),
    );
    await recorder.settle();
    return values;
}

/** The trigger recorded on the deployment of a fresh run of `args`. */
async function recordedTrigger(args: HttpDirectArgs, outputs: TestWorld["outputs"] = {}): Promise<unknown> {
    world(outputs);
    await settled(new HttpDirect("orders", args));
    return recorder.get(DEPLOYMENT, "orders-deployment").inputs.triggers;
}

describe("HttpDirect", () => {
    test("proxies the root and every path to HTTP Direct over a VPC link to the NLB", async () => {
        world();
        const out = await settled(new HttpDirect("orders", { ...base, tags: { team: "orders" } }));

        expect(recorder.get(VPC_LINK, "orders-vpc-link").inputs).toMatchObject({
            targetArn: NLB,
            tags: { team: "orders" },
        });
        expect(recorder.get(REST_API, "orders-api").inputs).toEqual({
            name: "orders",
            description: "Datomic HTTP Direct",
            binaryMediaTypes: ["*/*"],
            endpointConfiguration: { types: "REGIONAL" },
            tags: { team: "orders" },
        });
        expect(recorder.get(RESOURCE, "orders-proxy").inputs).toEqual({
            restApi: "orders-api-id",
            parentId: "root0123",
            pathPart: "{proxy+}",
        });
        expect(recorder.get(METHOD, "orders-root-any").inputs).toEqual({
            restApi: "orders-api-id",
            resourceId: "root0123",
            httpMethod: "ANY",
            authorization: "NONE",
            requestParameters: {},
        });
        expect(recorder.get(METHOD, "orders-proxy-any").inputs).toEqual({
            restApi: "orders-api-id",
            resourceId: "orders-proxy-id",
            httpMethod: "ANY",
            authorization: "NONE",
            requestParameters: { "method.request.path.proxy": true },
        });
        const overVpcLink = {
            restApi: "orders-api-id",
            httpMethod: "ANY",
            type: "HTTP_PROXY",
            integrationHttpMethod: "ANY",
            connectionType: "VPC_LINK",
            connectionId: "orders-vpc-link-id",
        };
        expect(recorder.get(INTEGRATION, "orders-root-integration").inputs).toEqual({
            ...overVpcLink,
            resourceId: "root0123",
            uri: `${ENDPOINT}/`,
            requestParameters: {},
        });
        expect(recorder.get(INTEGRATION, "orders-proxy-integration").inputs).toEqual({
            ...overVpcLink,
            resourceId: "orders-proxy-id",
            uri: `${ENDPOINT}/{proxy}`,
            requestParameters: { "integration.request.path.proxy": "method.request.path.proxy" },
        });

        const deployment = recorder.get(DEPLOYMENT, "orders-deployment");
        expect(deployment.inputs.triggers).toEqual({ definition: out.definitionHash });
        expect(out.definitionHash).toMatch(/^[0-9a-f]{64}$/);
        for (const integration of recorder.ofType(INTEGRATION)) {
            expect(deployment.dependencies).toContain(integration.urn);
        }

        const logs = recorder.get(LOG_GROUP, "orders-access-logs");
        expect(logs.inputs.retentionInDays).toBe(30);
        const stage = recorder.get(STAGE, "orders-stage");
        expect(stage.inputs).toMatchObject({
            restApi: "orders-api-id",
            deployment: "orders-deployment-id",
            stageName: "api",
            accessLogSettings: { destinationArn: logs.outputs.arn },
        });
        const format = JSON.parse((stage.inputs.accessLogSettings as { format: string }).format);
        expect(format).toMatchObject({ requestId: "$context.requestId", status: "$context.status" });
        expect(recorder.get(METHOD_SETTINGS, "orders-method-settings").inputs).toEqual({
            restApi: "orders-api-id",
            stageName: "api",
            methodPath: "*/*",
            settings: { metricsEnabled: false },
        });
        expect(recorder.ofType(DOMAIN)).toEqual([]);

        expect(out).toEqual({
            url: "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/api",
            restApiId: "orders-api-id",
            vpcLinkId: "orders-vpc-link-id",
            stageName: "api",
            definitionHash: out.definitionHash,
        });
        for (const resource of recorder.resources.filter((r) => r.custom)) {
            expect(resource.parent).toMatch(/datomic:cloud:HttpDirect::orders$/);
        }
    });

    test("stage, logs, throttling and a custom domain from the arguments", async () => {
        world();
        const api = new HttpDirect("orders", {
            ...base,
            stageName: "v1",
            logRetentionDays: 90,
            throttlingRateLimit: 100,
            throttlingBurstLimit: 200,
            metricsEnabled: true,
            authorization: "AWS_IAM",
            domainName: "orders.acme.com",
            certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/abc",
            basePath: "datomic",
        });
        const out = await settled(api);

        expect(recorder.get(LOG_GROUP, "orders-access-logs").inputs.retentionInDays).toBe(90);
        expect(recorder.get(STAGE, "orders-stage").inputs.stageName).toBe("v1");
        expect(recorder.get(METHOD_SETTINGS, "orders-method-settings").inputs.settings).toEqual({
            throttlingRateLimit: 100,
            throttlingBurstLimit: 200,
            metricsEnabled: true,
        });
        expect(recorder.ofType(METHOD).map((method) => method.inputs.authorization)).toEqual(["AWS_IAM", "AWS_IAM"]);
        expect(recorder.get(DOMAIN, "orders-domain").inputs).toEqual({
            domainName: "orders.acme.com",
            regionalCertificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/abc",
            endpointConfiguration: { types: "REGIONAL" },
            securityPolicy: "TLS_1_2",
        });
        expect(recorder.get(BASE_PATH, "orders-base-path").inputs).toEqual({
            restApi: "orders-api-id",
            stageName: "v1",
            domainName: "orders.acme.com",
            basePath: "datomic",
        });
        expect(out.url).toBe("https://orders.acme.com/datomic");
        expect(await valueOf(api.domainTargetName)).toBe("d-0123.execute-api.us-east-1.amazonaws.com");
        expect(await valueOf(api.domainTargetZoneId)).toBe("Z1UJRXOUMOOFQ8");
    });

    test("an edge API's domain takes the certificate as an edge certificate", async () => {
        world();
        await settled(
            new HttpDirect("edge", {
                ...base,
                endpointType: "EDGE",
                domainName: "orders.acme.com",
                certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/abc",
            }),
        );
        expect(recorder.get(DOMAIN, "edge-domain").inputs).toMatchObject({
            certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/abc",
            endpointConfiguration: { types: "EDGE" },
        });
        expect(recorder.get(DOMAIN, "edge-domain").inputs.regionalCertificateArn).toBeUndefined();
    });

    describe("the deployment trigger", () => {
        test("is the same for equal arguments, and for changes outside the API definition", async () => {
            const trigger = await recordedTrigger(base);
            expect(await recordedTrigger({ ...base })).toEqual(trigger);
            expect(
                await recordedTrigger({
                    ...base,
                    stageName: "v2",
                    logRetentionDays: 7,
                    throttlingRateLimit: 5,
                    throttlingBurstLimit: 10,
                    metricsEnabled: true,
                    tags: { team: "orders" },
                    domainName: "orders.acme.com",
                    certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/abc",
                }),
            ).toEqual(trigger);
            expect(await recordedTrigger({ ...base, httpDirectEndpoint: `${ENDPOINT}/` })).toEqual(trigger);
        });

        test("changes when an integration changes", async () => {
            const trigger = await recordedTrigger(base);
            const changes: [string, HttpDirectArgs, TestWorld["outputs"]][] = [
                [
                    "the endpoint",
                    { ...base, httpDirectEndpoint: "http://other-nlb.elb.us-east-1.amazonaws.com:8184" },
                    {},
                ],
                ["the VPC link", base, { [VPC_LINK]: { "orders-vpc-link": { id: "vl-0replaced" } } }],
                ["the authorization", { ...base, authorization: "AWS_IAM" }, {}],
                ["the binary media types", { ...base, binaryMediaTypes: ["application/transit+json"] }, {}],
            ];
            for (const [label, args, outputs] of changes) {
                expect([label, await recordedTrigger(args, outputs)]).not.toEqual([label, trigger]);
            }
        });
    });

    test.each<[string, Partial<HttpDirectArgs>, string]>([
        [
            "an endpoint with a path",
            { httpDirectEndpoint: `${ENDPOINT}/api` },
            `httpDirectEndpoint: "${ENDPOINT}/api" has a path, query or credentials`,
        ],
        ["a bad stage name", { stageName: "my stage" }, 'stageName: "my stage" is not a stage name'],
        [
            "a retention CloudWatch does not offer",
            { logRetentionDays: 10 },
            "logRetentionDays: 10 is not a CloudWatch Logs retention period; use one of 0, 1, 3, 5, 7, 14, 30",
        ],
        [
            "a domain without a certificate",
            { domainName: "orders.acme.com" },
            "certificateArn: is required with domainName",
        ],
        [
            "a certificate without a domain",
            { certificateArn: "arn:aws:acm:x" },
            "domainName: is required with certificateArn",
        ],
        [
            "a private API",
            { endpointType: "PRIVATE" },
            'endpointType: "PRIVATE" is not supported; use "REGIONAL" or "EDGE"',
        ],
        [
            "another authorization",
            { authorization: "COGNITO_USER_POOLS" },
            'authorization: "COGNITO_USER_POOLS" is not supported',
        ],
        [
            "a negative burst",
            { throttlingBurstLimit: -1 },
            "throttlingBurstLimit: -1 is not a whole number of requests",
        ],
        ["a negative rate", { throttlingRateLimit: -5 }, "throttlingRateLimit: -5 is not a rate"],
        ["a base path without a domain", { basePath: "v1" }, "basePath: is only used with domainName"],
        [
            "an application load balancer (an alb system's group)",
            {
                loadBalancerArn:
                    "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/app/acme-orders/0123456789abcdef",
            },
            "is not a Network Load Balancer; a REST API VPC link targets NLBs only. alb systems (884-9095 and later) serve HTTP Direct through the group's own API Gateway: use its IonApiGatewayEndpoint output",
        ],
        ["an empty API name", { apiName: "" }, "apiName: is empty"],
    ])("refuses %s at preview", async (_label, overrides, message) => {
        world();
        expect(() => new HttpDirect("bad", { ...base, ...overrides })).toThrow(message);
        await recorder.settle();
        expect(recorder.resources.filter((resource) => resource.custom)).toEqual([]);
    });

    test("an endpoint known only at deploy time is checked then", async () => {
        world();
        const errors = await captureRejections(async () => {
            const api = new HttpDirect("late", { ...base, httpDirectEndpoint: pulumi.output("acme-nlb:8184") });
            await expect(valueOf(api.definitionHash)).rejects.toThrow(
                'httpDirectEndpoint: "acme-nlb:8184" is not an http(s) URL',
            );
            await recorder.settle();
        });
        expect(errors.length).toBeGreaterThan(0);
        for (const error of errors) {
            expect(error.message).toContain('httpDirectEndpoint: "acme-nlb:8184" is not an http(s) URL');
        }
        expect(recorder.ofType(INTEGRATION)).toEqual([]);
        expect(recorder.ofType(DEPLOYMENT)).toEqual([]);
    });

    test("a group without an NLB or HTTP Direct endpoint fails the deployment naming the stack output", async () => {
        world();
        const errors = await captureRejections(async () => {
            new HttpDirect("alb", {
                loadBalancerArn: pulumi.output<string | undefined>(undefined),
                httpDirectEndpoint: pulumi.output<string | undefined>(undefined),
            });
            await recorder.settle();
        });
        const messages = errors.map((error) => error.message).join("\n");
        expect(messages).toContain(
            "loadBalancerArn: is undefined: the group's stack has no LoadBalancer output (HTTP Direct needs the nlb topology)",
        );
        expect(messages).toContain(
            "httpDirectEndpoint: is undefined: the group's stack has no LoadBalancerHttpDirectEndpoint output",
        );
        expect(recorder.ofType(VPC_LINK)).toEqual([]);
        expect(recorder.ofType(INTEGRATION)).toEqual([]);
    });
});
