/**
 * Alarms and a dashboard for the service's query group: Datomic's alerts on the group, its nodes, its HTTP
 * entry (the group's ion API gateway on alb, our REST API on nlb) and its ion Lambdas. The environment stack
 * pages on the system itself (its log alerts and tables), so this stack watches only what it deployed.
 */
import * as aws from "@pulumi/aws";
import { DatomicMonitoring } from "pulumi-datomic";
import type { ServiceConfig } from "./config";
import type { DatomicEnvironment } from "./environment";
import type { IonService } from "./ions";

/** The ion-config.edn `:lambdas` names (ion/resources/datomic/ion-config.edn). */
export const ION_LAMBDAS = ["order-count"];

export function monitorIonService(
    name: string,
    service: IonService,
    environment: DatomicEnvironment,
    monitoring: NonNullable<ServiceConfig["monitoring"]>,
    datomicAccount?: aws.Provider,
): DatomicMonitoring {
    const { group, api } = service;
    // The group's metrics live in the Datomic account: so do its alarms.
    const inDatomicAccount = datomicAccount ? { provider: datomicAccount } : {};
    return new DatomicMonitoring(
        `${name}-monitoring`,
        {
            systemName: environment.datomic.systemName,
            watchSystem: false,
            groups: [
                {
                    label: name,
                    groupName: group.stackName,
                    autoScalingGroupName: group.autoScalingGroupName,
                    // alb: the group's own ion API gateway serves HTTP Direct.
                    ionApiGatewayEndpoint: environment.topology === "alb" ? group.ionApiGatewayEndpoint : undefined,
                    ionLambdaNames: ION_LAMBDAS,
                    httpDirect: true,
                },
            ],
            // nlb: our REST API in front of HTTP Direct.
            restApis: api ? [{ label: "api", apiName: api.apiName, stageName: api.stageName }] : [],
            emailSubscriptions: monitoring.emailSubscriptions,
            alarmOverrides: monitoring.alarmOverrides,
            tags: { service: name },
        },
        inDatomicAccount,
    );
}
