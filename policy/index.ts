/**
 * The pulumi-datomic guardrail policy pack: `pulumi preview --policy-pack policy`.
 * The policies themselves are in policies.ts.
 */
import { PolicyPack } from "@pulumi/policy";
import { datomicPolicyPackArgs, POLICY_PACK_NAME } from "./policies";

new PolicyPack(POLICY_PACK_NAME, datomicPolicyPackArgs);
