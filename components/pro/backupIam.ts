/**
 * DatomicBackup's IAM: one instance role and profile for the backup job and one for the restore
 * drill, each with a single inline policy (backupPolicies.ts) scoped to the live table, the bucket,
 * the log group and its own Auto Scaling group.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BackupPolicyTargets, IamPolicyDocument } from "./backupPolicies";
import { ec2AssumeRolePolicy } from "./policies";

/** A role its one-shot instances assume, with its policy in place before any instance boots. */
export interface RunRole {
    role: aws.iam.Role;
    profile: aws.iam.InstanceProfile;
    policy: aws.iam.RolePolicy;
}

/**
 * Creates the role `roleName` (and an instance profile of the same name) with the inline policy
 * `document(targets)`; `groupName` is the group its instances run in.
 */
export function createRunRole(
    parent: pulumi.Resource,
    resourceName: string,
    roleName: string,
    targets: pulumi.Output<Omit<BackupPolicyTargets, "groupName">>,
    groupName: string,
    document: (targets: BackupPolicyTargets) => IamPolicyDocument,
    tags: Record<string, pulumi.Input<string>>,
): RunRole {
    const role = new aws.iam.Role(
        `${resourceName}-role`,
        { name: roleName, assumeRolePolicy: JSON.stringify(ec2AssumeRolePolicy()), tags },
        { parent },
    );
    const profile = new aws.iam.InstanceProfile(
        `${resourceName}-profile`,
        { name: role.name, role: role.name, tags },
        { parent },
    );
    const policy = new aws.iam.RolePolicy(
        `${resourceName}-policy`,
        {
            role: role.name,
            name: roleName,
            policy: targets.apply((t) => JSON.stringify(document({ ...t, groupName }))),
        },
        { parent },
    );
    return { role, profile, policy };
}
