/**
 * Fixture errors say what to write: a missing lookup prints an entry to paste with the fields the
 * components read; a missing fixture file (named with --fixtures, or the default one of a new service)
 * points at `datomic-plan fixtures`, the command that writes it from the environment stack.
 */
import * as path from "path";
import { MissingLookupError } from "../../plan/fixtures";
import { datomicPlanInProcess, REPO_ROOT } from "../support/program";
import { parse as parseYaml } from "yaml";

jest.setTimeout(60_000);

const NEW_SERVICE = path.join(__dirname, "new-service");

test("a missing getSubnet lookup prints an entry with the fields read, its match and id the call's own", () => {
    const message = new MissingLookupError(
        "aws:ec2/getSubnet:getSubnet",
        { id: "subnet-0c1" },
        "plan-fixtures/dev.yaml",
    ).message;
    const [sentence, ...entry] = message.split("\n");
    expect(sentence).toBe(
        'No fixture answers aws:ec2/getSubnet:getSubnet called with {"id":"subnet-0c1"}; add a "lookups" entry ' +
            "for it to plan-fixtures/dev.yaml, such as (replace the result's values with the real ones):",
    );
    // The entry is YAML to paste into the file as it is.
    expect(parseYaml(entry.join("\n"))).toEqual({
        lookups: [
            {
                function: "aws:ec2/getSubnet:getSubnet",
                match: { id: "subnet-0c1" },
                result: {
                    id: "subnet-0c1",
                    vpcId: "vpc-0123456789abcdef0",
                    cidrBlock: "10.0.0.0/20",
                    availabilityZoneId: "use1-az1",
                    tags: { Name: "<the subnet's Name tag>" },
                },
            },
        ],
    });
});

test("a function the components never call gets an entry whose result the program's reads fill in", () => {
    const message = new MissingLookupError(
        "aws:ec2/getAmi:getAmi under provider east (region us-east-1, account 111111111111)",
        { mostRecent: true },
        "f.yaml",
    ).message;
    expect(message).toContain("      - function: aws:ec2/getAmi:getAmi\n        match:\n          mostRecent: true\n");
    expect(message).toMatch(
        /result: \{\}\n {4}# result: the fields the program reads, named as in the function's result type in @pulumi\/aws$/,
    );
});

test("--fixtures naming a file that does not exist suggests datomic-plan fixtures, and exits 2", async () => {
    const result = await datomicPlanInProcess("--dir", NEW_SERVICE, "--stack", "dev", "--fixtures", "nowhere/dev.yaml");
    expect(result.code).toBe(2);
    const missing = path.join(REPO_ROOT, "nowhere", "dev.yaml");
    expect(result.stderr).toContain(`datomic-plan: cannot read the fixture file ${missing}: ENOENT`);
    expect(result.stderr).toContain(
        "; write a service's fixtures from its environment stack with pulumi stack output --json --stack " +
            "<organization>/<project>/<stack> > <stack>-outputs.json && npx datomic-plan fixtures --from " +
            `<stack>-outputs.json --stack <organization>/<project>/<stack> --out ${missing}, or give the right file to --fixtures`,
    );
});

test("a new service without its default fixture file is told the file is missing and the command that writes it", async () => {
    const result = await datomicPlanInProcess("--dir", NEW_SERVICE, "--stack", "dev");
    expect(result.code).toBe(1);
    const file = path.relative(REPO_ROOT, path.join(NEW_SERVICE, "plan-fixtures", "dev.yaml"));
    expect(result.stderr).toContain(
        `No fixture answers stack reference acme/datomic/dev called with {"name":"acme/datomic/dev"}; add the stack's ` +
            `outputs under "stackReferences" in ${file} (the file does not exist yet), or check the stack name. ` +
            "To write them from the stack itself: pulumi stack output --json --stack acme/datomic/dev > dev-outputs.json " +
            `&& npx datomic-plan fixtures --from dev-outputs.json --stack acme/datomic/dev --out ${file}`,
    );
});
