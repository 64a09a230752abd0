/**
 * Bad arguments of DatomicTransactor, collected so that one preview reports every one of them. Imports
 * nothing, so the argument checks (checks.ts, rollArgs.ts) and the arguments they check never form a cycle.
 */

/** One bad argument: its name as the user wrote it, and why its value cannot be used. */
export interface ArgumentProblem {
    readonly argument: string;
    readonly problem: string;
}

/** Bad arguments: the message has one `argument: problem` line per problem. */
export class TransactorArgumentError extends Error {
    constructor(public readonly problems: readonly ArgumentProblem[]) {
        super(problems.map(({ argument, problem }) => `${argument}: ${problem}`).join("\n"));
        this.name = "TransactorArgumentError";
    }
}

/** Collects the problems of every argument, so one preview reports them all. */
export class ArgumentProblems {
    private readonly found: ArgumentProblem[] = [];

    /** Records `problem` against `argument`, when there is one. */
    check(argument: string, problem: string | undefined): void {
        if (problem) {
            this.found.push({ argument, problem });
        }
    }

    /** Throws a {@link TransactorArgumentError} naming every problem found, if any. */
    throwIfAny(): void {
        if (this.found.length > 0) {
            throw new TransactorArgumentError(this.found);
        }
    }
}
