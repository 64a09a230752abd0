/**
 * The entry point of the plugin package: Pulumi's Node.js component provider host serves every
 * component class exported here, with a schema inferred from their TypeScript types. Modules resolve
 * from the repository's node_modules, so run `npm ci` at the repository root first.
 */
export * from "../components/index";
