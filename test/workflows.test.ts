/**
 * The GitHub Actions workflows: valid against the workflow schema (SchemaStore's, through
 * @action-validator/core), and built the way the security and release rules need.
 */
import { validateWorkflow, ValidationState } from "@action-validator/core";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const ROOT = path.join(__dirname, "..");
const STACKS = ["dev", "stage", "prod"];

interface Step {
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, unknown>;
    env?: Record<string, string>;
}

interface Job {
    needs?: string | string[];
    environment?: string | { name: string };
    permissions?: Record<string, string>;
    strategy?: { matrix: { include: Record<string, string>[] } };
    steps: Step[];
}

interface Workflow {
    on: Record<string, { branches?: string[] }>;
    permissions?: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean };
    jobs: Record<string, Job>;
}

function source(file: string): string {
    return fs.readFileSync(path.join(ROOT, ".github", "workflows", file), "utf8");
}

function workflow(file: string): Workflow {
    return parse(source(file)) as Workflow;
}

function stackRegion(stack: string): string {
    const config = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
        config: Record<string, unknown>;
    };
    return config.config["aws:region"] as string;
}

function stepUsing(job: Job, action: string): Step {
    const step = job.steps.find((candidate) => candidate.uses?.startsWith(`${action}@`));
    if (!step) {
        throw new Error(`no step uses ${action}`);
    }
    return step;
}

/** Every error the validator reports, nested ones (of the schema's alternatives) included. */
function errorsOf(state: Pick<ValidationState, "errors">): string[] {
    return state.errors.flatMap((error) => [
        `${"path" in error ? error.path : ""}: ${error.title}${error.detail ? ` (${error.detail})` : ""}`,
        ...("states" in error ? (error.states ?? []).flatMap(errorsOf) : []),
    ]);
}

