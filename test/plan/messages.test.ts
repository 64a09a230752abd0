/**
 * No error message the plan can print is cut off mid-sentence. Every message text in the code a plan runs
 * (components, the environment program, plan/ and cli/) is collected from the sources: the message of each
 * `new ...Error(...)` (and the ion release's ReleaseStop), each argument `check(...)` reports, each problem
 * pushed onto a list, and each string a `...Problem()` function returns. Where the text ends in words of its
 * own (not in an interpolated value), it must not end in a word or mark that needs more to follow.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { REPO_ROOT } from "../support/program";

const ROOTS = ["components", "environment", "plan", "cli"];

/**
 * Words and marks a sentence does not end with ("to" may: "the region the stack deploys to"). The subnet
 * zone check once ended "the VPC endpoint's subnets must be".
 */
const DANGLING =
    /(?:^|\s)(?:a|an|the|of|in|on|for|with|and|or|but|must|be|is|are|than|by|from|as|at|that|which|should|can|will|its|their|your|not)$|[,;:(-]$/i;

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return sourceFiles(full);
        }
        return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
    });
}

/** The texts a message expression can end with; undefined where it ends in an interpolated value. */
function endings(expression: ts.Expression): (string | undefined)[] {
    if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) {
        return [expression.text];
    }
    if (ts.isTemplateExpression(expression)) {
        return [expression.templateSpans[expression.templateSpans.length - 1].literal.text || undefined];
    }
    if (ts.isParenthesizedExpression(expression)) {
        return endings(expression.expression);
    }
    if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        return endings(expression.right);
    }
    if (ts.isConditionalExpression(expression)) {
        return [...endings(expression.whenTrue), ...endings(expression.whenFalse)];
    }
    return [undefined];
}

function isMessageLike(expression: ts.Expression | undefined): expression is ts.Expression {
    return endings(expression ?? ts.factory.createNull()).some((ending) => ending !== undefined);
}

interface Message {
    where: string;
    ending: string;
}

function messagesOf(file: string): Message[] {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const found: Message[] = [];
    const add = (expression: ts.Expression | undefined) => {
        if (!isMessageLike(expression)) {
            return;
        }
        const line = source.getLineAndCharacterOfPosition(expression.getStart()).line + 1;
        for (const ending of endings(expression)) {
            if (ending !== undefined && ending.trim() !== "") {
                found.push({ where: `${path.relative(REPO_ROOT, file)}:${line}`, ending: ending.trimEnd() });
            }
        }
    };
    const visit = (node: ts.Node, inProblemFunction: boolean) => {
        if (ts.isNewExpression(node) && /Error$|^ReleaseStop$/.test(node.expression.getText())) {
            (node.arguments ?? []).forEach(add);
        }
        if (ts.isCallExpression(node)) {
            const callee = node.expression.getText();
            if (callee === "check" || /(^|\.)problems\.push$|^problems\.push$/.test(callee)) {
                node.arguments.forEach(add);
            }
        }
        if (inProblemFunction && ts.isReturnStatement(node)) {
            add(node.expression);
        }
        const named = (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name?.getText();
        const problemFunction = named ? /Problem$/.test(named) : inProblemFunction;
        ts.forEachChild(node, (child) => visit(child, problemFunction));
    };
    visit(source, false);
    return found;
}

const messages = ROOTS.flatMap((root) => sourceFiles(path.join(REPO_ROOT, root))).flatMap(messagesOf);

test("the scan finds the messages (a scan that finds nothing proves nothing)", () => {
    expect(messages.length).toBeGreaterThan(200);
    // One known message of each kind.
    expect(messages.map((m) => m.ending)).toEqual(
        expect.arrayContaining([
            'is required when adopting a system; set "nlb", "alb" or "solo"',
            "is empty; give the Datomic system's name",
        ]),
    );
});

test("every message that ends in its own words ends as a sentence", () => {
    const cut = messages.filter((message) => DANGLING.test(message.ending));
    expect(cut.map((message) => `${message.where}: ...${message.ending.slice(-60)}`)).toEqual([]);
});
