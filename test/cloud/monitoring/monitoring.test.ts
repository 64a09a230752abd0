/**
 * DatomicMonitoring under the mock runtime: every alarm's metric, namespace, dimensions, statistic,
 * threshold, comparison and missing-data rule, checked against a table written here from the sources
 * (not from the component's own table), plus the topic, the subscriptions, the dashboard and the outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { DatomicMonitoring, DatomicMonitoringArgs } from "../../../components/cloud/monitoring/monitoring";
import { Secret } from "../../../plan/recorded";
import { installMocks, resetWorld, TEST_ACCOUNT, TEST_REGION, valueOf } from "../../support/harness";
import { captureRejections } from "../../support/rejections";

const recorder = installMocks();

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter";
const TOPIC = "aws:sns/topic:Topic";
const SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
const DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";
const GROUPS_BY_TAG = "aws:autoscaling/getAmiIds:getAmiIds";

const DATOMIC_DOCS = "docs.datomic.com/operation/monitoring-cloud.html";
const HTTP_API_DOCS = "docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html";
const REST_API_DOCS = "docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html";
const LAMBDA_DOCS = "docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics.html";
const DYNAMODB_DOCS =
    "docs.aws.amazon.com/amazondynamodb/latest/developerguide/TroubleshootingThrottling-cloudwatch.html";
const ASG_DOCS = "docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-metrics.html";

/** One expected alarm: its resource name after `mon-`, and the rule it must carry. */
interface ExpectedAlarm {
    alarm: string;
    namespace?: string;
    metricName?: string;
    dimensions?: Record<string, string>;
    statistic?: string;
    extendedStatistic?: string;
    /** The period; a metric math alarm has one per query instead. */
    period?: number;
    evaluationPeriods: number;
    threshold: number;
    comparisonOperator: string;
    treatMissingData: string;
    source: string;
}

// Datomic's metric dimensions are "your system name and your compute stack name" (names unconfirmed).
const datomic = { SystemName: "acme-prod", ComputeGroup: "acme-prod-compute" };
const sumAtLeast = (threshold: number, evaluationPeriods = 1) => ({
    statistic: "Sum",
    period: 300,
    evaluationPeriods,
    threshold,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
});

