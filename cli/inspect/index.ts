/**
 * cli/inspect/: what `rdd inspect` and `rdd set --trace` share: the inspection lease, the live
 * inspection and supervision feeds (I/O, over the bus), and the pure parts beside them — actor globs,
 * type selection, line formatting, the supervision tree and a trace's path. Imports protocol/ only.
 */
export {};
