/**
 * The text plan a reviewer reads: every lookup listed by function with what it asked, values whole with
 * --wide (cut, and said to be, without it), and no outputs that the stack's topology does not have.
 */
import { lookupCallsOf, renderPlanText, SHORT_VALUE_LENGTH, toPlan } from "../../plan/render";
import type { ProgramRun } from "../../plan/runProgram";
import { datomicPlanInProcess, runStack } from "../support/program";

jest.setTimeout(60_000);

const runs = new Map<string, ProgramRun>();
async function environment(stack: string): Promise<ProgramRun> {
    if (!runs.has(stack)) {
        const run = await runStack(stack);
        expect(run.errors.map((error) => error.message)).toEqual([]);
        runs.set(stack, run);
    }
    return runs.get(stack)!;
}

test("an adopted system's lookups are listed by function, each call with its inputs", async () => {
    const run = await environment("stage");
    const text = renderPlanText(toPlan(run), { lookupCalls: lookupCallsOf(run) });
    const section = text.slice(text.indexOf("Lookups, by function"), text.lastIndexOf("resources:"));
    expect(section).toContain(
        "  aws:cloudformation/getStack:getStack  x2\n      name: acme-stage\n      name: acme-stage-compute\n",
    );
    expect(section).toContain("  aws:ec2/getSubnet:getSubnet  x3\n      id: subnet-0a1b2c3d4e5f60001\n");
    expect(section).toContain("  aws:index/getRegion:getRegion  x1\n      (no inputs)\n");
    // Every lookup the summary counts is listed.
    const listed = [...section.matchAll(/^ {2}\S+ {2}x(\d+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
    expect(text).toContain(`; ${listed} lookups.`);
    expect(listed).toBe(run.calls.length);
});

test("identical calls are listed once, with how many there were", () => {
    const calls = lookupCallsOf({
        programDir: "/p",
        calls: [
            { token: "aws:index/getRegion:getRegion", inputs: {} },
            { token: "aws:index/getRegion:getRegion", inputs: {} },
            { token: "aws:ec2/getVpc:getVpc", inputs: { id: "vpc-1" } },
        ],
    } as unknown as ProgramRun);
    expect(calls).toEqual({
        "aws:ec2/getVpc:getVpc": [{ inputs: { id: "vpc-1" }, count: 1 }],
        "aws:index/getRegion:getRegion": [{ inputs: {}, count: 2 }],
    });
});

test("long values are cut and the plan says how to see them whole; --wide prints them whole", async () => {
    const run = await environment("stage");
    const plan = toPlan(run);
    const subnetFilters = run.calls.find((call) => call.token === "aws:ec2/getSubnets:getSubnets")!.inputs.filters;
    expect(JSON.stringify(subnetFilters).length).toBeGreaterThan(SHORT_VALUE_LENGTH);
    const narrow = renderPlanText(plan, { lookupCalls: lookupCallsOf(run) });
    const wide = renderPlanText(plan, { lookupCalls: lookupCallsOf(run), wide: true });
    expect(narrow).toMatch(/datomic-acme-\.\.\.$/m);
    expect(narrow).toContain(
        `Values longer than ${SHORT_VALUE_LENGTH} characters end in "..."; --wide prints them whole.`,
    );
    expect(wide).toContain('"datomic-acme-stage-subnet-2"]}]');
    expect(wide).not.toContain("--wide prints them whole");
    // No line of the wide plan is cut.
    expect(wide).not.toMatch(/\.\.\.$/m);
});

test("datomic-plan --wide prints the text plan whole", async () => {
    const result = await datomicPlanInProcess("--stack", "stage", "--wide");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"datomic-acme-stage-subnet-2"]}]');
    expect(result.stdout).toContain("Lookups, by function");
});

test("a new alb system's plan leaves out the outputs only nlb systems have, and the reverse", async () => {
    const alb = toPlan(await environment("dev"));
    expect(alb.outputs.topology).toBe("alb");
    for (const nlbOnly of ["bastionSecurityGroupId", "httpDirectEndpoint", "endpointServiceName"]) {
        expect(alb.outputs).not.toHaveProperty(nlbOnly);
    }
    expect(alb.outputs).toHaveProperty("clientApiGatewayEndpoint");
    const nlb = toPlan(await environment("stage"));
    expect(nlb.outputs.topology).toBe("nlb");
    for (const albOnly of ["clientApiGatewayEndpoint", "ionApiGatewayEndpoint", "privateHostedZoneName"]) {
        expect(nlb.outputs).not.toHaveProperty(albOnly);
    }
    expect(nlb.outputs).toHaveProperty("httpDirectEndpoint");
});
