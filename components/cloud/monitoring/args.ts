/**
 * The arguments of DatomicMonitoring: what to watch (the system, its compute groups, the APIs in front of
 * them, ion Lambdas, Datomic's tables), where alarms go, and changes to the default alarm rules.
 */
import * as pulumi from "@pulumi/pulumi";

/** A Datomic Cloud compute group to watch: the primary compute group or a query group. */
export interface MonitoredComputeGroup {
    /** A short plain name for the group in resource, alarm and widget names, such as `primary` or `orders`. */
    label: string;
    /** The group's name, which is its stack's name (`DatomicCloudSystem.computeStackName`, `QueryGroup.stackName`). */
    groupName: pulumi.Input<string>;
    /**
     * The group's Auto Scaling group (`QueryGroup.autoScalingGroupName`). Omitted: looked up by the tag
     * `aws:cloudformation:stack-name` (no stack output names it), once `stackId` is known.
     */
    autoScalingGroupName?: pulumi.Input<string | undefined>;
    /**
     * The group's stack id, when the stack is created in the same program (`DatomicCloudSystem.computeStack.id`):
     * the Auto Scaling group lookup waits for it, so a new stack is looked up once it exists.
     */
    stackId?: pulumi.Input<string>;
    /**
     * The group's Client API gateway (stack output `ClientApiGatewayEndpoint`, alb releases): its 5XX answers are
     * watched. Omit on nlb releases, which have none.
     */
    clientApiGatewayEndpoint?: pulumi.Input<string | undefined>;
    /**
     * The group's ion API gateway (stack output `IonApiGatewayEndpoint`, alb releases), HTTP Direct's entry: its
     * 5XX answers and latency are watched.
     */
    ionApiGatewayEndpoint?: pulumi.Input<string | undefined>;
    /** The ion Lambdas deployed to the group, by their ion-config.edn `:lambdas` names (functions `<group>-<name>`). */
    ionLambdaNames?: string[];
    /** Watch the group's HTTP Direct throttling (`HttpDirectThrottled`). Default: whether it serves HTTP Direct. */
    httpDirect?: boolean;
}

/** A REST API in front of HTTP Direct on nlb releases (`HttpDirect`). */
export interface MonitoredRestApi {
    /** A short plain name for the API in resource and alarm names. */
    label: string;
    /** The REST API's name, CloudWatch's `ApiName` dimension (`HttpDirect`'s `apiName`, by default its component name). */
    apiName: pulumi.Input<string>;
    /** The stage (`HttpDirect.stageName`). */
    stageName: pulumi.Input<string>;
}

/** A change to one alarm's default rule (docs/monitoring.md lists every alarm and its defaults). */
export interface AlarmOverride {
    /** The threshold: a number greater than 0, in the alarm's unit (a count, or milliseconds for `apiLatency`). */
    threshold?: number;
    /** How many consecutive periods must breach before the alarm fires. */
    evaluationPeriods?: number;
    /** False to leave the alarm out. Default true. */
    enabled?: boolean;
}

/** Arguments of `DatomicMonitoring`. */
export interface DatomicMonitoringArgs {
    /** The Datomic system name (`DatomicCloudSystem.systemName`, `DatomicSystemReference.systemName`). */
    systemName: pulumi.Input<string>;
    /**
     * Watch the system as a whole: Datomic's log alerts (log group `datomic-<system>`) and throttling of its
     * DynamoDB tables. Default true; a service stack that watches only its query group sets false, so the
     * environment stack alone pages on the system.
     */
    watchSystem?: boolean;
    /** The compute groups to watch. */
    groups?: MonitoredComputeGroup[];
    /** REST APIs in front of HTTP Direct (nlb releases): their 5XX errors and latency are watched. */
    restApis?: MonitoredRestApi[];
    /** Datomic's DynamoDB tables, with `watchSystem`. Default `["datomic-<system>"]`. */
    dynamoDbTableNames?: pulumi.Input<string>[];
    /**
     * The dimension names of Datomic's own metrics (`Alerts`, `HttpEndpointThrottled`, `HttpDirectThrottled`),
     * which Datomic's docs describe but do not name. Default `SystemName` (*unconfirmed*).
     */
    datomicSystemDimension?: string;
    /** See `datomicSystemDimension`. Default `ComputeGroup` (*unconfirmed*). */
    datomicGroupDimension?: string;
    /** Changes to the default rules, by alarm (`datomicAlerts`, `api5xx`...). Unknown alarms are refused. */
    alarmOverrides?: Record<string, AlarmOverride>;
    /** An SNS topic for alarm actions. Omitted: the component creates one. */
    alarmTopicArn?: pulumi.Input<string>;
    /** Email addresses to subscribe to the topic; each must confirm the email SNS sends. */
    emailSubscriptions?: string[];
    /**
     * HTTPS endpoints to subscribe to the topic (an incident tool's webhook). They may carry a token: they are
     * stored as secrets and never printed.
     */
    httpsSubscriptions?: pulumi.Input<string>[];
    /** Create a CloudWatch dashboard of what is watched. Default true. */
    dashboard?: boolean;
    /** Tags for every resource created that takes tags. */
    tags?: Record<string, pulumi.Input<string>>;
}
