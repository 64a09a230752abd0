/**
 * Secret outputs of the environment stack stay secret through DatomicSystemReference and DatomicAccess,
 * and never appear in a message (at preview here; access.test.ts checks an update).
 */
import * as pulumi from "@pulumi/pulumi";
import { DatomicAccess } from "../../../components/cloud/access/access";
import { DatomicSystemReference } from "../../../components/reference";
import { ALB_STACK, albEnvironment, callerVpc, serviceLookups } from "../../fixtures/accessEnvironments";
import { installMocks, resetWorld, valueOf } from "../../support/harness";
import { captureRejections } from "../../support/rejections";

const recorder = installMocks(true);

function world(environment: Record<string, unknown>, secret: string[]) {
    resetWorld(recorder, {
        fixtures: {
            stackReferences: { [ALB_STACK]: environment },
            secretStackOutputs: { [ALB_STACK]: secret },
            lookups: serviceLookups,
        },
    });
}

describe("secret environment outputs at preview", () => {
    test("DatomicAccess keeps topology, path, endpoint and the client environment secret", async () => {
        world(albEnvironment, ["topology", "clientEndpoint", "systemName"]);
        const access = new DatomicAccess("orders", {
            ...callerVpc,
            environmentStack: ALB_STACK,
            callerSecurityGroupIds: ["sg-0callers"],
            databaseName: "orders",
        });
        for (const output of [
            access.topology,
            access.path,
            access.endpoint,
            access.clientEnvironment,
        ] as pulumi.Output<unknown>[]) {
            expect(await pulumi.isSecret(output)).toBe(true);
        }
        expect(await valueOf(access.path)).toBe("vpc-peering");
        expect(await valueOf(access.endpoint)).toBe(albEnvironment.clientEndpoint);
        await recorder.settle();
    });

    test("a plain environment gives plain outputs", async () => {
        world(albEnvironment, []);
        const access = new DatomicAccess("orders", { environmentStack: ALB_STACK, path: "api-gateway" });
        expect(await pulumi.isSecret(access.topology)).toBe(false);
        expect(await pulumi.isSecret(access.endpoint)).toBe(false);
        await recorder.settle();
    });

    test("a secret region in another region fails without showing it", async () => {
        world({ ...albEnvironment, region: "eu-west-1" }, ["region"]);
        const errors = await captureRejections(async () => {
            new DatomicAccess("orders", {
                ...callerVpc,
                environmentStack: ALB_STACK,
                callerCidrBlocks: ["10.20.0.0/16"],
            });
            await recorder.settle();
        });
        const messages = errors.map((error) => error.message).join("\n");
        expect(messages).toContain("path: \"vpc-peering\" needs the caller's VPC in the environment's region");
        expect(messages).not.toContain("eu-west-1");
    });

    test("DatomicSystemReference keeps a secret output secret, and a bad one fails without showing it", async () => {
        world({ ...albEnvironment, routeTableIds: "rtb-0secret" }, ["clientEndpoint", "routeTableIds"]);
        const reference = new DatomicSystemReference("env", { stack: ALB_STACK });
        expect(await pulumi.isSecret(reference.clientEndpoint)).toBe(true);
        expect(await pulumi.isSecret(reference.systemName)).toBe(false);
        const errors = await captureRejections(async () => {
            const failure = await valueOf(reference.routeTableIds).catch((error: Error) => error);
            expect(String(failure)).toContain(
                "Output 'routeTableIds' of stack 'acme/datomic/dev' is a secret that is not a list of strings.",
            );
        });
        expect([...errors.map((error) => error.message)].join("\n")).not.toContain("rtb-0secret");
        await recorder.settle();
    });
});
