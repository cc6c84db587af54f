export { checkSubscriptions } from './check-subscriptions.js';
export { type DemoOptions, demoConfig } from './demo.js';
export { type DestinationMappingConfig, selectDestination } from './destination.js';
export { relayConfigJsonSchema, SCHEMA_FILE } from './json-schema.js';
export { loadConfig } from './load.js';
export { type ConfigProblem, InvalidConfigError, Problems } from './problems.js';
export { readConfigFile, shieldVariables, syntaxReason, unshield } from './read.js';
export type { DestinationConfig, RelayConfig, RetryConfig, SourceConfig } from './types.js';
export { validateConfig } from './validate.js';
