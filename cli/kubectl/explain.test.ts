import { ApiError } from '../../protocol/api-error.js';
import { resolveKind } from '../../protocol/mirrors/kinds.js';
import { explain } from './explain.js';

describe('explain', () => {
  it('should explain a kind with its group, version, description and fields', () => {
    const text = explain(resolveKind('container'), []);

    expect(text).toMatch(/^GROUP: {6}containers\.rancherdesktop\.io\nKIND: {7}Container\nVERSION: {4}v1alpha1\n/);
    expect(text).toMatch(/\nDESCRIPTION:\n {4}\S/);
    expect(text).toMatch(/\n {2}spec\t<Object> -required-\n/);
    expect(text).toMatch(/\n {2}metadata\t<Object> -required-\n/);
  });

  it('should explain a field by its path, with its type and valid values', () => {
    const text = explain(resolveKind('c'), ['spec', 'state']);

    expect(text).toContain('FIELD: state <string>\n');
    expect(text).toMatch(/DESCRIPTION:\n {4}The state rdd keeps the container in: unknown only observes;/);
    expect(text).toMatch(/ENUM:\n {4}unknown\n {4}created\n {4}running\n {4}paused\n/);
  });

  it('should show arrays, maps and nullable fields by their element types', () => {
    const text = explain(resolveKind('container'), ['status']);

    expect(text).toMatch(/\n {2}ports\t<\[\]Object> -required-\n/);
    expect(text).toMatch(/\n {2}labels\t<map\[string\]string> -required-\n/);
    expect(text).toMatch(/\n {2}health\t<string> -required-\n/);
    expect(explain(resolveKind('container'), ['status', 'ports', 'bindings'])).toContain('FIELD: bindings <[]Object>');
  });

  it('should explain the App spec', () => {
    expect(explain(resolveKind('app'), ['spec', 'vm', 'driver'])).toMatch(
      /ENUM:\n {4}lima\n {4}dockerd\n {4}external\n/,
    );
  });

  it('should refuse a field that does not exist, naming the fields there are', () => {
    const explainMissing = () => explain(resolveKind('container'), ['spec', 'replicas']);

    expect(explainMissing).toThrow(ApiError);
    expect(explainMissing).toThrow('field "replicas" does not exist in Container.spec; its fields: state');
  });
});
