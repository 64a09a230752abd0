/**
 * Fixtures from a real environment: `pulumi stack output --json` of an
 * environment stack becomes the `stackReferences` entry a service's plan needs,
 * so a new service plans without hand-written fixtures (`datomic-plan fixtures`).
 */
import { Document, parse as parseYaml } from "yaml";
import { LookupFixtures, parseFixtures } from "./fixtures";

/** What `pulumi stack output --json` prints for a secret output unless `--show-secrets` is given. */
export const SECRET_PLACEHOLDER = "[secret]";

/** Fixtures for a service, and the outputs left out because they are secret. */
export interface FixturesFromOutputs {
    fixtures: LookupFixtures;
    /** Outputs left out: secrets never go into a fixture file, which is committed. */
    skippedSecrets: string[];
}

/**
 * Parses `pulumi stack output --json` text. `source` names the file in messages. The stack name is the
 * one the service's program references (`<organization>/<project>/<stack>`).
 */
export function parseStackOutputs(text: string, source: string): Record<string, unknown> {
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch (e) {
        throw new Error(
            `${source} is not JSON (${(e as Error).message}); write it with: pulumi stack output --json --stack <stack> > ${source}`,
        );
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new Error(`${source} is not the output of pulumi stack output --json: expected a map of output names`);
    }
    return parsed as Record<string, unknown>;
}

/**
 * The service's fixtures with `stack`'s outputs under `stackReferences`: `existing` fixtures are kept
 * (other stacks, lookups), this stack's entry is replaced. The account id is the environment's
 * `accountId` output unless the fixtures already name one.
 */
export function fixturesFromOutputs(
    stack: string,
    outputs: Record<string, unknown>,
    existing: LookupFixtures = {},
): FixturesFromOutputs {
    if (!/^[^/\s]+\/[^/\s]+\/[^/\s]+$/.test(stack)) {
        throw new Error(
            `--stack: "${stack}" is not a fully qualified stack name; use <organization>/<project>/<stack>, as the service references it`,
        );
    }
    const skippedSecrets = Object.entries(outputs)
        .filter(([, value]) => containsSecret(value))
        .map(([name]) => name);
    const kept = Object.fromEntries(Object.entries(outputs).filter(([name]) => !skippedSecrets.includes(name)));
    const accountId = typeof outputs.accountId === "string" ? outputs.accountId : undefined;
    const fixtures: LookupFixtures = {
        ...((existing.accountId ?? accountId) ? { accountId: existing.accountId ?? accountId } : {}),
        ...(existing.lookups ? { lookups: existing.lookups } : {}),
        stackReferences: { ...existing.stackReferences, [stack]: kept },
    };
    // What is written must load back as fixtures.
    parseFixtures(fixtures, "the generated fixtures");
    return { fixtures, skippedSecrets };
}

/** The fixture file's text, with a comment saying where the stack's outputs came from. */
export function renderFixtureFile(
    fixtures: LookupFixtures,
    stack: string,
    source: string,
    existingText?: string,
): string {
    const document = existingText ? parseDocument(existingText) : new Document();
    document.contents = document.createNode(fixtures) as Document["contents"];
    if (!existingText) {
        document.commentBefore =
            ` Answers to the lookups of this service's plan (datomic-plan; format: docs/plan.md).\n` +
            ` stackReferences.${stack} was written by: datomic-plan fixtures --from ${source} --stack ${stack}`;
    }
    return document.toString({ lineWidth: 0 });
}

function parseDocument(text: string): Document {
    const document = new Document(parseYaml(text));
    const leading = text.match(/^(#.*\n)+/)?.[0];
    if (leading) {
        document.commentBefore = leading
            .trimEnd()
            .split("\n")
            .map((line) => line.replace(/^#/, ""))
            .join("\n");
    }
    return document;
}

function containsSecret(value: unknown): boolean {
    if (value === SECRET_PLACEHOLDER) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsSecret);
    }
    return value !== null && typeof value === "object" && Object.values(value).some(containsSecret);
}
