import { engineDataDirs, instancePaths } from '../../protocol/instance.js';
import { dockerdLayout } from '../vm/drivers/dockerd-args.js';
import { limaHome } from '../vm/drivers/limactl.js';

// `rdd svc delete` decides from engineDataDirs what to keep; the drivers decide where the data goes.
describe('engineDataDirs', () => {
  const paths = instancePaths('dev', { platform: 'linux', home: '/home/u', env: {} });

  it('should name the dockerd driver’s data-root and the lima driver’s LIMA_HOME', () => {
    expect(engineDataDirs(paths)).toEqual({
      dockerdDataRoot: dockerdLayout(paths).dataRoot,
      limaHome: limaHome(paths),
    });
  });

  it('should keep every engine data dir inside the instance dir, never the instance dir itself', () => {
    for (const dir of Object.values(engineDataDirs(paths))) {
      expect(dir.startsWith(`${paths.dir}/`)).toBe(true);
    }
  });
});
