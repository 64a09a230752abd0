/**
 * docs/MIGRATION.md stays true: its output table is the helper's default mapping, and every resource
 * its import tables name is one the components register under that type and name.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as aws from "@pulumi/aws";
import { DatomicCloudSystem } from "../../components/cloud/system/system";
import { HttpDirect } from "../../components/cloud/http/httpDirect";
import { IonDeployment } from "../../components/cloud/ions/ionDeployment";
import { QueryGroup } from "../../components/cloud/ions/queryGroup";
import { CONTRACT_OUTPUT_NAMES } from "../../components/contract";
import { DEFAULT_TERRAFORM_OUTPUT_NAMES, UNMAPPED_TERRAFORM_OUTPUTS } from "../../components/internal/terraformOutputs";
import { adoptedSystemLookups, nlbCompute, nlbStorage } from "../fixtures/cloudStacks";
import { installMocks, resetWorld, valueOf } from "../support/harness";

const recorder = installMocks();
const GUIDE = fs.readFileSync(path.join(__dirname, "..", "..", "docs", "MIGRATION.md"), "utf8");

/** The cells of every table row of the guide. */
function tableRows(): string[][] {
    return GUIDE.split("\n")
        .filter((line) => line.startsWith("|") && !/^\|\s*-/.test(line))
        .map((line) =>
            line
                .slice(1, -1)
                .split("|")
                .map((cell) => cell.trim()),
        );
}

function backticked(cell: string): string[] {
    return [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
}

test("the output table is DEFAULT_TERRAFORM_OUTPUT_NAMES, and covers the whole contract", () => {
    const mapping = Object.fromEntries(
        tableRows()
            .filter((cells) => cells.length === 3 && /^`[a-z_]+`$/.test(cells[0]) && /^`[a-zA-Z]+`$/.test(cells[1]))
            .map((cells) => [backticked(cells[1])[0], backticked(cells[0])[0]]),
    );
    expect(mapping).toEqual(DEFAULT_TERRAFORM_OUTPUT_NAMES);
    expect(Object.keys(mapping).sort()).toEqual([...CONTRACT_OUTPUT_NAMES].sort());
    for (const output of Object.keys(UNMAPPED_TERRAFORM_OUTPUTS)) {
        expect(GUIDE).toContain(`\`${output}\` has no contract output`);
    }
});

test("every resource the import tables name is registered by the components under that type and name", async () => {
    const system = "acme-stage";
    resetWorld(recorder, {
        fixtures: {
            lookups: [
                ...adoptedSystemLookups({ system, storage: nlbStorage(system), compute: nlbCompute(system) }),
                // The query group's Auto Scaling group, found by its stack-name tag.
                { function: "aws:autoscaling/getAmiIds:getAmiIds", result: { id: "us-east-1", names: ["qg-asg"] } },
            ],
        },
        outputs: {
            "aws:cloudformation/stack:Stack": {
                "orders-stack": {
                    outputs: {
                        CodeDeployDeploymentGroup: "orders-group",
                        LoadBalancer: nlbCompute(system).outputs.LoadBalancer,
                        LoadBalancerHttpDirectEndpoint: nlbCompute(system).outputs.LoadBalancerHttpDirectEndpoint,
                    },
                },
            },
        },
    });
    const ionProject = fs.mkdtempSync(path.join(os.tmpdir(), "migration-ions-"));
    fs.writeFileSync(path.join(ionProject, "deps.edn"), '{:paths ["src"]}\n');
    try {
        // The guide's examples, as written there.
        new DatomicCloudSystem("datomic", {
            systemName: system,
            topology: "nlb",
            bastionIngressCidrs: ["10.200.0.0/16"],
            endpointService: "adopt",
            endpointServiceId: "vpce-svc-0123456789abcdef0",
            awsServiceEndpoints: ["sqs"],
        });
        new aws.iam.Policy("orders-ions", { name: "terraform-example-qg-ions", policy: "{}" });
        const group = new QueryGroup("orders", {
            groupName: "terraform-example-qg",
            systemName: system,
            templateVersion: "535-8812",
            keyName: "acme-stage-nodes",
            nodePolicyStatements: [{ Effect: "Allow", Action: ["sqs:SendMessage"], Resource: ["*"] }],
        });
        const ions = new IonDeployment("orders-ions", {
            projectDir: ionProject,
            group: group.deploymentGroup,
            groupStackId: group.stackId,
        });
        new HttpDirect("api", {
            loadBalancerArn: group.loadBalancerArn,
            httpDirectEndpoint: group.httpDirectEndpoint,
            apiName: "Site API",
            stageName: "prod",
        });
        await valueOf(ions.sourceHash);
        await recorder.settle();
    } finally {
        fs.rmSync(ionProject, { recursive: true, force: true });
    }
    expect(recorder.failures).toEqual([]);

    const named: [string, string][] = [];
    for (const cells of tableRows().filter((row) => row.length === 4)) {
        const types = backticked(cells[1]).filter((token) => /^(aws|command):[\w/]+:\w+$/.test(token));
        const names = backticked(cells[2]).filter((token) => /^[a-z][a-z0-9-]*$/.test(token));
        if (types.length === 0 || names.length === 0) {
            continue;
        }
        // A row names one resource, or one per type when it lists several; further names are context.
        const pairs = types.length === names.length ? types.length : 1;
        for (let i = 0; i < pairs; i++) {
            named.push([types[i], names[i]]);
        }
    }
    expect(named.length).toBeGreaterThanOrEqual(15);
    const registered = new Set(recorder.resources.map((resource) => `${resource.type}::${resource.name}`));
    const missing = named.filter(([type, name]) => !registered.has(`${type}::${name}`));
    expect(missing).toEqual([]);
});