const EXPECTED: ExpectedAlarm[] = [
    // Datomic's own alert count; no data when idle or with MetricsLevel none.
    {
        alarm: "datomic-alerts-primary",
        namespace: "DatomicCloud",
        metricName: "Alerts",
        dimensions: datomic,
        ...sumAtLeast(1),
        source: DATOMIC_DOCS,
    },
    // The metric filter over datomic-<system> for "Alert - Alerts" publishes only on a match.
    {
        alarm: "log-alerts-system",
        namespace: "DatomicMonitoring",
        metricName: "acme-prod-LogAlerts",
        dimensions: {},
        ...sumAtLeast(1),
        source: DATOMIC_DOCS,
    },
    {
        alarm: "client-api-throttled-primary",
        namespace: "DatomicCloud",
        metricName: "HttpEndpointThrottled",
        dimensions: datomic,
        ...sumAtLeast(10),
        source: DATOMIC_DOCS,
    },
    {
        alarm: "ion-api-throttled-primary",
        namespace: "DatomicCloud",
        metricName: "HttpDirectThrottled",
        dimensions: datomic,
        ...sumAtLeast(10),
        source: DATOMIC_DOCS,
    },
    {
        alarm: "api5xx-primary-client-api",
        namespace: "AWS/ApiGateway",
        metricName: "5xx",
        dimensions: { ApiId: "q1w2e3r4t5" },
        ...sumAtLeast(5),
        source: HTTP_API_DOCS,
    },
    {
        alarm: "api5xx-primary-ion-api",
        namespace: "AWS/ApiGateway",
        metricName: "5xx",
        dimensions: { ApiId: "a1b2c3d4e5" },
        ...sumAtLeast(5),
        source: HTTP_API_DOCS,
    },
    {
        alarm: "api-latency-primary-ion-api",
        namespace: "AWS/ApiGateway",
        metricName: "Latency",
        dimensions: { ApiId: "a1b2c3d4e5" },
        extendedStatistic: "p99",
        period: 300,
        evaluationPeriods: 3,
        threshold: 5000,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        source: HTTP_API_DOCS,
    },
    {
        alarm: "api5xx-http-direct",
        namespace: "AWS/ApiGateway",
        metricName: "5XXError",
        dimensions: { ApiName: "orders-api", Stage: "api" },
        ...sumAtLeast(5),
        source: REST_API_DOCS,
    },
    {
        alarm: "api-latency-http-direct",
        namespace: "AWS/ApiGateway",
        metricName: "Latency",
        dimensions: { ApiName: "orders-api", Stage: "api" },
        extendedStatistic: "p99",
        period: 300,
        evaluationPeriods: 3,
        threshold: 5000,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        source: REST_API_DOCS,
    },
    {
        alarm: "lambda-errors-primary-order-count",
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: "acme-prod-compute-order-count" },
        ...sumAtLeast(1),
        source: LAMBDA_DOCS,
    },
    {
        alarm: "lambda-throttles-primary-order-count",
        namespace: "AWS/Lambda",
        metricName: "Throttles",
        dimensions: { FunctionName: "acme-prod-compute-order-count" },
        ...sumAtLeast(1),
        source: LAMBDA_DOCS,
    },
    {
        alarm: "dynamo-db-read-throttles-table",
        namespace: "AWS/DynamoDB",
        metricName: "ReadThrottleEvents",
        dimensions: { TableName: "datomic-acme-prod" },
        ...sumAtLeast(25, 2),
        source: DYNAMODB_DOCS,
    },
    {
        alarm: "dynamo-db-write-throttles-table",
        namespace: "AWS/DynamoDB",
        metricName: "WriteThrottleEvents",
        dimensions: { TableName: "datomic-acme-prod" },
        ...sumAtLeast(25, 2),
        source: DYNAMODB_DOCS,
    },
    // Metric math over Auto Scaling's group metrics (checked separately below): no data means collection is off.
    {
        alarm: "unhealthy-nodes-primary",
        evaluationPeriods: 10,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "missing",
        source: ASG_DOCS,
    },
];

const fullArgs: DatomicMonitoringArgs = {
    systemName: "acme-prod",
    groups: [
        {
            label: "primary",
            groupName: "acme-prod-compute",
            clientApiGatewayEndpoint: "https://q1w2e3r4t5.execute-api.us-east-1.amazonaws.com",
            ionApiGatewayEndpoint: "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
            ionLambdaNames: ["order-count"],
        },
    ],
    restApis: [{ label: "http-direct", apiName: "orders-api", stageName: "api" }],
    emailSubscriptions: ["oncall@acme.com"],
    httpsSubscriptions: ["https://events.example.com/integration/0123456789abcdef/enqueue"],
};

function world(autoScalingGroups = ["acme-prod-compute-AutoScalingGroup-1A2B3C"]) {
    resetWorld(recorder, {
        fixtures: { lookups: [{ function: GROUPS_BY_TAG, result: { id: TEST_REGION, names: autoScalingGroups } }] },
    });
}

async function settled(monitoring: DatomicMonitoring) {
    const values = await valueOf(
        pulumi.output({
            alarmTopicArn: monitoring.alarmTopicArn,
            alarmNames: monitoring.alarmNames,
            dashboardName: monitoring.dashboardName,
            dashboardUrl: monitoring.dashboardUrl,
            datomicDashboardNames: monitoring.datomicDashboardNames,
            datomicDashboardUrls: monitoring.datomicDashboardUrls,
        }),
    );
    await recorder.settle();
    return values;
}

