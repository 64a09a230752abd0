/**
 * IAM policy documents of a Datomic Pro transactor and its peers, scoped as
 * `bin/datomic ensure-transactor` scoped them (Datomic's `datomic.iam`
 * policies, reproduced in docs.datomic.com/operation/storage.html "Manual
 * Setup" for DynamoDB): the transactor may do anything to its table, put
 * objects in the log bucket and publish metrics over TLS; peers may only read
 * the table. The one difference: statements name the table's own ARN, where
 * ensure-transactor wrote `arn:aws:dynamodb:*:<account>:table/<name>` (any region).
 */

/** One IAM policy statement. */
export interface PolicyStatement {
    Sid?: string;
    /** "Deny" is used by DatomicBackup's restore drill, to keep it off the live table. */
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource?: string | string[];
    Principal?: Record<string, string>;
    Condition?: Record<string, Record<string, string>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/** The inline policy names ensure-transactor gave each role, kept so existing policies can be imported. */
export const inlinePolicyNames = {
    transactorTable: (tableName: string) => `${tableName}-transactor`,
    transactorLogs: (bucketName: string) => `${bucketName}-transactor-logs`,
    transactorMetrics: "transactor-metrics",
    transactorLicenseKey: "transactor-license-key",
    transactorInstanceHealth: "transactor-instance-health",
    transactorSecretProperties: "transactor-secret-properties",
    transactorDownloadCredentials: "transactor-download-credentials",
    peerTable: (tableName: string) => `${tableName}-peer`,
} as const;

/** The DynamoDB actions a peer needs to read Datomic's storage. */
export const PEER_TABLE_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Scan", "dynamodb:Query"];

function document(...statements: PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}

/** Lets EC2 instances assume the role (both roles are instance roles). */
export function ec2AssumeRolePolicy(): PolicyDocument {
    return document({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole"] });
}

/** The transactor's full access to its table. */
export function transactorTablePolicy(tableArn: string): PolicyDocument {
    return document({ Effect: "Allow", Action: ["dynamodb:*"], Resource: tableArn });
}

/** The transactor's log rotation into the bucket. */
export function transactorLogsPolicy(bucketArn: string): PolicyDocument {
    return document({ Effect: "Allow", Action: ["s3:PutObject"], Resource: [bucketArn, `${bucketArn}/*`] });
}

/**
 * The transactor's CloudWatch metrics. `PutMetricDataBatch` is kept from
 * ensure-transactor's policy; IAM accepts it though no API uses it today.
 */
export function transactorMetricsPolicy(): PolicyDocument {
    return document({
        Effect: "Allow",
        Action: ["cloudwatch:PutMetricData", "cloudwatch:PutMetricDataBatch"],
        Resource: "*",
        Condition: { Bool: { "aws:SecureTransport": "true" } },
    });
}

/** Reading the license key from its SecureString parameter, and nothing else. */
export function licenseKeyParameterPolicy(parameterArn: string): PolicyDocument {
    return document({ Effect: "Allow", Action: ["ssm:GetParameter"], Resource: parameterArn });
}

/**
 * The health watcher's right to mark its own group's instances unhealthy, and nothing else
 * (`SetInstanceHealth` takes the group's ARN as its resource; the group's id is not known before it
 * exists, hence `*`).
 */
export function transactorInstanceHealthPolicy(groupArn: string): PolicyDocument {
    return document({ Effect: "Allow", Action: ["autoscaling:SetInstanceHealth"], Resource: groupArn });
}

/** Reading the secret properties' SecureString parameters, and nothing else. */
export function secretParametersPolicy(parameterArns: string[]): PolicyDocument {
    return document({ Effect: "Allow", Action: ["ssm:GetParameter"], Resource: parameterArns });
}

/** A peer's read-only access to the table. */
export function peerTablePolicy(tableArn: string): PolicyDocument {
    return document({ Effect: "Allow", Action: PEER_TABLE_ACTIONS, Resource: tableArn });
}

/** The ARN of the Auto Scaling group named `name`, whatever its id. */
export function autoScalingGroupArn(partition: string, region: string, accountId: string, name: string): string {
    return `arn:${partition}:autoscaling:${region}:${accountId}:autoScalingGroup:*:autoScalingGroupName/${name}`;
}

/** The ARN of an SSM parameter, whether its name starts with "/" or not. */
export function parameterArn(partition: string, region: string, accountId: string, name: string): string {
    return `arn:${partition}:ssm:${region}:${accountId}:parameter/${name.replace(/^\//, "")}`;
}
