import {
    apiMappingKeyProblem,
    datomicIonIntegration,
    domainNameProblem,
    parseApiGatewayEndpoint,
} from "../../components/internal/apiGateway";
import { DATOMIC_LISTENER, DATOMIC_VPC_LINK, ionApiExport } from "../fixtures/ionApiExport";
import { accessPathProblem, resolveAccessPath } from "../../components/internal/accessPaths";

describe("parseApiGatewayEndpoint", () => {
    test.each([
        "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
        "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
        "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/",
    ])("reads the API id and region of %s (Datomic prints both spellings)", (text) => {
        expect(parseApiGatewayEndpoint(text)).toEqual({
            apiId: "a1b2c3d4e5",
            region: "us-east-1",
            url: "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
        });
    });

    test.each([
        ["http://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com", "is not an API Gateway endpoint"],
        ["https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/api", "has a path"],
        ["entry-http.acme.us-east-1.datomic.net:8182", "is not an API Gateway endpoint"],
        ["d-0f1e2d3c4b.execute-api.us-east-1.amazonaws.com", "is not an API Gateway endpoint"],
        ["", "is not an API Gateway endpoint"],
    ])("refuses %s", (text, problem) => {
        const result = parseApiGatewayEndpoint(text);
        expect("problem" in result && result.problem).toContain(problem);
    });
});

describe("datomicIonIntegration", () => {
    test("reads the listener and the VPC link of Datomic's $default route", () => {
        expect(datomicIonIntegration(ionApiExport(), "a1b2c3d4e5")).toEqual({
            listenerArn: DATOMIC_LISTENER,
            vpcLinkId: DATOMIC_VPC_LINK,
        });
    });

    test("keeps the server name Datomic's integration verifies over TLS", () => {
        const body = ionApiExport("a1b2c3d4e5", { tlsConfig: { serverNameToVerify: "ions.internal" } });
        expect(datomicIonIntegration(body, "a1b2c3d4e5")).toMatchObject({ serverNameToVerify: "ions.internal" });
    });

    test("reads an integration kept under components and referenced by routes", () => {
        const integration = {
            type: "http_proxy",
            connectionType: "VPC_LINK",
            connectionId: DATOMIC_VPC_LINK,
            uri: DATOMIC_LISTENER,
        };
        const body = JSON.stringify({
            openapi: "3.0.1",
            paths: {
                "/$default": {
                    "x-amazon-apigateway-any-method": {
                        "x-amazon-apigateway-integration": {
                            $ref: "#/components/x-amazon-apigateway-integrations/ions",
                        },
                    },
                },
                "/api/{proxy+}": {
                    "x-amazon-apigateway-any-method": {
                        "x-amazon-apigateway-integration": {
                            $ref: "#/components/x-amazon-apigateway-integrations/ions",
                        },
                    },
                },
            },
            components: { "x-amazon-apigateway-integrations": { ions: integration } },
        });
        expect(datomicIonIntegration(body, "a1b2c3d4e5")).toEqual({
            listenerArn: DATOMIC_LISTENER,
            vpcLinkId: DATOMIC_VPC_LINK,
        });
    });

    test.each([
        [
            "no private integration",
            ionApiExport("a1b2c3d4e5", { connectionType: "INTERNET", uri: "https://x" }),
            "no private",
        ],
        ["not JSON", "openapi: 3.0.1", "is not JSON"],
    ])("refuses an export with %s, naming the API", (_label, body, problem) => {
        const result = datomicIonIntegration(body, "a1b2c3d4e5");
        expect("problem" in result && result.problem).toContain(problem);
        expect("problem" in result && result.problem).toContain("a1b2c3d4e5");
    });
});

test("names checks", () => {
    expect(apiMappingKeyProblem("v1/orders")).toBeUndefined();
    expect(apiMappingKeyProblem("v1/")).toContain("not a path");
    expect(domainNameProblem("orders.acme.com")).toBeUndefined();
    expect(domainNameProblem("orders")).toContain("not a domain name");
    expect(domainNameProblem("-x.acme.com")).toContain("not a domain name");
});

describe("access paths", () => {
    test("private follows the topology", () => {
        expect(resolveAccessPath("private", "nlb", "acme/datomic/stage")).toEqual({ path: "vpc-endpoint" });
        expect(resolveAccessPath("private", "alb", "acme/datomic/dev")).toEqual({ path: "vpc-peering" });
    });

    test.each([
        ["vpc-endpoint", "nlb"],
        ["vpc-peering", "alb"],
        ["api-gateway", "alb"],
    ])("%s is allowed on %s", (path, topology) => {
        expect(resolveAccessPath(path, topology, "s")).toEqual({ path });
    });

    test.each([
        ["vpc-endpoint", "alb", '"vpc-endpoint" needs the nlb topology, but acme/datomic/x is alb', '"vpc-peering"'],
        ["api-gateway", "nlb", '"api-gateway" needs the alb topology, but acme/datomic/x is nlb', '"vpc-endpoint"'],
        ["vpc-peering", "nlb", '"vpc-peering" needs the alb topology, but acme/datomic/x is nlb', '"vpc-endpoint"'],
    ])("%s on %s is refused naming both and what to use", (path, topology, message, alternative) => {
        const result = resolveAccessPath(path, topology, "acme/datomic/x");
        expect("problem" in result && result.problem).toContain(message);
        expect("problem" in result && result.problem).toContain(alternative);
    });

    test("a pro environment or unknown path is refused", () => {
        const result = resolveAccessPath("private", "undefined", "acme/datomic/pro");
        expect("problem" in result && result.problem).toContain('expected "nlb" or "alb"');
        expect(accessPathProblem("peering")).toContain('"peering" is not an access path');
        expect(accessPathProblem("api-gateway")).toBeUndefined();
    });
});
