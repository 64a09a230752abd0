/**
 * The shape of an EC2 instance type, shared by the Cloud and Pro families: `family.size`, such as
 * `t3.large`, `m6i.2xlarge` or `u-6tb1.metal` (docs.aws.amazon.com/ec2/latest/instancetypes/instance-type-names.html:
 * "the instance family ... followed by a period and then the instance size").
 */

/** Checks an EC2 instance type's `family.size` shape (`t3.large`, `m5d.2xlarge`). Returns the problem, if any. */
export function instanceTypeProblem(value: string): string | undefined {
    return /^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(value)
        ? undefined
        : `"${value}" is not an EC2 instance type (family.size, such as t3.large or i3.xlarge)`;
}
