/**
 * DatomicMonitoring in a preview where the query group is new: its stack name is known but its outputs
 * (gateway endpoints), its Auto Scaling group and the HTTPS endpoint (a secret read from another stack) are
 * unknown, as on a first `pulumi preview` of a service. Every alarm must still be registered, with what only
 * depends on the arguments (metric, statistic, threshold, missing-data rule) known.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatomicMonitoring } from "../../../components/cloud/monitoring/monitoring";
import { UNKNOWN } from "../../../plan/recorded";
import { installMocks, resetWorld, valueOf } from "../../support/harness";

const recorder = installMocks(true);

const STACK = "aws:cloudformation/stack:Stack";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

test("a preview with a new query group registers every alarm, the subscriptions and the dashboard", async () => {
    resetWorld(recorder, { unknownAtPreview: { [STACK]: ["outputs", "id"] } });
    const stack = new aws.cloudformation.Stack("orders-stack", {
        name: "orders",
        templateUrl: "https://example.com/t.json",
    });
    const outputs = stack.outputs as pulumi.Output<Record<string, string>>;
    const monitoring = new DatomicMonitoring("orders-mon", {
        systemName: "acme-prod",
        watchSystem: false,
        groups: [
            {
                label: "orders",
                groupName: stack.name,
                stackId: stack.id,
                ionApiGatewayEndpoint: outputs.apply((o) => o.IonApiGatewayEndpoint),
                ionLambdaNames: ["order-count"],
            },
        ],
        httpsSubscriptions: [pulumi.secret(outputs.apply((o) => o.PagerDutyUrl))],
    });
    await valueOf(monitoring.alarmTopicArn);
    await recorder.settle();
    expect(recorder.failures).toEqual([]);

    const names = recorder.ofType(ALARM).map((alarm) => alarm.name);
    expect(names.sort()).toEqual(
        [
            "api-latency-orders-ion-api",
            "api5xx-orders-ion-api",
            "client-api-throttled-orders",
            "datomic-alerts-orders",
            "ion-api-throttled-orders",
            "lambda-errors-orders-order-count",
            "lambda-throttles-orders-order-count",
            "unhealthy-nodes-orders",
        ].map((suffix) => `orders-mon-${suffix}`),
    );
    // The stack's name is known at preview: Datomic's metrics and the Lambda's name are too.
    expect(recorder.get(ALARM, "orders-mon-datomic-alerts-orders").inputs).toMatchObject({
        namespace: "DatomicCloud",
        metricName: "Alerts",
        dimensions: { SystemName: "acme-prod", ComputeGroup: "orders" },
        statistic: "Sum",
        threshold: 1,
        treatMissingData: "notBreaching",
    });
    expect(recorder.get(ALARM, "orders-mon-lambda-errors-orders-order-count").inputs.dimensions).toEqual({
        FunctionName: "orders-order-count",
    });
    // The gateway's id and the Auto Scaling group wait for the stack.
    expect(recorder.get(ALARM, "orders-mon-api5xx-orders-ion-api").inputs).toMatchObject({
        metricName: "5xx",
        dimensions: { ApiId: UNKNOWN },
        threshold: 5,
    });
    const nodes = recorder.get(ALARM, "orders-mon-unhealthy-nodes-orders").inputs;
    expect(nodes).toMatchObject({ treatMissingData: "missing", threshold: 1, evaluationPeriods: 10 });
    expect(nodes.metricQueries).toMatchObject([
        {
            id: "desired",
            metric: { metricName: "GroupDesiredCapacity", dimensions: { AutoScalingGroupName: UNKNOWN } },
        },
        {
            id: "inservice",
            metric: { metricName: "GroupInServiceInstances", dimensions: { AutoScalingGroupName: UNKNOWN } },
        },
        { id: "missing", expression: "desired - inservice" },
    ]);
    expect(recorder.callsTo("aws:autoscaling/getAmiIds:getAmiIds")).toEqual([]);
    expect(recorder.get("aws:sns/topicSubscription:TopicSubscription", "orders-mon-https-0").inputs.endpoint).toBe(
        UNKNOWN,
    );
    expect(recorder.get("aws:cloudwatch/dashboard:Dashboard", "orders-mon-dashboard").inputs).toMatchObject({
        dashboardName: "orders-mon",
        dashboardBody: UNKNOWN,
    });
});

test("a preview of an update, the group's stack deployed: its Auto Scaling group is looked up at once", async () => {
    resetWorld(recorder, {
        fixtures: {
            lookups: [
                {
                    function: "aws:autoscaling/getAmiIds:getAmiIds",
                    match: { filters: [{ name: "tag:aws:cloudformation:stack-name", values: ["orders"] }] },
                    result: { id: "us-east-1", names: ["orders-AutoScalingGroup-1A2B3C"] },
                },
            ],
        },
        existing: { [STACK]: { "orders-stack": "arn:aws:cloudformation:us-east-1:111111111111:stack/orders/0a1b" } },
        unknownAtPreview: { [STACK]: ["outputs"] },
    });
    const stack = new aws.cloudformation.Stack("orders-stack", {
        name: "orders",
        templateUrl: "https://example.com/t.json",
    });
    const monitoring = new DatomicMonitoring("orders-mon", {
        systemName: "acme-prod",
        watchSystem: false,
        groups: [{ label: "orders", groupName: stack.name, stackId: stack.id }],
    });
    await valueOf(monitoring.alarmTopicArn);
    await recorder.settle();
    expect(recorder.failures).toEqual([]);
    const queries = recorder.get(ALARM, "orders-mon-unhealthy-nodes-orders").inputs.metricQueries as {
        metric?: { dimensions: Record<string, string> };
    }[];
    expect(queries[0].metric!.dimensions).toEqual({ AutoScalingGroupName: "orders-AutoScalingGroup-1A2B3C" });
    // Alarm names do not depend on anything unknown: an update never replaces them.
    expect(recorder.get(ALARM, "orders-mon-datomic-alerts-orders").inputs.name).toBe(
        "orders-mon-datomic-alerts-orders",
    );
});
