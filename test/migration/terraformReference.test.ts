import * as pulumi from "@pulumi/pulumi";
import { CONTRACT_OUTPUT_NAMES } from "../../components/contract";
import { contractValue, DEFAULT_TERRAFORM_OUTPUT_NAMES } from "../../components/internal/terraformOutputs";
import { TerraformDatomicReference } from "../../components/migration/terraformReference";
import { DatomicSystemReference } from "../../components/reference";
import { LookupFixture } from "../../plan/fixtures";
import { installMocks, resetWorld, valueOf } from "../support/harness";
import { captureRejections } from "../support/rejections";

const recorder = installMocks();

const S3_TOKEN = "terraform:state:getS3Reference";
const REMOTE_TOKEN = "terraform:state:getRemoteReference";

const PROD = {
    system_name: "acme-prod",
    vpc_id: "vpc-0a1b2c3d4e5f60718",
    subnet_cidr_blocks: ["10.213.32.0/20", "10.213.64.0/20", "10.213.96.0/20"],
    route_table_id: "rtb-0aaa000000000001",
    node_security_group_id: "sg-0nodes00000000001",
    lambda_security_group_id: "sg-0lambda0000000001",
    apps_security_group_id: "sg-0apps000000000001",
    load_balancer_arn: "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/acme-prod/0123",
    load_balancer_name: "acme-prod-nlb",
    load_balancer_http_direct_endpoint: "http://acme-prod-nlb-0123.elb.us-east-1.amazonaws.com:8184",
    endpoint_service_name: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
    code_deploy_application_name: "acme-prod-app",
    code_bucket_arn: "arn:aws:s3:::datomic-code-acme-prod-0a1b2c3d",
    key_name: "acme-prod-nodes",
    storage_arn: "arn:aws:s3:::acme-prod-storagef7f305e7-1a2b3c4d5e6f",
    deploy_state_machine_arn: "arn:aws:states:us-east-1:111111111111:stateMachine:datomic-acme-prod",
};

/** The outputs of jdhollis/datomic-service's root module: every value a map by environment. */
function datomicServiceOutputs(): Record<string, unknown> {
    const outputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(PROD)) {
        outputs[key] = { dev: `dev-${String(value)}`, stage: `stage-${String(value)}`, prod: value };
    }
    outputs.subnet_cidr_blocks = { dev: ["10.40.0.0/20"], stage: ["10.50.0.0/20"], prod: PROD.subnet_cidr_blocks };
    return outputs;
}

function state(token: string, match: Record<string, unknown>, outputs: Record<string, unknown>): LookupFixture {
    return { function: token, match, result: { outputs } };
}

const S3 = { bucket: "acme-tfstate", key: "datomic/terraform.tfstate", region: "us-east-1" };

