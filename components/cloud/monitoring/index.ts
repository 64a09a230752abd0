/** The monitoring family's public surface: DatomicMonitoring and its argument types. */
export { DatomicMonitoring } from "./monitoring";
export type { AlarmOverride, DatomicMonitoringArgs, MonitoredComputeGroup, MonitoredRestApi } from "./args";
export { ALARM_KEYS, ALARM_RULES, FIRST_CHECKS } from "./settings";
export type { AlarmKey, AlarmRule, MissingData } from "./settings";
