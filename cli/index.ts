/**
 * cli/: the oclif commands of `rdd` and the little they share (flags, output, exit codes, reaching the
 * daemon). Commands stay thin: parse, one protocol request, print. Imports protocol/ only — never
 * actors/ or machines/: the CLI talks to the daemon over the bus like any other client.
 */
export {};
