/**
 * `datomic:monitoring`: parsed and checked with the rest of the stack's config, and built by the environment
 * program for the system and its primary compute group (the dev stack, through index.ts under the mocks).
 */
import * as pulumi from "@pulumi/pulumi";
import { EnvironmentConfigError, parseEnvironmentConfig } from "../../environment/config";
import { runStack } from "../support/program";

const base = {
    "aws:region": "us-east-1",
    "aws:allowedAccountIds": ["111111111111"],
    "aws:assumeRoles": [{ roleArn: "arn:aws:iam::111111111111:role/pulumi-datomic-deployer" }],
    "datomic:flavor": "cloud",
    "datomic:cloud": { mode: "adopt", systemName: "acme-prod", topology: "alb" },
};

function problemsOf(values: Record<string, unknown>, secretKeys: string[] = []): string[] {
    try {
        parseEnvironmentConfig(values, secretKeys);
    } catch (e) {
        expect(e).toBeInstanceOf(EnvironmentConfigError);
        return (e as EnvironmentConfigError).problems;
    }
    throw new Error("expected the config to be refused");
}

describe("datomic:monitoring", () => {
    test("turns the settings into DatomicMonitoring's arguments, gateways watched by default", () => {
        const config = parseEnvironmentConfig({
            ...base,
            "datomic:monitoring": {
                emailSubscriptions: ["oncall@acme.com"],
                alarmOverrides: { apiLatency: { threshold: 2000 } },
            },
        });
        expect(config.flavor === "cloud" && config.monitoring).toEqual({
            emailSubscriptions: ["oncall@acme.com"],
            alarmOverrides: { apiLatency: { threshold: 2000 } },
            apiGateways: true,
        });
    });

    test("absent or enabled: false, there is no monitoring", () => {
        const off = parseEnvironmentConfig({ ...base, "datomic:monitoring": { enabled: false } });
        expect(off.flavor === "cloud" && off.monitoring).toBeUndefined();
        const absent = parseEnvironmentConfig(base);
        expect(absent.flavor === "cloud" && absent.monitoring).toBeUndefined();
    });

    test("HTTPS endpoints of a secret key stay secret", async () => {
        const config = parseEnvironmentConfig(
            { ...base, "datomic:monitoring": { httpsSubscriptions: ["https://events.example.com/T0KEN"] } },
            ["datomic:monitoring"],
        );
        const [endpoint] = (config.flavor === "cloud" && config.monitoring?.httpsSubscriptions) || [];
        expect(pulumi.Output.isInstance(endpoint)).toBe(true);
        expect(await pulumi.isSecret(endpoint as pulumi.Output<string>)).toBe(true);
    });

    test("every problem is reported at once, naming the key, never showing an HTTPS endpoint", () => {
        const problems = problemsOf({
            ...base,
            "datomic:monitoring": {
                emailSubscriptions: ["oncall@acme"],
                httpsSubscriptions: ["http://events.example.com/T0KEN"],
                alarmOverrides: { alerts: { threshold: 1 }, lambdaErrors: { threshold: -1 } },
                alarmTopicArn: "pagerduty",
                pager: true,
            },
        });
        expect(problems).toEqual([
            'datomic:monitoring.alarmTopicArn: expected an SNS topic ARN (got "pagerduty")',
            'datomic:monitoring: Unrecognized key: "pager"',
        ]);
        const semantic = problemsOf({
            ...base,
            "datomic:monitoring": {
                emailSubscriptions: ["oncall@acme"],
                httpsSubscriptions: ["http://events.example.com/T0KEN"],
                alarmOverrides: { alerts: { threshold: 1 }, lambdaErrors: { threshold: -1 } },
            },
        });
        expect(semantic).toEqual([
            expect.stringMatching(/^datomic:monitoring\.alarmOverrides\.alerts: not an alarm of DatomicMonitoring/),
            expect.stringMatching(/^datomic:monitoring\.alarmOverrides\.lambdaErrors\.threshold: -1 is not allowed/),
            'datomic:monitoring.emailSubscriptions[0]: "oncall@acme" is not an email address; expected name@domain.tld',
            "datomic:monitoring.httpsSubscriptions[0]: not an https:// URL (the value is not shown: it may carry a token)",
        ]);
        expect(semantic.join("\n")).not.toContain("T0KEN");
    });

    test("a pro stack is refused: the transactor has its own alarms", () => {
        const problems = problemsOf({
            ...base,
            "datomic:flavor": "pro",
            "datomic:cloud": undefined,
            "datomic:pro": { version: "1.0.7075", vpcId: "vpc-0a1b2c3d", subnetIds: ["subnet-0a1b2c3d"] },
            "datomic:monitoring": { emailSubscriptions: ["oncall@acme.com"] },
        });
        expect(problems).toEqual([
            'datomic:monitoring: only applies when datomic:flavor is "cloud" (the transactor has its own alarms: datomic:pro.alarms)',
        ]);
    });
});

describe("the dev stack's monitoring", () => {
    test("watches the system and its primary compute group, with its API gateways (alb)", async () => {
        const run = await runStack("dev");
        expect(run.errors).toEqual([]);
        const alarms = run.resources
            .filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")
            .map((r) => r.name.replace(/^datomic-monitoring-/, ""));
        expect(alarms.sort()).toEqual([
            "api-latency-primary-ion-api",
            "api5xx-primary-client-api",
            "api5xx-primary-ion-api",
            "client-api-throttled-primary",
            "datomic-alerts-primary",
            "dynamo-db-read-throttles-table",
            "dynamo-db-write-throttles-table",
            "ion-api-throttled-primary",
            "log-alerts-system",
            "unhealthy-nodes-primary",
        ]);
        const byName = (name: string) => run.resources.find((r) => r.name === name)!;
        // The config's override; the table is the system's.
        expect(byName("datomic-monitoring-api-latency-primary-ion-api").inputs.threshold).toBe(10000);
        expect(byName("datomic-monitoring-dynamo-db-read-throttles-table").inputs.dimensions).toEqual({
            TableName: "datomic-acme-dev",
        });
        // Datomic's log group comes with the storage stack this program creates: the filter waits for it.
        expect(byName("datomic-monitoring-log-alerts").dependencies).toContain(byName("datomic-storage").urn);
        expect(byName("datomic-monitoring-email-datomic-dev-alarms-acme-com").inputs).toMatchObject({
            protocol: "email",
            endpoint: "datomic-dev-alarms@acme.com",
        });
    });
});