describe("DatomicMonitoring", () => {
    test("creates every alarm with the metric, dimensions, statistic, threshold and missing-data rule of its source", async () => {
        world();
        const outputs = await settled(new DatomicMonitoring("mon", fullArgs));
        expect(recorder.failures).toEqual([]);

        const alarms = recorder.ofType(ALARM);
        expect(alarms.map((a) => a.name).sort()).toEqual(EXPECTED.map((e) => `mon-${e.alarm}`).sort());
        const topicArn = recorder.get(TOPIC, "mon-alarms").outputs.arn;
        for (const { alarm, source, ...rule } of EXPECTED) {
            const { inputs } = recorder.get(ALARM, `mon-${alarm}`);
            expect({ source, ...inputs }).toMatchObject({ source, ...rule, name: `mon-${alarm}` });
            // A percentile alarm carries no plain statistic, and the other way round.
            expect(inputs.statistic === undefined).toBe(rule.statistic === undefined);
            expect(inputs.period === undefined).toBe(rule.period === undefined);
            expect(inputs).toMatchObject({ alarmActions: [topicArn], okActions: [topicArn] });
            expect(inputs.alarmDescription).toMatch(/First check: /);
        }
        expect(outputs.alarmNames.sort()).toEqual(EXPECTED.map((e) => `mon-${e.alarm}`).sort());
    });

    test("the nodes alarm is desired capacity minus in-service instances of the group found by its stack tag", async () => {
        world();
        await settled(
            new DatomicMonitoring("mon", {
                systemName: "acme-prod",
                groups: [{ label: "primary", groupName: "acme-prod-compute" }],
            }),
        );
        expect(recorder.callsTo(GROUPS_BY_TAG)[0].inputs).toMatchObject({
            filters: [{ name: "tag:aws:cloudformation:stack-name", values: ["acme-prod-compute"] }],
        });
        const group = { AutoScalingGroupName: "acme-prod-compute-AutoScalingGroup-1A2B3C" };
        expect(recorder.get(ALARM, "mon-unhealthy-nodes-primary").inputs.metricQueries).toEqual([
            {
                id: "desired",
                metric: {
                    namespace: "AWS/AutoScaling",
                    metricName: "GroupDesiredCapacity",
                    dimensions: group,
                    period: 60,
                    stat: "Maximum",
                },
                returnData: false,
            },
            {
                id: "inservice",
                metric: {
                    namespace: "AWS/AutoScaling",
                    metricName: "GroupInServiceInstances",
                    dimensions: group,
                    period: 60,
                    stat: "Minimum",
                },
                returnData: false,
            },
            {
                id: "missing",
                expression: "desired - inservice",
                label: "Nodes short of the desired capacity",
                returnData: true,
            },
        ]);
    });

    test("the log alerts filter reads Datomic's log group with Datomic's alert search and no default value", async () => {
        world();
        await settled(new DatomicMonitoring("mon", { systemName: "acme-prod" }));
        expect(recorder.get(FILTER, "mon-log-alerts").inputs).toEqual({
            name: "acme-prod-datomic-alerts",
            logGroupName: "datomic-acme-prod",
            pattern: "Alert - Alerts",
            metricTransformation: { namespace: "DatomicMonitoring", name: "acme-prod-LogAlerts", value: "1" },
        });
    });

    test("email subscriptions are plain, HTTPS endpoints are secrets", async () => {
        world();
        await settled(new DatomicMonitoring("mon", fullArgs));
        const topicArn = recorder.get(TOPIC, "mon-alarms").outputs.arn;
        expect(recorder.get(SUBSCRIPTION, "mon-email-oncall-acme-com").inputs).toEqual({
            topic: topicArn,
            protocol: "email",
            endpoint: "oncall@acme.com",
        });
        const https = recorder.get(SUBSCRIPTION, "mon-https-0").inputs;
        expect(https).toMatchObject({ topic: topicArn, protocol: "https", endpointAutoConfirms: false });
        expect(https.endpoint).toBeInstanceOf(Secret);
        expect(JSON.stringify(recorder.resources)).not.toContain("0123456789abcdef/enqueue");
    });

    test("a given topic is used as is: no topic is created", async () => {
        world();
        const given = `arn:aws:sns:${TEST_REGION}:${TEST_ACCOUNT}:pagerduty`;
        const outputs = await settled(new DatomicMonitoring("mon", { systemName: "acme-prod", alarmTopicArn: given }));
        expect(recorder.ofType(TOPIC)).toEqual([]);
        expect(outputs.alarmTopicArn).toBe(given);
        expect(recorder.get(ALARM, "mon-log-alerts-system").inputs.alarmActions).toEqual([given]);
    });

    test("overrides change a threshold and periods, and turn an alarm off", async () => {
        world();
        await settled(
            new DatomicMonitoring("mon", {
                ...fullArgs,
                alarmOverrides: {
                    apiLatency: { threshold: 1500, evaluationPeriods: 2 },
                    lambdaThrottles: { enabled: false },
                },
            }),
        );
        expect(recorder.get(ALARM, "mon-api-latency-primary-ion-api").inputs).toMatchObject({
            threshold: 1500,
            evaluationPeriods: 2,
        });
        expect(recorder.get(ALARM, "mon-api-latency-http-direct").inputs).toMatchObject({
            threshold: 1500,
            evaluationPeriods: 2,
        });
        expect(recorder.ofType(ALARM).filter((a) => a.name.includes("lambda-throttles"))).toEqual([]);
    });

    test("a service stack watching only its query group leaves the system's alarms to the environment", async () => {
        world();
        await settled(
            new DatomicMonitoring("orders-mon", {
                systemName: "acme-prod",
                watchSystem: false,
                groups: [{ label: "orders", groupName: "orders", autoScalingGroupName: "orders-asg" }],
            }),
        );
        expect(recorder.ofType(FILTER)).toEqual([]);
        expect(
            recorder
                .ofType(ALARM)
                .map((a) => a.name)
                .sort(),
        ).toEqual([
            "orders-mon-client-api-throttled-orders",
            "orders-mon-datomic-alerts-orders",
            "orders-mon-unhealthy-nodes-orders",
        ]);
        // A given Auto Scaling group is not looked up.
        expect(recorder.callsTo(GROUPS_BY_TAG)).toEqual([]);
    });

    test("the dashboard graphs the group, its APIs and Lambdas, and links Datomic's own dashboard", async () => {
        world();
        const outputs = await settled(new DatomicMonitoring("mon", fullArgs));
        const body = JSON.parse(recorder.get(DASHBOARD, "mon-dashboard").inputs.dashboardBody as string) as {
            widgets: { type: string; properties: { alarms?: string[]; markdown?: string; metrics?: unknown[][] } }[];
        };
        const alarmWidget = body.widgets.find((w) => w.type === "alarm")!;
        expect(alarmWidget.properties.alarms).toHaveLength(EXPECTED.length);
        const metrics = body.widgets.flatMap((w) => w.properties.metrics ?? []);
        expect(metrics).toContainEqual(["AWS/Lambda", "Errors", "FunctionName", "acme-prod-compute-order-count"]);
        expect(metrics).toContainEqual(["AWS/ApiGateway", "5xx", "ApiId", "a1b2c3d4e5"]);
        expect(metrics).toContainEqual([
            "DatomicCloud",
            "Alerts",
            "SystemName",
            "acme-prod",
            "ComputeGroup",
            "acme-prod-compute",
        ]);
        expect(metrics).toContainEqual([
            "AWS/AutoScaling",
            "GroupInServiceInstances",
            "AutoScalingGroupName",
            "acme-prod-compute-AutoScalingGroup-1A2B3C",
            { stat: "Minimum" },
        ]);
        expect(outputs.datomicDashboardNames).toEqual(["datomic-acme-prod-compute-us-east-1"]);
        expect(outputs.datomicDashboardUrls).toEqual([
            "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=datomic-acme-prod-compute-us-east-1",
        ]);
        expect(body.widgets.find((w) => w.type === "text")!.properties.markdown).toContain(
            outputs.datomicDashboardUrls[0],
        );
        expect(outputs).toMatchObject({
            dashboardName: "mon",
            dashboardUrl:
                "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=mon",
        });
    });

    test("an update of deployed alarms keeps their names: nothing is replaced", async () => {
        resetWorld(recorder, {
            fixtures: { lookups: [{ function: GROUPS_BY_TAG, result: { id: TEST_REGION, names: ["asg-1"] } }] },
            existing: { [ALARM]: { "mon-datomic-alerts-primary": "mon-datomic-alerts-primary" } },
        });
        await settled(new DatomicMonitoring("mon", fullArgs));
        const alarm = recorder.get(ALARM, "mon-datomic-alerts-primary");
        expect(alarm.inputs.name).toBe("mon-datomic-alerts-primary");
        expect(alarm.outputs).toMatchObject({ name: "mon-datomic-alerts-primary" });
    });

    test("a group whose stack has no Auto Scaling group fails naming the argument", async () => {
        world([]);
        const errors = await captureRejections(async () => {
            new DatomicMonitoring("mon", {
                systemName: "acme-prod",
                groups: [{ label: "primary", groupName: "acme-prod-compute" }],
            });
            await recorder.settle();
        });
        expect(errors.map((e) => e.message).join("\n")).toMatch(
            /groups\[0\]\.groupName: no Auto Scaling group carries the tag/,
        );
    });

    test("a gateway endpoint that is missing or not an execute-api host fails naming the argument", async () => {
        world();
        const errors = await captureRejections(async () => {
            new DatomicMonitoring("mon", {
                systemName: "acme-prod",
                groups: [
                    {
                        label: "a",
                        groupName: "a",
                        autoScalingGroupName: "a",
                        ionApiGatewayEndpoint: pulumi.output(undefined),
                    },
                    {
                        label: "b",
                        groupName: "b",
                        autoScalingGroupName: "b",
                        clientApiGatewayEndpoint: pulumi.output("https://api.acme.com"),
                    },
                ],
            });
            await recorder.settle();
        });
        const text = errors.map((e) => e.message).join("\n");
        expect(text).toMatch(/groups\[0\]\.ionApiGatewayEndpoint: the group has no such output/);
        expect(text).toMatch(
            /groups\[1\]\.clientApiGatewayEndpoint: "https:\/\/api\.acme\.com" is not an API Gateway endpoint/,
        );
    });
});

