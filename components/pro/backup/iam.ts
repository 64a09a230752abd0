/**
 * DatomicBackup's IAM: one instance role and profile for the backup job and one for the restore
 * drill (made as the transactor's are, by iam.ts), each with a single inline policy
 * (policies.ts) scoped to the live table, the bucket, the log group and its own group.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BackupPolicyTargets } from "./policies";
import { createInstanceRole, createRolePolicy } from "../instanceRole";
import { PolicyDocument } from "../policies";
import type { ComponentScope } from "../scope";

/** A role its one-shot instances assume, with its policy in place before any instance boots. */
export interface RunRole {
    role: aws.iam.Role;
    profile: aws.iam.InstanceProfile;
    policy: aws.iam.RolePolicy;
}

/**
 * Creates the role `groupName` (and an instance profile of the same name) with the inline policy
 * `document(targets)` for instances of the Auto Scaling group `groupName`.
 */
export function createRunRole(
    scope: ComponentScope,
    resourceName: string,
    groupName: string,
    targets: pulumi.Output<Omit<BackupPolicyTargets, "groupName">>,
    document: (targets: BackupPolicyTargets) => PolicyDocument,
): RunRole {
    const { role, profile } = createInstanceRole(scope, resourceName, groupName);
    const policy = createRolePolicy(
        scope,
        resourceName,
        role,
        groupName,
        targets.apply((t) => document({ ...t, groupName })),
    );
    return { role, profile, policy };
}
