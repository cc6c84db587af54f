export { type DestinationMappingConfig, selectDestination } from './destination.js';
export { readConfigFile } from './read.js';
