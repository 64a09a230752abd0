/**
 * IAM of the transactor and its peers, as `ensure-transactor` made it: one role and one instance
 * profile of the same name each, with the inline policies of policies.ts, plus a managed peer policy
 * for application roles that already exist.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
    autoScalingGroupArn,
    inlinePolicyNames,
    licenseKeyParameterPolicy,
    parameterArn,
    peerTablePolicy,
    secretParametersPolicy,
    transactorLogsPolicy,
    transactorInstanceHealthPolicy,
    transactorMetricsPolicy,
    transactorTablePolicy,
} from "../policies";
import { createInstanceRole, createRolePolicy } from "../instanceRole";
import type { ComponentScope } from "../scope";
import type { TransactorIamNames } from "./iamNames";
import type { TransactorSettings } from "./settings";

/** Where the transactor's and peers' policies point, and what the roles and the policy are named. */
export interface TransactorIamTargets {
    /** The names in the deployment's region (iamNames.ts). */
    names: pulumi.Output<TransactorIamNames>;
    table: aws.dynamodb.Table;
    bucket?: aws.s3.Bucket;
    licenseKeyParameterName?: string;
    partition: pulumi.Output<string>;
    region: pulumi.Output<string>;
    accountId: pulumi.Output<string>;
}

/** The transactor and peer roles, their policies and the managed peer policy. */
export interface TransactorIam {
    transactorRole: aws.iam.Role;
    transactorProfile: aws.iam.InstanceProfile;
    /** The transactor's inline policies: instances must boot with them in place. */
    transactorPolicies: aws.iam.RolePolicy[];
    peerRole: aws.iam.Role;
    peerProfile: aws.iam.InstanceProfile;
    peerPolicy: aws.iam.Policy;
}

/** Creates both roles with the policies ensure-transactor gave them. */
export function createTransactorIam(
    scope: ComponentScope,
    settings: TransactorSettings,
    targets: TransactorIamTargets,
): TransactorIam {
    const { name } = scope;
    const { names, table, bucket, licenseKeyParameterName } = targets;
    // A defaulted name keeps what the role was created with: roles made under the region-less default of
    // 0.1 (`<system>-transactor`) are not replaced; an explicit name is applied as given.
    const transactor = createInstanceRole(
        scope,
        `${name}-transactor`,
        names.apply((n) => n.transactorRole),
        { keepName: settings.roleNames.transactor === undefined },
    );
    const peer = createInstanceRole(
        scope,
        `${name}-peer`,
        names.apply((n) => n.peerRole),
        {
            keepName: settings.roleNames.peer === undefined,
        },
    );

    const transactorPolicies = [
        createRolePolicy(
            scope,
            `${name}-transactor-table`,
            transactor.role,
            inlinePolicyNames.transactorTable(settings.tableName),
            table.arn.apply(transactorTablePolicy),
        ),
    ];
    if (bucket) {
        transactorPolicies.push(
            createRolePolicy(
                scope,
                `${name}-transactor-logs`,
                transactor.role,
                bucket.bucket.apply(inlinePolicyNames.transactorLogs),
                bucket.arn.apply(transactorLogsPolicy),
            ),
        );
    }
    if (settings.cloudWatchMetrics) {
        transactorPolicies.push(
            createRolePolicy(
                scope,
                `${name}-transactor-metrics`,
                transactor.role,
                inlinePolicyNames.transactorMetrics,
                pulumi.output(transactorMetricsPolicy()),
            ),
        );
    }
    if (settings.download.credentialsParameterName !== undefined) {
        const credentials = settings.download.credentialsParameterName;
        transactorPolicies.push(
            createRolePolicy(
                scope,
                `${name}-transactor-download-credentials`,
                transactor.role,
                inlinePolicyNames.transactorDownloadCredentials,
                inTargetAccount(targets, (partition, region, account) =>
                    secretParametersPolicy([parameterArn(partition, region, account, credentials)]),
                ),
            ),
        );
    }
    if (licenseKeyParameterName !== undefined) {
        transactorPolicies.push(
            createRolePolicy(
                scope,
                `${name}-transactor-license-key`,
                transactor.role,
                inlinePolicyNames.transactorLicenseKey,
                inTargetAccount(targets, (partition, region, account) =>
                    licenseKeyParameterPolicy(parameterArn(partition, region, account, licenseKeyParameterName)),
                ),
            ),
        );
    }
    const secretParameterNames = Object.entries(settings.secretParameters)
        .filter(([key]) => key !== "license-key")
        .map(([, parameterName]) => parameterName);
    if (secretParameterNames.length > 0) {
        transactorPolicies.push(
            createRolePolicy(
                scope,
                `${name}-transactor-secret-properties`,
                transactor.role,
                inlinePolicyNames.transactorSecretProperties,
                inTargetAccount(targets, (partition, region, account) =>
                    secretParametersPolicy(
                        secretParameterNames.map((parameter) => parameterArn(partition, region, account, parameter)),
                    ),
                ),
            ),
        );
    }
    if (settings.healthCheckUrl !== undefined) {
        transactorPolicies.push(
            createRolePolicy(
                scope,
                `${name}-transactor-instance-health`,
                transactor.role,
                inlinePolicyNames.transactorInstanceHealth,
                inTargetAccount(targets, (partition, region, account) =>
                    transactorInstanceHealthPolicy(autoScalingGroupArn(partition, region, account, settings.groupName)),
                ),
            ),
        );
    }
    createRolePolicy(
        scope,
        `${name}-peer-table`,
        peer.role,
        inlinePolicyNames.peerTable(settings.tableName),
        table.arn.apply(peerTablePolicy),
    );
    const peerPolicy = new aws.iam.Policy(
        `${name}-peer-policy`,
        {
            name: names.apply((n) => n.peerPolicy),
            description: `Read access to the Datomic storage of ${settings.systemName}, for peer application roles`,
            policy: table.arn.apply((arn) => JSON.stringify(peerTablePolicy(arn))),
            tags: scope.tags,
        },
        // As for the roles: a policy created under the region-less default keeps its name.
        { parent: scope.parent, ignoreChanges: ["name"] },
    );
    return {
        transactorRole: transactor.role,
        transactorProfile: transactor.profile,
        transactorPolicies,
        peerRole: peer.role,
        peerProfile: peer.profile,
        peerPolicy,
    };
}

/** A policy built from ARNs in the transactor's partition, region and account. */
function inTargetAccount<T>(
    targets: TransactorIamTargets,
    build: (partition: string, region: string, account: string) => T,
): pulumi.Output<T> {
    return pulumi
        .all([targets.partition, targets.region, targets.accountId])
        .apply(([partition, region, account]) => build(partition, region, account));
}
