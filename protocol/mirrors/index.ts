/**
 * protocol/mirrors: the kinds that mirror the container engine into resources
 * (`containers.rancherdesktop.io/v1alpha1`: Container, Image, Volume, Network, ContainerNamespace), their
 * zod schemas and types, their deterministic names, and the kind names and aliases the CLI accepts.
 *
 * Like all of protocol/, it imports nothing from the rest of the project: only zod, node built-ins and
 * other protocol/ modules. The builders that fill these from Docker live in actors/mirrors.
 */
export * from './mirror.schema.js';
export * from './container.schema.js';
export * from './image.schema.js';
export * from './volume.schema.js';
export * from './network.schema.js';
export * from './container-namespace.schema.js';
export * from './mirror.js';
export * from './kinds.js';
export * from './commands.schema.js';