describe("TerraformDatomicReference", () => {
    test("maps jdhollis/datomic-service's outputs to the contract, picking the environment", async () => {
        resetWorld(recorder, {
            fixtures: { lookups: [state(S3_TOKEN, { bucket: S3.bucket }, datomicServiceOutputs())] },
        });
        const datomic = new TerraformDatomicReference("datomic", {
            s3: { ...S3, roleArn: "arn:aws:iam::999999999999:role/tfstate-reader" },
            environment: "prod",
            fixedOutputs: { region: "us-east-1" },
        });
        const values = await valueOf(
            pulumi.output({
                flavor: datomic.flavor,
                topology: datomic.topology,
                region: datomic.region,
                systemName: datomic.systemName,
                vpcId: datomic.vpcId,
                subnetCidrBlocks: datomic.subnetCidrBlocks,
                routeTableIds: datomic.routeTableIds,
                nodeSecurityGroupId: datomic.nodeSecurityGroupId,
                lambdaSecurityGroupId: datomic.lambdaSecurityGroupId,
                appsSecurityGroupId: datomic.appsSecurityGroupId,
                loadBalancerArn: datomic.loadBalancerArn,
                loadBalancerName: datomic.loadBalancerName,
                httpDirectEndpoint: datomic.httpDirectEndpoint,
                endpointServiceName: datomic.endpointServiceName,
                codeDeployApplicationName: datomic.codeDeployApplicationName,
                codeBucketArn: datomic.codeBucketArn,
                keyName: datomic.keyName,
                storageArn: datomic.storageArn,
                clientEndpoint: datomic.clientEndpoint,
            }),
        );
        expect(values).toEqual({
            flavor: "cloud",
            topology: "nlb",
            region: "us-east-1",
            systemName: PROD.system_name,
            vpcId: PROD.vpc_id,
            subnetCidrBlocks: PROD.subnet_cidr_blocks,
            routeTableIds: [PROD.route_table_id],
            nodeSecurityGroupId: PROD.node_security_group_id,
            lambdaSecurityGroupId: PROD.lambda_security_group_id,
            appsSecurityGroupId: PROD.apps_security_group_id,
            loadBalancerArn: PROD.load_balancer_arn,
            loadBalancerName: PROD.load_balancer_name,
            httpDirectEndpoint: PROD.load_balancer_http_direct_endpoint,
            endpointServiceName: PROD.endpoint_service_name,
            codeDeployApplicationName: PROD.code_deploy_application_name,
            codeBucketArn: PROD.code_bucket_arn,
            keyName: PROD.key_name,
            storageArn: PROD.storage_arn,
            clientEndpoint: "http://entry.acme-prod.us-east-1.datomic.net:8182",
        });
        await recorder.settle();
        expect(recorder.callsTo(S3_TOKEN)).toEqual([
            {
                token: S3_TOKEN,
                inputs: { ...S3, roleArn: "arn:aws:iam::999999999999:role/tfstate-reader" },
            },
        ]);
    });

    test("gives the topology as a plain value, as DatomicSystemReference does", async () => {
        resetWorld(recorder, { fixtures: { lookups: [state(S3_TOKEN, {}, datomicServiceOutputs())] } });
        const datomic = new TerraformDatomicReference("datomic", { s3: S3, environment: "prod" });
        await expect(datomic.topologyValue()).resolves.toBe("nlb");
        await recorder.settle();
    });

    test("gives a Lambda the same environment variables as DatomicSystemReference", async () => {
        resetWorld(recorder, { fixtures: { lookups: [state(S3_TOKEN, {}, datomicServiceOutputs())] } });
        const datomic = new TerraformDatomicReference("datomic", {
            s3: S3,
            environment: "stage",
            fixedOutputs: {
                region: "us-west-2",
                clientEndpoint: "http://vpce-0abc.vpce-svc-0123.us-west-2.vpce.amazonaws.com:8182",
            },
        });
        expect(await valueOf(pulumi.output(datomic.clientEnvironment("orders")))).toEqual({
            DATOMIC_SYSTEM_NAME: "stage-acme-prod",
            DATOMIC_REGION: "us-west-2",
            DATOMIC_DATABASE_NAME: "orders",
            DATOMIC_ENDPOINT: "http://vpce-0abc.vpce-svc-0123.us-west-2.vpce.amazonaws.com:8182",
        });
    });

    test("has every public member of DatomicSystemReference, so switching is a change of constructor", () => {
        resetWorld(recorder, { fixtures: { lookups: [state(S3_TOKEN, {}, {})] } });
        // The assignment is the check: it type-checks only while every public member matches.
        const swapped: Omit<DatomicSystemReference, "stackReference"> = new TerraformDatomicReference("datomic", {
            s3: S3,
        });
        expect(typeof swapped.clientEnvironment).toBe("function");
        for (const name of CONTRACT_OUTPUT_NAMES) {
            expect(typeof getterOf(TerraformDatomicReference.prototype, name)).toBe("function");
        }
    });

    test("reads single-environment states, renamed outputs and the remote backend", async () => {
        const outputs = {
            datomic_system: "acme-tfc",
            vpc_id: "vpc-0tfc",
            route_table_id: ["rtb-01", "rtb-02"],
            region: "eu-west-1",
        };
        resetWorld(recorder, {
            fixtures: { lookups: [state(REMOTE_TOKEN, { organization: "acme" }, outputs)] },
        });
        const datomic = new TerraformDatomicReference("datomic", {
            remote: { organization: "acme", workspaceName: "datomic-prod", token: pulumi.secret("tfc-token-value") },
            outputNames: { systemName: "datomic_system" },
        });
        expect(
            await valueOf(
                pulumi.all([
                    datomic.systemName,
                    datomic.vpcId,
                    datomic.routeTableIds,
                    datomic.region,
                    datomic.clientEndpoint,
                ]),
            ),
        ).toEqual([
            "acme-tfc",
            "vpc-0tfc",
            ["rtb-01", "rtb-02"],
            "eu-west-1",
            "http://entry.acme-tfc.eu-west-1.datomic.net:8182",
        ]);
        await recorder.settle();
        const [call] = recorder.callsTo(REMOTE_TOKEN);
        expect(call.inputs).toMatchObject({ organization: "acme", workspaces: { name: "datomic-prod" } });
    });

    test("fails a used output the state lacks with a message naming the output and the state", async () => {
        resetWorld(recorder, { fixtures: { lookups: [state(S3_TOKEN, {}, datomicServiceOutputs())] } });
        const datomic = new TerraformDatomicReference("datomic", {
            s3: { ...S3, workspace: "blue" },
            environment: "prod",
        });
        const message =
            'region: the Terraform state s3://acme-tfstate/datomic/terraform.tfstate (workspace blue) has no output "region" ' +
            "(its outputs: apps_security_group_id, code_bucket_arn, code_deploy_application_name, deploy_state_machine_arn, " +
            "endpoint_service_name, key_name, lambda_security_group_id, load_balancer_arn, " +
            "load_balancer_http_direct_endpoint, load_balancer_name, node_security_group_id, route_table_id, storage_arn, " +
            "subnet_cidr_blocks, system_name, vpc_id); name the output with outputNames.region, or give the value in " +
            "fixedOutputs.region";
        const programErrors = await captureRejections(async () => {
            await expect(valueOf(datomic.region)).rejects.toThrow(message);
        });
        expect(programErrors.map((error) => error.message)).toContain(message);
    });

    test("refuses bad arguments before reading anything", () => {
        resetWorld(recorder);
        expect(() => new TerraformDatomicReference("datomic", {})).toThrow(
            /^s3: TerraformDatomicReference datomic reads one state/,
        );
        expect(
            () =>
                new TerraformDatomicReference("datomic", {
                    s3: S3,
                    remote: { organization: "acme", workspaceName: "w" },
                }),
        ).toThrow(/^s3: /);
        expect(() => new TerraformDatomicReference("datomic", { s3: S3, outputNames: { systemname: "x" } })).toThrow(
            /^outputNames: "systemname" is not an output of the environment stack contract/,
        );
        expect(
            () => new TerraformDatomicReference("datomic", { s3: S3, fixedOutputs: { routeTableIds: "rtb-1" } }),
        ).toThrow("fixedOutputs: routeTableIds is a list output; it can only be read from the state");
        expect(recorder.calls).toEqual([]);
    });

    test("says how to install @pulumi/terraform when it is missing", () => {
        jest.isolateModules(() => {
            jest.doMock("@pulumi/terraform", () => {
                throw Object.assign(new Error("Cannot find module '@pulumi/terraform'"), { code: "MODULE_NOT_FOUND" });
            });
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const isolated = require("../../components/migration/terraformReference") as {
                TerraformDatomicReference: typeof TerraformDatomicReference;
            };
            expect(() => new isolated.TerraformDatomicReference("datomic", { s3: S3 })).toThrow(
                "TerraformDatomicReference reads Terraform state with @pulumi/terraform, which is not installed; " +
                    "add it to the program: npm install @pulumi/terraform@^6",
            );
        });
    });
});

