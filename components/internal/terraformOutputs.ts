/**
 * Reading the environment stack contract out of the outputs of the Terraform setup this package
 * replaces (jdhollis/datomic-service, read by services through `terraform_remote_state`).
 *
 * That module exported snake_case outputs, each a map from environment (`dev`, `stage`, `prod`) to
 * the value, and services indexed them: `outputs.system_name[var.env]`. A single-environment state
 * holds plain values instead; both are read here.
 */
import { CONTRACT_LIST_OUTPUTS, CONTRACT_OUTPUT_NAMES, ContractOutputName } from "../contract";

/**
 * The Terraform output each contract output is read from by default: the snake_case spelling of the
 * contract name, except where jdhollis/datomic-service named it otherwise (`route_table_id`, a single
 * route table, and `load_balancer_http_direct_endpoint`). Outputs that module did not have
 * (`flavor`, `topology`, `region`, `accountId`, `vpcCidrBlock`, ...) keep the snake_case default, so a
 * state that adds them is read without configuration.
 */
export const DEFAULT_TERRAFORM_OUTPUT_NAMES: Readonly<Record<ContractOutputName, string>> = {
    ...(Object.fromEntries(CONTRACT_OUTPUT_NAMES.map((name) => [name, snakeCase(name)])) as Record<
        ContractOutputName,
        string
    >),
    routeTableIds: "route_table_id",
    httpDirectEndpoint: "load_balancer_http_direct_endpoint",
};

/** Outputs of jdhollis/datomic-service the contract has no place for, and why. */
export const UNMAPPED_TERRAFORM_OUTPUTS: Readonly<Record<string, string>> = {
    deploy_state_machine_arn:
        "ion deploys go through ion-dev (IonDeployment, datomic-ion-release), which finds the state machine itself",
};

function snakeCase(name: string): string {
    return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** Where the values are read from, for messages: e.g. `s3://acme-tfstate/datomic/terraform.tfstate`. */
export interface TerraformStateSource {
    description: string;
    /** The key into environment-keyed map outputs, when given. */
    environment?: string;
}

/** The result of reading one contract output: its value, or why it cannot be read. */
export type ContractValueResult = { value: string | string[] } | { problem: string };

/**
 * Reads contract output `name` from Terraform `outputs`, under Terraform output `terraformName`.
 * A map output is indexed by `source.environment`; a list contract output accepts a single string (as
 * `route_table_id` was); a value of the wrong shape is a problem that names the output and the state.
 */
export function contractValue(
    name: ContractOutputName,
    terraformName: string,
    outputs: Record<string, unknown>,
    source: TerraformStateSource,
): ContractValueResult {
    const where = `the Terraform state ${source.description}`;
    let value = outputs[terraformName];
    if (value === undefined || value === null) {
        const present = Object.keys(outputs).sort();
        return {
            problem:
                `${name}: ${where} has no output "${terraformName}" (its outputs: ${present.join(", ") || "none"}); ` +
                `name the output with outputNames.${name}, or give the value in fixedOutputs.${name}`,
        };
    }
    if (isMap(value)) {
        if (source.environment === undefined) {
            return {
                problem:
                    `${name}: output "${terraformName}" of ${where} is a map by environment ` +
                    `(${Object.keys(value).sort().join(", ")}); set environment to one of its keys`,
            };
        }
        if (!(source.environment in value)) {
            return {
                problem:
                    `${name}: output "${terraformName}" of ${where} has no entry for environment ` +
                    `"${source.environment}" (it has ${Object.keys(value).sort().join(", ")})`,
            };
        }
        value = value[source.environment];
    }
    const list = CONTRACT_LIST_OUTPUTS.has(name);
    if (list && typeof value === "string") {
        return { value: [value] };
    }
    if (list && Array.isArray(value) && value.every((item) => typeof item === "string")) {
        return { value: value as string[] };
    }
    if (!list && typeof value === "string") {
        return { value };
    }
    return {
        problem: `${name}: output "${terraformName}" of ${where} is ${JSON.stringify(value)}, not ${list ? "a list of strings" : "a string"}`,
    };
}

function isMap(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}
