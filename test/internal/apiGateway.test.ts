import {
    apiMappingKeyProblem,
    domainNameProblem,
    httpApiStageNameProblem,
    parseApiGatewayEndpoint,
} from "../../components/internal/apiGateway";
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

test("names checks", () => {
    expect(httpApiStageNameProblem("service")).toBeUndefined();
    expect(httpApiStageNameProblem("$default")).toContain("Datomic's stack manages");
    expect(httpApiStageNameProblem("a b")).toContain("not a stage name");
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