describe("contractValue", () => {
    const source = { description: "s3://b/k", environment: "dev" };

    test("indexes maps by environment and turns a single route table into a list", () => {
        expect(contractValue("routeTableIds", "route_table_id", { route_table_id: { dev: "rtb-1" } }, source)).toEqual({
            value: ["rtb-1"],
        });
        expect(contractValue("vpcId", "vpc_id", { vpc_id: "vpc-1" }, source)).toEqual({ value: "vpc-1" });
    });

    test("explains maps without an environment, missing entries and wrong shapes", () => {
        expect(
            contractValue("vpcId", "vpc_id", { vpc_id: { dev: "a", prod: "b" } }, { description: "s3://b/k" }),
        ).toEqual({
            problem:
                'vpcId: output "vpc_id" of the Terraform state s3://b/k is a map by environment (dev, prod); set environment to one of its keys',
        });
        expect(contractValue("vpcId", "vpc_id", { vpc_id: { prod: "b" } }, source)).toEqual({
            problem:
                'vpcId: output "vpc_id" of the Terraform state s3://b/k has no entry for environment "dev" (it has prod)',
        });
        expect(contractValue("vpcId", "vpc_id", { vpc_id: ["a"] }, source)).toEqual({
            problem: 'vpcId: output "vpc_id" of the Terraform state s3://b/k is ["a"], not a string',
        });
    });

    test("defaults to snake_case names, with datomic-service's two exceptions", () => {
        expect(DEFAULT_TERRAFORM_OUTPUT_NAMES.systemName).toBe("system_name");
        expect(DEFAULT_TERRAFORM_OUTPUT_NAMES.codeDeployApplicationName).toBe("code_deploy_application_name");
        expect(DEFAULT_TERRAFORM_OUTPUT_NAMES.routeTableIds).toBe("route_table_id");
        expect(DEFAULT_TERRAFORM_OUTPUT_NAMES.httpDirectEndpoint).toBe("load_balancer_http_direct_endpoint");
    });
});

/** The getter of `name` on `prototype` or the prototypes it inherits from. */
function getterOf(prototype: object | null, name: string): (() => unknown) | undefined {
    for (let current = prototype; current !== null; current = Object.getPrototypeOf(current)) {
        const descriptor = Object.getOwnPropertyDescriptor(current, name);
        if (descriptor) {
            return descriptor.get;
        }
    }
    return undefined;
}
