import {
    HTTP_DIRECT_ROUTES,
    httpDirectDefinition,
    httpDirectDeploymentTrigger,
    httpDirectEndpointProblem,
    normalizedHttpDirectEndpoint,
    stageNameProblem,
} from "../../components/internal/httpDirect";
import { clientApiUrl, regionalDnsName } from "../../components/internal/vpcEndpointDns";

const endpoint = "http://acme-nlb-0123456789abcdef.elb.us-east-1.amazonaws.com:8184";
const settings = { endpoint, vpcLinkId: "vl-0abc", authorization: "NONE", binaryMediaTypes: ["*/*"] };

describe("the HTTP Direct API definition", () => {
    test("proxies the root and every path over the VPC link", () => {
        expect(httpDirectDefinition(settings).routes).toEqual([
            {
                path: "/",
                method: { httpMethod: "ANY", authorization: "NONE", requestParameters: {} },
                integration: {
                    httpMethod: "ANY",
                    type: "HTTP_PROXY",
                    integrationHttpMethod: "ANY",
                    connectionType: "VPC_LINK",
                    connectionId: "vl-0abc",
                    uri: `${endpoint}/`,
                    requestParameters: {},
                },
            },
            {
                path: "{proxy+}",
                method: {
                    httpMethod: "ANY",
                    authorization: "NONE",
                    requestParameters: { "method.request.path.proxy": true },
                },
                integration: {
                    httpMethod: "ANY",
                    type: "HTTP_PROXY",
                    integrationHttpMethod: "ANY",
                    connectionType: "VPC_LINK",
                    connectionId: "vl-0abc",
                    uri: `${endpoint}/{proxy}`,
                    requestParameters: { "integration.request.path.proxy": "method.request.path.proxy" },
                },
            },
        ]);
        expect(HTTP_DIRECT_ROUTES.map((route) => route.key)).toEqual(["root", "proxy"]);
    });

    test("the trigger changes with every part of the definition and nothing else", () => {
        const trigger = httpDirectDeploymentTrigger(settings);
        expect(httpDirectDeploymentTrigger({ ...settings })).toBe(trigger);
        expect(trigger).toMatch(/^[0-9a-f]{64}$/);
        for (const changed of [
            { ...settings, endpoint: "http://other.elb.us-east-1.amazonaws.com:8184" },
            { ...settings, vpcLinkId: "vl-0def" },
            { ...settings, authorization: "AWS_IAM" },
            { ...settings, binaryMediaTypes: [] },
        ]) {
            expect(httpDirectDeploymentTrigger(changed)).not.toBe(trigger);
        }
    });
});

describe("HTTP Direct arguments", () => {
    test.each([
        [endpoint, undefined],
        [`${endpoint}/`, undefined],
        ["acme-nlb:8184", '"acme-nlb:8184" is not an http(s) URL'],
        [
            "not a url",
            '"not a url" is not a URL (expected the load balancer\'s HTTP Direct endpoint, such as http://<nlb dns>:8184)',
        ],
        [`${endpoint}/api`, `"${endpoint}/api" has a path, query or credentials; give only the scheme, host and port`],
    ])("endpoint %s", (text, problem) => {
        expect(httpDirectEndpointProblem(text)).toBe(problem);
    });

    test("a trailing slash is dropped before paths are appended", () => {
        expect(normalizedHttpDirectEndpoint(`${endpoint}/`)).toBe(endpoint);
    });

    test("stage names", () => {
        expect(stageNameProblem("api")).toBeUndefined();
        expect(stageNameProblem("v1_beta-2")).toBeUndefined();
        expect(stageNameProblem("my stage")).toBe(
            '"my stage" is not a stage name: use 1 to 128 letters, digits, hyphens and underscores',
        );
    });
});

describe("interface endpoint DNS names", () => {
    test("the regional name is the one without an availability zone", () => {
        expect(
            regionalDnsName([
                "vpce-0a1b2c3d4e5f-6g7h8i9j-us-east-1a.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com",
                "vpce-0a1b2c3d4e5f-6g7h8i9j.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com",
                "vpce-0a1b2c3d4e5f-6g7h8i9j-us-east-1b.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com",
            ]),
        ).toBe("vpce-0a1b2c3d4e5f-6g7h8i9j.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com");
        expect(regionalDnsName(["vpce-1-ap-southeast-2c.x.amazonaws.com"])).toBe(
            "vpce-1-ap-southeast-2c.x.amazonaws.com",
        );
        expect(regionalDnsName([])).toBeUndefined();
    });

    test("the Client API URL", () => {
        expect(clientApiUrl("vpce-1.example")).toBe("http://vpce-1.example:8182");
    });
});
