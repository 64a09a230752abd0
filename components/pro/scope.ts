/**
 * What every part of a Datomic Pro component is created in: the transactor's and DatomicBackup's
 * storage, IAM, network, compute and alarms.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The component's name, the component itself and the tags. */
export interface ComponentScope {
    /** The component's name; children's names start with it. */
    name: string;
    /** The component: every child's parent. */
    parent: pulumi.Resource;
    tags: Record<string, pulumi.Input<string>>;
}
