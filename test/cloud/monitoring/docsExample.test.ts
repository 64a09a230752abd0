/**
 * docs/monitoring.md's service example as a reader copies it: a program of its own, run under the mocks
 * against the example service's prod fixtures (the alb environment acme/datomic/prod), so the page cannot
 * drift from the public API.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXAMPLE_DIR, REPO_ROOT, runStack } from "../../support/program";

const PAGE = fs.readFileSync(path.join(REPO_ROOT, "docs", "monitoring.md"), "utf8");

let dir: string;

beforeAll(() => {
    const blocks = [...PAGE.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map(([, text]) => text);
    expect(blocks).toHaveLength(1);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "monitoring-docs-"));
    fs.mkdirSync(path.join(dir, "plan-fixtures"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: orders\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config:\n  aws:region: us-east-1\n");
    fs.writeFileSync(path.join(dir, "index.ts"), blocks[0]);
    fs.copyFileSync(path.join(EXAMPLE_DIR, "plan-fixtures", "prod.yaml"), path.join(dir, "plan-fixtures", "prod.yaml"));
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test("the service example runs and watches its query group", async () => {
    const run = await runStack("prod", { programDir: dir });
    expect(run.errors.map((e) => e.message)).toEqual([]);
    const alarms = run.resources
        .filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")
        .map((r) => r.name.replace("orders-monitoring-", ""));
    expect(alarms.sort()).toEqual([
        "api-latency-orders-ion-api",
        "api5xx-orders-ion-api",
        "client-api-throttled-orders",
        "datomic-alerts-orders",
        "ion-api-throttled-orders",
        "lambda-errors-orders-order-count",
        "lambda-throttles-orders-order-count",
        "unhealthy-nodes-orders",
    ]);
    expect(run.outputs.dashboard).toBe(
        "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=orders-monitoring",
    );
});