describe("the workflow files", () => {
    test.each(["preview.yml", "deploy.yml"])("%s is valid against the GitHub workflow schema", (file) => {
        const state = validateWorkflow(source(file));
        expect(state.actionType).toBe("workflow");
        expect(errorsOf(state)).toEqual([]);
    });

    test("the validator reports a broken workflow", () => {
        const broken = source("deploy.yml")
            .replace("runs-on: ubuntu-latest", "runs-onn: ubuntu-latest")
            .replace("needs: dev", "needs: qa");
        const errors = errorsOf(validateWorkflow(broken));
        expect(errors).toContain(
            "/jobs/test: Property conditions are not met (Additional property 'runs-onn' is not allowed)",
        );
        expect(errors).toContain("/jobs/stage/needs: Unresolved job (unresolved job qa)");
    });

    test.each(["preview.yml", "deploy.yml"])(
        "%s holds no long-lived AWS keys and pins every action to a version",
        (file) => {
            const text = source(file);
            for (const forbidden of [
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "aws-access-key-id",
                "aws-secret-access-key",
            ]) {
                expect(text).not.toContain(forbidden);
            }
            const uses = Object.values(workflow(file).jobs).flatMap((job) =>
                job.steps.flatMap((step) => (step.uses ? [step.uses] : [])),
            );
            expect(uses.length).toBeGreaterThan(0);
            for (const action of uses) {
                expect(action).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
            }
        },
    );

    test.each(["preview.yml", "deploy.yml"])(
        "%s assumes AWS roles through OIDC, with id-token: write where it does",
        (file) => {
            const jobs = Object.values(workflow(file).jobs).filter((job) =>
                job.steps.some((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@")),
            );
            expect(jobs.length).toBeGreaterThan(0);
            expect(workflow(file).permissions).toEqual({ contents: "read" });
            for (const job of jobs) {
                expect(job.permissions).toMatchObject({ "id-token": "write", contents: "read" });
                const credentials = stepUsing(job, "aws-actions/configure-aws-credentials");
                expect(Object.keys(credentials.with ?? {}).sort()).toEqual([
                    "aws-region",
                    "role-session-name",
                    "role-to-assume",
                ]);
            }
        },
    );
});

describe("preview.yml", () => {
    const preview = workflow("preview.yml");
    const job = preview.jobs.preview;

    test("runs on pull requests, after the tests", () => {
        expect(Object.keys(preview.on)).toEqual(["pull_request"]);
        expect(preview.jobs.test.steps.map((step) => step.run).filter(Boolean)).toEqual([".ci/run"]);
        expect(job.needs).toBe("test");
    });

    test("previews dev, stage and prod in a matrix, each in its stack's region with its own role", () => {
        const include = job.strategy!.matrix.include;
        expect(include.map((entry) => entry.stack)).toEqual(STACKS);
        for (const entry of include) {
            expect(entry.region).toBe(stackRegion(entry.stack));
            expect(entry["role-variable"]).toBe(`AWS_PREVIEW_ROLE_ARN_${entry.stack.toUpperCase()}`);
        }
        expect(job.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
    });

    test("comments the preview on the pull request, with the policy pack, only when credentials exist", () => {
        const pulumi = stepUsing(job, "pulumi/actions");
        expect(pulumi.with).toMatchObject({
            command: "preview",
            "comment-on-pr": true,
            policyPacks: "policy",
            policyPackConfigs: "policy/config/${{ matrix.stack }}.json",
        });
        expect(pulumi.if).toBe("steps.credentials.outputs.available == 'true'");
        expect(stepUsing(job, "aws-actions/configure-aws-credentials").if).toBe(pulumi.if);
        for (const stack of STACKS) {
            expect(fs.existsSync(path.join(ROOT, "policy", "config", `${stack}.json`))).toBe(true);
        }
    });

    test("the state job exports each stack's state, encrypted, to a one-day artifact, running none of the pull request's code", () => {
        const state = preview.jobs.state;
        expect(state.permissions).toEqual({ contents: "read" });
        expect(state.steps.some((step) => step.uses?.startsWith("actions/checkout@"))).toBe(false);
        const exportStep = state.steps.find((step) => step.run?.includes("pulumi stack export"))!;
        expect(exportStep.run).toContain(
            'pulumi stack export --stack "$STACK" --file "$RUNNER_TEMP/state.json" > /dev/null',
        );
        expect(exportStep.run).not.toContain("--show-secrets");
        expect(exportStep.env).toMatchObject({ PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}" });
        expect(stepUsing(state, "actions/upload-artifact").with).toEqual({
            name: "state-${{ matrix.stack }}",
            path: "${{ runner.temp }}/state.json",
            "retention-days": 1,
            "if-no-files-found": "error",
        });
        expect(source("preview.yml")).not.toMatch(/cat [^\n]*state\.json/);
    });

    test("the offline plan runs without credentials, against the state when there is one, else against the base branch", () => {
        const offline = preview.jobs["offline-plan"];
        expect(offline.needs).toEqual(["test", "state"]);
        expect(offline.permissions).toEqual({ contents: "read", "pull-requests": "write" });
        expect(JSON.stringify(offline)).not.toMatch(/PULUMI_ACCESS_TOKEN|id-token|configure-aws-credentials/);
        expect(stepUsing(offline, "actions/download-artifact").with).toMatchObject({
            name: "state-${{ matrix.stack }}",
        });
        const scripts = offline.steps.map((step) => step.run ?? "").join("\n");
        expect(scripts).toContain('npm run --silent plan -- --stack "$STACK" --state "$STATE_FILE" || status=$?');
        expect(scripts).toContain('rm -f "$STATE_FILE"');
        expect(scripts).toContain('git worktree add --detach "$RUNNER_TEMP/base" "$BASE_SHA"');
        expect(scripts).toContain('npm run --silent plan -- --stack "$STACK" --json "$RUNNER_TEMP/plan-base.json"');
        expect(scripts).toContain(
            'npm run --silent plan -- --stack "$STACK" --diff "$RUNNER_TEMP/plan-base.json" || status=$?',
        );
        expect(offline.steps.some((step) => step.uses?.startsWith("actions/github-script@"))).toBe(true);
        expect(offline.steps[offline.steps.length - 1].if).toBe("steps.plan.outputs.status != '0'");
    });
});

describe("deploy.yml", () => {
    const deploy = workflow("deploy.yml");

    test("runs on pushes to main, one deployment at a time, never cancelled midway", () => {
        expect(deploy.on).toEqual({ push: { branches: ["main"] } });
        expect(deploy.concurrency).toEqual({ group: "deploy-datomic", "cancel-in-progress": false });
    });

    test("runs pulumi up on dev, then stage, then prod", () => {
        expect(deploy.jobs.dev.needs).toBe("test");
        expect(deploy.jobs.stage.needs).toBe("dev");
        expect(deploy.jobs.prod.needs).toBe("stage");
        for (const stack of STACKS) {
            const job = deploy.jobs[stack];
            expect(stepUsing(job, "pulumi/actions").with).toEqual({
                command: "up",
                "stack-name": `\${{ vars.PULUMI_ORGANIZATION }}/${stack}`,
                policyPacks: "policy",
                policyPackConfigs: `policy/config/${stack}.json`,
            });
            expect(stepUsing(job, "aws-actions/configure-aws-credentials").with?.["aws-region"]).toBe(
                stackRegion(stack),
            );
        }
    });

    test("deploys each stack in its GitHub environment, prod behind its approval", () => {
        const environment = (job: Job) =>
            typeof job.environment === "string" ? job.environment : job.environment?.name;
        expect(STACKS.map((stack) => environment(deploy.jobs[stack]))).toEqual(STACKS);
        expect(deploy.jobs.prod.steps.some((step) => step.uses?.startsWith("pulumi/actions@"))).toBe(true);
    });
});
