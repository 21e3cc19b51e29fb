/**
 * Admission of App changes: turning `PROP=VALUE` strings into a spec, and the rules a spec must keep.
 * Pure; the daemon runs it (also for `--dry-run`), so every client gets the same answers.
 */
import { ApiError } from './api-error.js';
import { closeTo, editDistance } from './edit-distance.js';
import { appProperties, type Property, type VmDriverName } from './app-properties.js';
import type { AppSpec } from './app.schema.js';
import { maxKubernetesVersionLength, maxPropertyValueLength, maxSocketPathLength, quoteForMessage } from './limits.js';

/** A spec whose driver may still be `auto`, before admission resolves it. */
export type AppSpecDraft = Omit<AppSpec, 'vm'> & {
  vm: Omit<AppSpec['vm'], 'driver'> & { driver: AppSpec['vm']['driver'] | 'auto' };
};

/**
 * Where the external driver attaches when vm.socket is empty: where the docker CLI's default context
 * points. Resolved when used, not stored, so the spec of an App that runs dockerd or Lima never names a
 * socket rdd does not use.
 */
export function defaultSocket(env: NodeJS.ProcessEnv): string {
  const host = env.DOCKER_HOST;
  return host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
}

export function defaultAppSpec(): AppSpecDraft {
  return {
    running: false,
    containerEngine: { name: 'moby', mirrorImages: true },
    kubernetes: { enabled: false, version: '' },
    vm: { driver: 'auto', socket: '' },
  };
}

const propertyList = appProperties.map((property) => property.path).join(', ');

/**
 * Applies `path → raw value` changes to a copy of `spec`. An empty value clears a property to its
 * default. Throws Invalid naming the property and what it accepts.
 */
export function applyChanges(spec: AppSpecDraft, changes: Readonly<Record<string, string>>): AppSpecDraft {
  const next = structuredClone(spec) as unknown as Record<string, Record<string, unknown>>;
  const defaults = defaultAppSpec() as unknown as Record<string, Record<string, unknown>>;
  checkChanges(changes);
  for (const [path, raw] of Object.entries(changes)) {
    const property = findProperty(path);
    const [group, field] = splitPath(property.path);
    const target = field === undefined ? next : (next[group] ??= {});
    const key = field ?? group;
    const defaultValue = field === undefined ? defaults[group] : defaults[group]?.[field];
    if (raw === '' && property.type !== 'string') {
      if (defaultValue === undefined) delete target[key];
      else target[key] = defaultValue;
      continue;
    }
    target[key] = parseValue(property, raw);
  }
  return next as unknown as AppSpecDraft;
}

/**
 * Checks every change without applying it: known properties only, values of the allowed form and
 * length. The CLI runs it before sending, the daemon again in {@link applyChanges}: one set of answers.
 */
export function checkChanges(changes: Readonly<Record<string, string>>): void {
  for (const [path, raw] of Object.entries(changes)) {
    const property = findProperty(path);
    if (raw !== '' || property.type === 'string') parseValue(property, raw);
  }
}

function findProperty(path: string): Property {
  const property = appProperties.find((candidate) => candidate.path === path);
  if (property) return property;
  throw new ApiError('Invalid', describeUnknownProperty(path), { property: quoteForMessage(path) });
}

/** Why `path` is not a property, naming the ones that are (shared with the API's request schema). */
export function describeUnknownProperty(path: string): string {
  const children = appProperties.filter((candidate) => candidate.path.startsWith(`${path}.`));
  if (children.length > 0) return `"${path}" is an object; set its fields, e.g. "${children[0]?.path}"`;
  const parent = appProperties.find((candidate) => path.startsWith(`${candidate.path}.`));
  if (parent) return `"${parent.path}" is not an object and has no sub-properties`;
  const nearest = nearestProperty(path);
  const hint = nearest ? `; did you mean "${nearest}"?` : '';
  return `unknown property ${quoteForMessage(path)}; valid properties: ${propertyList}${hint}`;
}

/** The property a typo most likely meant: the closest path within a few edits, or the one `path` names the last part of. */
function nearestProperty(path: string): string | undefined {
  let best: { path: string; cost: number } | undefined;
  for (const property of appProperties) {
    if (!closeTo(path, property.path)) continue;
    const cost = editDistance(path, property.path);
    if (!best || cost < best.cost) best = { path: property.path, cost };
  }
  return best?.path ?? appProperties.find((property) => property.path.endsWith(`.${path}`))?.path;
}

