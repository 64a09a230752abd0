/**
 * The daily orders report: a Lambda function in the service VPC that is a
 * Datomic client (client/, a Clojure handler built into a jar), run on a schedule.
 *
 * Datomic Cloud authorizes clients through S3 read permissions on the system's
 * bucket: read-write access to one database is `s3:GetObject` on
 * `<S3DatomicArn>/<system>/datomic/access/dbs/db/<database>/*`
 * (docs.datomic.com/operation/access-control.html). The bucket is in the Datomic
 * account, so a function in another account assumes a role there for it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceConfig } from "./config";
import type { DatomicEnvironment } from "./environment";

/** The jar `clojure -T:build uber` writes in client/ (`npm run build:report`); build it before `pulumi up`. */
export const REPORT_JAR = "client/target/orders-report.jar";

export interface ReportFunctionArgs {
    environment: DatomicEnvironment;
    network: NonNullable<ServiceConfig["network"]>;
    databaseName: string;
    securityGroup: aws.ec2.SecurityGroup;
    /** `DATOMIC_ENDPOINT`, `DATOMIC_SYSTEM_NAME`, `DATOMIC_REGION`, `DATOMIC_DATABASE_NAME`. */
    clientEnvironment: Record<string, pulumi.Output<string>>;
    schedule: string;
    datomicAccount?: aws.Provider;
}

export function createReportFunction(name: string, args: ReportFunctionArgs): aws.lambda.Function {
    const { datomic } = args.environment;
    const role = new aws.iam.Role(`${name}-report`, {
        description: `The ${name} report function`,
        assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }),
    });
    new aws.iam.RolePolicyAttachment(`${name}-report-vpc`, {
        role: role.name,
        policyArn: aws.iam.ManagedPolicy.AWSLambdaVPCAccessExecutionRole,
    });
    const databaseAccess: aws.iam.PolicyStatement = {
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: [
            pulumi.interpolate`${datomic.storageArn}/${datomic.systemName}/datomic/access/dbs/db/${args.databaseName}/*`,
        ],
    };

    const variables: Record<string, pulumi.Input<string>> = { ...args.clientEnvironment };
    if (args.datomicAccount === undefined) {
        new aws.iam.RolePolicy(`${name}-report-datomic`, {
            role: role.name,
            policy: { Version: "2012-10-17", Statement: [databaseAccess] },
        });
    } else {
        const access = new aws.iam.Role(
            `${name}-report-datomic`,
            {
                description: `Datomic database access of the ${name} report function in another account`,
                assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ AWS: role.arn }),
                inlinePolicies: [
                    {
                        name: "datomic-database",
                        policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [databaseAccess] }),
                    },
                ],
            },
            { provider: args.datomicAccount },
        );
        new aws.iam.RolePolicy(`${name}-report-assume`, {
            role: role.name,
            policy: {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: ["sts:AssumeRole"], Resource: [access.arn] }],
            },
        });
        variables.DATOMIC_ACCESS_ROLE_ARN = access.arn;
    }

    const logs = new aws.cloudwatch.LogGroup(`${name}-report`, { retentionInDays: 30 });
    const report = new aws.lambda.Function(`${name}-report`, {
        description: "Daily orders report, read from Datomic",
        runtime: aws.lambda.Runtime.Java21,
        handler: "acme.orders.Report::handleRequest",
        code: new pulumi.asset.FileArchive(REPORT_JAR),
        role: role.arn,
        memorySize: 1024,
        timeout: 120,
        loggingConfig: { logFormat: "Text", logGroup: logs.name },
        vpcConfig: { subnetIds: args.network.subnetIds, securityGroupIds: [args.securityGroup.id] },
        environment: { variables },
    });

    const schedule = new aws.cloudwatch.EventRule(`${name}-report`, {
        description: `Runs the ${name} report`,
        scheduleExpression: args.schedule,
    });
    new aws.cloudwatch.EventTarget(`${name}-report`, { rule: schedule.name, arn: report.arn });
    new aws.lambda.Permission(`${name}-report`, {
        action: "lambda:InvokeFunction",
        function: report.name,
        principal: "events.amazonaws.com",
        sourceArn: schedule.arn,
    });
    return report;
}
