/**
 * DatomicSystemReference: a service program's typed view of an environment
 * stack, in place of `terraform_remote_state`.
 */
import * as pulumi from "@pulumi/pulumi";
import { ContractOutputName, DATOMIC_TOPOLOGIES } from "./contract";
import { contractValueProblem, DatomicContractReader } from "./contractReader";

/** Arguments of {@link DatomicSystemReference}. */
export interface DatomicSystemReferenceArgs {
    /** The environment stack, `<organization>/<project>/<stack>`, e.g. `acme/datomic/dev`. */
    stack: pulumi.Input<string>;
}

/**
 * Reads the environment stack contract through a `pulumi.StackReference`.
 * Every field is read with `requireOutput` when first used, so using an output the
 * environment does not export fails with a message naming the output and the
 * stack (for example `endpointServiceName` of an alb system, or `peerRoleArn`
 * of a Datomic Cloud environment).
 *
 * @example
 * ```ts
 * const datomic = new DatomicSystemReference("datomic", { stack: "acme/datomic/dev" });
 * new aws.lambda.Function("api", {
 *     // ...
 *     environment: { variables: datomic.clientEnvironment("orders") },
 * });
 * ```
 */
export class DatomicSystemReference extends DatomicContractReader {
    /** The underlying stack reference. */
    public readonly stackReference: pulumi.StackReference;

    constructor(name: string, args: DatomicSystemReferenceArgs, opts?: pulumi.CustomResourceOptions) {
        super();
        const stack: unknown = args?.stack;
        // Without a name, pulumi.StackReference reads the stack named after the resource (its `name`
        // argument): "datomic" for `new DatomicSystemReference("datomic", {})`, a stack that is not the
        // environment (@pulumi/pulumi stackReference.js: `const stackReferenceName = args.name || name`).
        if (stack === undefined || stack === null) {
            throw new Error(
                'stack: is required; give the environment stack as "<organization>/<project>/<stack>", such as "acme/datomic/dev"',
            );
        }
        if (stack === "") {
            throw new Error('stack: is empty; give the environment stack as "<organization>/<project>/<stack>"');
        }
        this.stackReference = new pulumi.StackReference(name, { name: args.stack }, opts);
    }

    /**
     * The environment's topology as a plain value, for a program that builds different resources on each:
     * read from the stack reference's output details while the program runs, at preview too (stack
     * references are read, not created, so their outputs are known). Await it in an async entry point
     * (`export = async () => { ... }`, which Pulumi runs and whose result becomes the stack's outputs).
     * Fails naming the stack when its topology is missing or is not `"nlb"` or `"alb"` (a pro environment).
     *
     * @example
     * ```ts
     * export = async () => {
     *     const datomic = new DatomicSystemReference("datomic", { stack: "acme/datomic/dev" });
     *     const topology = await datomic.topologyValue();
     *     return { topology };
     * };
     * ```
     */
    public async topologyValue(): Promise<"nlb" | "alb"> {
        const details = await this.stackReference.getOutputDetails("topology");
        const value = details.value ?? details.secretValue;
        if (!(DATOMIC_TOPOLOGIES as readonly unknown[]).includes(value)) {
            const stack = await outputValue(this.stackReference.name);
            throw new Error(
                `Output 'topology' of stack '${stack}' is ${JSON.stringify(value) ?? "missing"}, not "nlb" or "alb": ` +
                    "a Datomic Cloud environment exports its topology",
            );
        }
        return value as "nlb" | "alb";
    }

    /**
     * Reads an output with `requireOutput`, whose failure names the output and the stack, and checks
     * its shape (a list where the contract has a list, non-empty strings), failing likewise.
     */
    protected readOutput(name: ContractOutputName): pulumi.Output<unknown> {
        return pulumi
            .all([this.stackReference.name, this.stackReference.requireOutput(name)])
            .apply(([stack, value]) => {
                const problem = contractValueProblem(name, value);
                if (problem) {
                    throw new Error(`Output '${name}' of stack '${stack}' ${problem}.`);
                }
                return value;
            });
    }
}

/** The value of an output that is known while the program runs (a stack reference's name). */
function outputValue<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}
