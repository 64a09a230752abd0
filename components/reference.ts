/**
 * DatomicSystemReference: a service program's typed view of an environment
 * stack, in place of `terraform_remote_state`.
 */
import * as pulumi from "@pulumi/pulumi";
import { ContractOutputName } from "./contract";
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

    /** Read from the stack reference's output details: plain values, known at preview too. */
    protected async plainValue(name: ContractOutputName): Promise<unknown> {
        const details = await this.stackReference.getOutputDetails(name);
        return details.value ?? details.secretValue;
    }

    /** `stack '<organization>/<project>/<stack>'`, as messages name it. */
    protected sourceName(): Promise<string> {
        return new Promise((resolve) => this.stackReference.name.apply((stack) => resolve(`stack '${stack}'`)));
    }

    /**
     * Reads an output with `requireOutput`, whose failure names the output and the stack, and checks
     * its shape (a list where the contract has a list, non-empty strings), failing likewise. A secret
     * output stays secret, and its value never appears in the message.
     */
    protected readOutput(name: ContractOutputName): pulumi.Output<unknown> {
        // requireOutput marks an output the environment keeps secret as secret, and so does everything
        // derived from it; its value is kept out of the message.
        const value = this.stackReference.requireOutput(name);
        return pulumi.all([this.stackReference.name, value, pulumi.isSecret(value)]).apply(([stack, value, secret]) => {
            const problem = contractValueProblem(name, value, secret);
            if (problem) {
                throw new Error(`Output '${name}' of stack '${stack}' ${problem}.`);
            }
            return value;
        });
    }
}
