/**
 * A container stop's grace period (docker stop -t): its bounds and their wording, in a module of its
 * own so the CLI's flag can check it without loading the schemas.
 */

/** The longest grace period a stop may ask for: an engine call is cut off at 120 s (engine-client.ts). */
export const maxStopTimeSeconds = 100;
export const stopTimeMessage = `the stop grace period must be a whole number of seconds from 0 to ${maxStopTimeSeconds}`;
