/**
 * List arguments take items that are Outputs (ids and blocks created in the same program), without
 * `pulumi.all`: DatomicClientEndpoint and HttpDirect (DatomicPeering's are in peering.test.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { DatomicClientEndpoint } from "../../components/cloud/access/clientEndpoint";
import { HttpDirect } from "../../components/cloud/http/httpDirect";
import { vpcEndpointOutputs } from "../fixtures/accessEnvironments";
import { installMocks, resetWorld, valueOf } from "../support/harness";

const recorder = installMocks();

const NLB = "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/acme-orders/0123456789abcdef";
const ENDPOINT = "http://acme-orders-0123456789abcdef.elb.us-east-1.amazonaws.com:8184";

beforeEach(() =>
    resetWorld(recorder, {
        outputs: {
            "aws:ec2/vpcEndpoint:VpcEndpoint": { "*": vpcEndpointOutputs },
            "aws:apigateway/restApi:RestApi": { "*": { rootResourceId: "root0123" } },
        },
    }),
);

test("DatomicClientEndpoint: allowedCidrs and subnetIds items may be Outputs", async () => {
    const endpoint = new DatomicClientEndpoint("datomic", {
        vpcId: "vpc-0service",
        subnetIds: [pulumi.output("subnet-0a"), "subnet-0b"],
        endpointServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
        allowedCidrs: [pulumi.output("10.20.0.0/16")],
    });
    await valueOf(endpoint.endpointUrl);
    await recorder.settle();
    expect(recorder.get("aws:ec2/securityGroup:SecurityGroup", "datomic-sg").inputs.ingress).toEqual([
        expect.objectContaining({ fromPort: 8182, cidrBlocks: ["10.20.0.0/16"] }),
    ]);
    expect(recorder.get("aws:ec2/vpcEndpoint:VpcEndpoint", "datomic-endpoint").inputs.subnetIds).toEqual([
        "subnet-0a",
        "subnet-0b",
    ]);
});

test("HttpDirect: binaryMediaTypes items may be Outputs, and they are part of the deployment trigger", async () => {
    const hashOf = async (types: pulumi.Input<pulumi.Input<string>[]>) => {
        recorder.reset();
        const api = new HttpDirect("orders", {
            loadBalancerArn: NLB,
            httpDirectEndpoint: ENDPOINT,
            binaryMediaTypes: types,
        });
        const hash = await valueOf(api.definitionHash);
        await recorder.settle();
        return hash;
    };
    const edn = await hashOf([pulumi.output("application/edn")]);
    const rest = recorder.ofType("aws:apigateway/restApi:RestApi");
    expect(rest[rest.length - 1].inputs.binaryMediaTypes).toEqual(["application/edn"]);
    expect(await hashOf(["application/edn"])).toBe(edn);
    expect(await hashOf(["*/*"])).not.toBe(edn);
});
