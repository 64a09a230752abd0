/**
 * Where alarms go: the SNS topic given, or one created, with the email and HTTPS subscriptions asked for.
 *
 * Email and HTTPS subscriptions stay "pending confirmation" until the recipient confirms, and SNS cannot
 * delete a pending subscription; it drops unconfirmed ones after 48 hours
 * (docs.aws.amazon.com/sns/latest/dg/sns-delete-subscription-topic.html). The AWS provider supports both
 * protocols in `aws_sns_topic_subscription` (hashicorp/terraform-provider-aws #14923).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { nameFragment } from "../../internal/naming";
import type { DatomicMonitoringArgs } from "./args";
import { httpsSubscriptionProblem } from "./settings";

/** The topic's ARN, after creating the topic (when none is given) and the subscriptions. */
export function alarmTopic(
    { name, parent, tags }: { name: string; parent: pulumi.Resource; tags: Record<string, pulumi.Input<string>> },
    args: DatomicMonitoringArgs,
): pulumi.Output<string> {
    const topicArn =
        args.alarmTopicArn !== undefined
            ? pulumi.output(args.alarmTopicArn)
            : new aws.sns.Topic(`${name}-alarms`, { name: `${name}-alarms`, tags }, { parent }).arn;
    for (const email of args.emailSubscriptions ?? []) {
        new aws.sns.TopicSubscription(
            `${name}-email-${nameFragment(email)}`,
            { topic: topicArn, protocol: "email", endpoint: email },
            { parent },
        );
    }
    (args.httpsSubscriptions ?? []).forEach((endpoint, i) => {
        // Checked once known; the value itself never reaches a message, a log line or the state in clear.
        const checked = pulumi.secret(
            pulumi.output(endpoint).apply((url) => {
                const problem = httpsSubscriptionProblem(i, url);
                if (problem) {
                    throw new pulumi.ResourceError(problem, parent);
                }
                return url;
            }),
        );
        new aws.sns.TopicSubscription(
            `${name}-https-${i}`,
            { topic: topicArn, protocol: "https", endpoint: checked, endpointAutoConfirms: false },
            { parent },
        );
    });
    return topicArn;
}
