/**
 * Where a schema validation issue (zod's) points in the checked value, for messages that name the key the
 * user wrote and the value found there. Structural types: no schema library is imported.
 */

/** The part of a validation issue these helpers read. */
export interface ValidationIssue {
    path: readonly PropertyKey[];
    message: string;
}

/**
 * The issue's key as the user wrote it, after `prefix`: `prefix.a.b[0]` (or `a.b[0]` without one), and the
 * value found there in `root` (undefined when there is none).
 */
export function locateIssue(issue: ValidationIssue, root: unknown, prefix = ""): { key: string; value: unknown } {
    const key = issue.path.reduce<string>(
        (text, part) =>
            typeof part === "number" ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part),
        prefix,
    );
    const value = issue.path.reduce<unknown>(
        (node, part) =>
            node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[part] : undefined,
        root,
    );
    return { key, value };
}

/** The issue's message without zod's generic "Invalid input: " opening. */
export function issueMessage(issue: ValidationIssue): string {
    return issue.message.replace(/^Invalid input: /, "");
}
