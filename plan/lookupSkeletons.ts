/**
 * What to write for a lookup no fixture answers: a fixture entry to paste, its `match` the call's own
 * inputs and its `result` the fields pulumi-datomic's components read from that function (with values of
 * the right shape to replace). Functions the components do not call get an empty result to fill in with
 * the fields the program reads, named as in the function's result type in @pulumi/aws.
 */
import { stringify } from "yaml";

/** Result fields the components read, by function token, with example values of the right shape. */
const RESULT_FIELDS: Record<string, Record<string, unknown>> = {
    "aws:cloudformation/getStack:getStack": {
        outputs: { "<OutputKey>": "<value, as aws cloudformation describe-stacks prints it>" },
        parameters: { "<ParameterKey>": "<value>" },
    },
    "aws:ec2/getSubnet:getSubnet": {
        id: "subnet-0123456789abcdef0",
        vpcId: "vpc-0123456789abcdef0",
        cidrBlock: "10.0.0.0/20",
        availabilityZoneId: "use1-az1",
        tags: { Name: "<the subnet's Name tag>" },
    },
    "aws:ec2/getSubnets:getSubnets": { ids: ["subnet-0123456789abcdef0"] },
    "aws:ec2/getVpc:getVpc": { id: "vpc-0123456789abcdef0", cidrBlock: "10.0.0.0/16" },
    "aws:ec2/getVpcs:getVpcs": { ids: ["vpc-0123456789abcdef0"] },
    "aws:ec2/getRouteTables:getRouteTables": { ids: ["rtb-0123456789abcdef0"] },
    "aws:ec2/getSecurityGroup:getSecurityGroup": { id: "sg-0123456789abcdef0" },
    "aws:ec2/getSecurityGroups:getSecurityGroups": { ids: ["sg-0123456789abcdef0"] },
    "aws:route53/getZone:getZone": { zoneId: "Z0123456789ABCDEFGHIJ", name: "<the zone's name>" },
    "aws:ssm/getParameter:getParameter": { insecureValue: "<the parameter's value>" },
    "aws:dynamodb/getTable:getTable": {
        name: "<the table's name>",
        hashKey: "id",
        attributes: [{ name: "id", type: "S" }],
    },
    "aws:resourcegroupstaggingapi/getResources:getResources": {
        resourceTagMappingLists: [
            { resourceArn: "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/<name>/<id>" },
        ],
    },
};

/** The function token without what a message adds after it (` under provider ...`). */
function functionToken(token: string): string {
    return token.split(" ")[0];
}

/** A `lookups:` entry that answers the call, as YAML lines indented by `indent`. */
export function lookupSkeleton(token: string, inputs: Record<string, unknown>, indent = "    "): string {
    const fn = functionToken(token);
    // A field the call asked by (a subnet's id) is answered with the value it asked for.
    const result = Object.fromEntries(
        Object.entries(RESULT_FIELDS[fn] ?? {}).map(([field, example]) => [
            field,
            typeof inputs[field] === "string" ? inputs[field] : example,
        ]),
    );
    const entry = { function: fn, ...(Object.keys(inputs).length ? { match: inputs } : {}), result };
    const yaml = stringify({ lookups: [entry] }, { lineWidth: 0 }).trimEnd();
    const note = RESULT_FIELDS[fn]
        ? ""
        : `\n${indent}# result: the fields the program reads, named as in the function's result type in @pulumi/aws`;
    return yaml
        .split("\n")
        .map((line) => indent + line)
        .join("\n")
        .concat(note);
}

/** The commands that write a service's fixtures from the environment stack it references. */
export function fixturesCommand(stack: string, fixtureFile: string): string {
    const outputs = `${stack.split("/").pop() ?? "environment"}-outputs.json`;
    return (
        `pulumi stack output --json --stack ${stack} > ${outputs} && ` +
        `npx datomic-plan fixtures --from ${outputs} --stack ${stack} --out ${fixtureFile}`
    );
}