function splitPath(path: string): [string, string | undefined] {
  const [group = '', field] = path.split('.');
  return [group, field];
}

/** What a string property accepts beyond being a string: its length and its form. */
interface StringRule {
  maxLength: number;
  accepts: (raw: string) => boolean;
  expected: string;
}

// Versions as the Go original takes them: a bare or v-prefixed semver, a minor channel (v1.34), or a
// named channel; empty means the stable channel.
const kubernetesVersionPattern = /^(v?\d{1,4}\.\d{1,4}(\.\d{1,4})?|stable|latest)$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what a path may not hold
const controlCharacters = /[\u0000-\u001f\u007f]/;

const stringRules: Readonly<Record<string, StringRule>> = {
  'kubernetes.version': {
    maxLength: maxKubernetesVersionLength,
    accepts: (raw) => raw === '' || kubernetesVersionPattern.test(raw),
    expected: 'expected a version such as 1.34.6 or v1.34.6, a minor channel such as v1.34, or stable or latest',
  },
  'vm.socket': {
    maxLength: maxSocketPathLength,
    accepts: (raw) => raw === '' || (raw.startsWith('/') && !controlCharacters.test(raw)),
    expected: 'expected an absolute path such as /var/run/docker.sock',
  },
};

const anyString: StringRule = { maxLength: maxPropertyValueLength, accepts: () => true, expected: '' };

function parseValue(property: Property, raw: string): unknown {
  const { path, type } = property;
  const invalid = (expected: string): ApiError =>
    new ApiError('Invalid', `invalid value ${quoteForMessage(raw)} for "${path}": ${expected}`, {
      property: path,
      value: quoteForMessage(raw),
    });
  if (typeof type !== 'string') {
    if (!type.includes(raw)) throw invalid(`valid values: ${type.join(', ')}`);
    return raw;
  }
  switch (type) {
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw invalid('expected boolean; use "true" or "false"');
      return raw === 'true';
    case 'integer': {
      const value = Number(raw);
      if (!/^\d{1,6}$/.test(raw) || value <= 0) throw invalid('expected a positive integer, e.g. 4');
      return value;
    }
    case 'number': {
      const value = Number(raw);
      if (!/^\d{1,6}(\.\d{1,6})?$/.test(raw) || value <= 0) throw invalid('expected a positive number, e.g. 8 or 0.5');
      return value;
    }
    case 'string': {
      const rule = stringRules[path] ?? anyString;
      if (raw.length > rule.maxLength) throw invalid(`at most ${rule.maxLength} characters`);
      if (!rule.accepts(raw)) throw invalid(rule.expected);
      return raw;
    }
  }
}

export interface AdmissionContext {
  /** The spec stored now, or null when the App does not exist yet. */
  previous: AppSpec | null;
  /** Picks a concrete driver for `auto` on this machine, or throws Invalid saying how to get one. */
  resolveAutoDriver: () => VmDriverName;
}

/** Checks the combinations and resolves `auto`; throws Invalid or Forbidden naming the property. */
export function admit(draft: AppSpecDraft, { previous, resolveAutoDriver }: AdmissionContext): AppSpec {
  const driver: VmDriverName = draft.vm.driver === 'auto' ? resolveAutoDriver() : draft.vm.driver;
  const spec: AppSpec = { ...draft, vm: { ...draft.vm, driver } };
  const notLima = (what: string, property: string): ApiError =>
    new ApiError(
      'Invalid',
      `${what} needs vm.driver=lima (vm.driver is ${driver}); set vm.driver=lima or leave ${property} at its default`,
      {
        property,
      },
    );
  if (driver !== 'lima') {
    if (spec.kubernetes.enabled) throw notLima('kubernetes.enabled=true', 'kubernetes.enabled');
    if (spec.containerEngine.name === 'containerd')
      throw notLima('containerEngine.name=containerd', 'containerEngine.name');
    if (spec.vm.cpus !== undefined) throw notLima('vm.cpus', 'vm.cpus');
    if (spec.vm.memoryGiB !== undefined) throw notLima('vm.memoryGiB', 'vm.memoryGiB');
  }
  if (previous?.running && previous.vm.driver !== spec.vm.driver) {
    throw new ApiError(
      'Forbidden',
      `cannot change vm.driver from ${previous.vm.driver} to ${spec.vm.driver} while the App is running; stop first (rdd stop)`,
      { property: 'vm.driver' },
    );
  }
  return spec;
}
