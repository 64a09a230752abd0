/** What every part of the transactor (storage, IAM, network, compute, alarms) is created in. */
import type * as pulumi from "@pulumi/pulumi";

/** The component's name, the component itself and the tags. */
export interface TransactorScope {
    /** The component's name; children's names start with it. */
    name: string;
    /** The component: every child's parent. */
    parent: pulumi.Resource;
    tags: Record<string, pulumi.Input<string>>;
}
