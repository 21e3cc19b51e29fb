import { resolveKind } from '../../protocol/mirrors/kinds.js';
import { apiResources, renderApiResources } from './api-resources.js';

describe('api-resources', () => {
  it('should list every kind as kubectl does, the App cluster-scoped', () => {
    const lines = renderApiResources(apiResources(), 'table').trimEnd().split('\n');

    expect(lines[0]).toMatch(/^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND$/);
    expect(lines).toContainEqual(expect.stringMatching(/^apps\s+app\.rancherdesktop\.io\/v1alpha1\s+false\s+App$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^containers\s+c\s+containers\.rancherdesktop\.io\/v1alpha1\s+true\s+Container$/),
    );
    expect(lines).toHaveLength(7);
  });

  it('should add the verbs with wide', () => {
    expect(renderApiResources(apiResources(), 'wide')).toMatch(/VERBS\n/);
    expect(renderApiResources(apiResources(), 'wide')).toMatch(/Container\s+delete,get,list,patch,watch\n/);
  });

  it('should print names that resolve back to their kinds', () => {
    const names = renderApiResources(apiResources(), 'name').trimEnd().split('\n');

    expect(names).toContain('containernamespaces.containers.rancherdesktop.io');
    expect(names.map((name) => resolveKind(name).kind)).toEqual(apiResources().map((resource) => resource.kind));
  });
});
