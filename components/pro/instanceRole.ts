/**
 * The IAM pieces the transactor and DatomicBackup's runs both make: an EC2 instance role with its
 * instance profile, and an inline policy on a role.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ec2AssumeRolePolicy, PolicyDocument } from "./policies";
import type { ComponentScope } from "./scope";

/**
 * An EC2 instance role named `roleName`, and its instance profile of the same name. With `keepName`, a role
 * that exists keeps the name it was created with when `roleName` changes (Pulumi's `ignoreChanges` uses the
 * state's value, and applies the program's only on create: pulumi.com/docs/iac/concepts/options/ignorechanges/),
 * so a new default name is not a replacement; the profile follows the role's actual name.
 */
export function createInstanceRole(
    scope: ComponentScope,
    resourceName: string,
    roleName: pulumi.Input<string>,
    { keepName = false }: { keepName?: boolean } = {},
): { role: aws.iam.Role; profile: aws.iam.InstanceProfile } {
    const role = new aws.iam.Role(
        `${resourceName}-role`,
        { name: roleName, assumeRolePolicy: JSON.stringify(ec2AssumeRolePolicy()), tags: scope.tags },
        { parent: scope.parent, ignoreChanges: keepName ? ["name"] : undefined },
    );
    const profile = new aws.iam.InstanceProfile(
        `${resourceName}-profile`,
        { name: role.name, role: role.name, tags: scope.tags },
        { parent: scope.parent },
    );
    return { role, profile };
}

/** An inline policy of `role`. */
export function createRolePolicy(
    scope: ComponentScope,
    resourceName: string,
    role: aws.iam.Role,
    policyName: pulumi.Input<string>,
    policy: pulumi.Output<PolicyDocument>,
): aws.iam.RolePolicy {
    return new aws.iam.RolePolicy(
        `${resourceName}-policy`,
        { role: role.name, name: policyName, policy: policy.apply((document) => JSON.stringify(document)) },
        { parent: scope.parent },
    );
}