describe("DatomicMonitoring refuses bad input at preview, naming each argument, all at once", () => {
    test("unknown alarms, thresholds of the wrong sign, bad periods, bad emails and labels", () => {
        world();
        let message = "";
        try {
            new DatomicMonitoring("mon", {
                systemName: "acme-prod",
                alarmOverrides: {
                    alerts: { threshold: 2 },
                    api5xx: { threshold: -5 },
                    apiLatency: { threshold: 0, evaluationPeriods: 500 },
                    lambdaErrors: { treshold: 3 } as never,
                },
                emailSubscriptions: ["ops@acme.com", "ops@acme", "ops acme.com"],
                httpsSubscriptions: ["http://hooks.example.com/T0KEN-value"],
                groups: [{ label: "primary group", groupName: "g" }],
            });
        } catch (e) {
            message = (e as Error).message;
        }
        const lines = message.split("\n");
        expect(lines).toEqual([
            expect.stringMatching(
                /^alarmOverrides\.alerts: not an alarm of DatomicMonitoring; expected one of datomicAlerts, logAlerts,/,
            ),
            "alarmOverrides.api5xx.threshold: -5 is not allowed; expected a number greater than 0 (the api5xx alarm fires at Sum >= threshold)",
            "alarmOverrides.apiLatency.threshold: 0 is not allowed; expected a number greater than 0 (the apiLatency alarm fires at p99 > threshold)",
            "alarmOverrides.apiLatency.evaluationPeriods: 500 is not allowed; expected a whole number from 1 to 288 (CloudWatch evaluates at most 24 hours)",
            "alarmOverrides.lambdaErrors.treshold: not a setting of an alarm; expected threshold, evaluationPeriods, enabled",
            'emailSubscriptions[1]: "ops@acme" is not an email address; expected name@domain.tld',
            'emailSubscriptions[2]: "ops acme.com" is not an email address; expected name@domain.tld',
            "httpsSubscriptions[0]: not an https:// URL (the value is not shown: it may carry a token)",
            'groups[0].label: "primary group" is not a label; expected 1 to 40 letters, digits and hyphens, such as primary or orders',
        ]);
        expect(message).not.toContain("T0KEN");
        expect(recorder.ofType(ALARM)).toEqual([]);
    });

    test("two targets with one label", () => {
        world();
        expect(
            () =>
                new DatomicMonitoring("mon", {
                    systemName: "acme-prod",
                    groups: [{ label: "orders", groupName: "orders" }],
                    restApis: [{ label: "orders", apiName: "orders-api", stageName: "api" }],
                }),
        ).toThrow("groups, restApis: the labels orders are used twice");
    });
});
