/**
 * The plans of the environment stacks and of the example service, as snapshots:
 * a change to any component shows up in review as a change to these files
 * (`npx jest test/plan/snapshots.test.ts -u` records an intended change).
 * Plans are deterministic: sorted, without timestamps, without paths of this machine.
 */
import * as os from "os";
import { Plan, toPlan } from "../../plan/render";
import * as path from "path";
import { ALB_EXAMPLE_DIR, EXAMPLE_DIR, REPO_ROOT, runStack } from "../support/program";

const PRO_ENVIRONMENT_DIR = path.join(__dirname, "../fixtures/pro-environment");

const STACKS = ["dev", "stage", "prod"];

async function planOf(stack: string, programDir?: string): Promise<Plan> {
    const run = await runStack(stack, { programDir });
    expect(run.errors.map((error) => error.message)).toEqual([]);
    return toPlan(run);
}

function expectNoMachinePaths(plan: Plan): void {
    const text = JSON.stringify(plan);
    for (const machinePath of [REPO_ROOT, os.homedir(), os.tmpdir(), process.cwd()]) {
        expect(text).not.toContain(machinePath);
    }
}

describe.each(STACKS)("the environment's %s stack", (stack) => {
    test("plans as recorded", async () => {
        const plan = await planOf(stack);
        expectNoMachinePaths(plan);
        expect(plan).toMatchSnapshot();
    });
});

// Datomic Pro: the transactor, and the backups on the prod stack.
describe.each(["pro", "prod"])("the environment's Datomic Pro %s stack", (stack) => {
    test("plans as recorded", async () => {
        const plan = await planOf(stack, PRO_ENVIRONMENT_DIR);
        expectNoMachinePaths(plan);
        expect(plan).toMatchSnapshot();
    });
});

const examplePlans = new Map<string, Plan>();

describe.each(STACKS)("the example service's %s stack", (stack) => {
    test("plans as recorded", async () => {
        const plan = await planOf(stack, EXAMPLE_DIR);
        examplePlans.set(stack, plan);
        expectNoMachinePaths(plan);
        expect(plan).toMatchSnapshot();
    });
});

describe.each(["dev", "prod"])("the alb example service's %s stack", (stack) => {
    test("plans as recorded", async () => {
        const plan = await planOf(stack, ALB_EXAMPLE_DIR);
        expectNoMachinePaths(plan);
        expect(plan).toMatchSnapshot();
    });
});

test("the example's feature-branch stack plans as recorded", async () => {
    const run = await runStack("dev", {
        programDir: EXAMPLE_DIR,
        config: { "orders:suffix": "alice", "orders:mainStack": "acme/orders/dev" },
    });
    expect(run.errors.map((error) => error.message)).toEqual([]);
    const plan = toPlan(run);
    expectNoMachinePaths(plan);
    expect(plan).toMatchSnapshot();
});

test("a second run of a stack gives the same plan", async () => {
    // The first run is the snapshot test's; without it (a filtered run), run twice.
    const first = examplePlans.get("stage") ?? (await planOf("stage", EXAMPLE_DIR));
    expect(await planOf("stage", EXAMPLE_DIR)).toEqual(first);
});
