import { SfsAuthConfigError } from '../errors/sfs-auth.error';

/** A host without the optional peer gets a configuration error that says what to install. */
describe('metrics recorders without their optional peer', () => {
  const absent = (name: string) => () => {
    throw Object.assign(new Error(`Cannot find module '${name}'`), { code: 'MODULE_NOT_FOUND' });
  };

  afterEach(() => jest.resetModules());

  it('SfsPrometheusMetricsRecorder names prom-client', () => {
    jest.doMock('prom-client', absent('prom-client'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SfsPrometheusMetricsRecorder } = require('./prometheus-metrics.recorder');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SfsAuthConfigError: ConfigError } = require('../errors/sfs-auth.error');
    expect(() => new SfsPrometheusMetricsRecorder()).toThrow(ConfigError);
    expect(() => new SfsPrometheusMetricsRecorder()).toThrow(/needs the prom-client package/);
  });

  it('SfsOtelMetricsRecorder names @opentelemetry/api, unless given a meter', () => {
    jest.doMock('@opentelemetry/api', absent('@opentelemetry/api'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SfsOtelMetricsRecorder } = require('./otel-metrics.recorder');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SfsAuthConfigError: ConfigError } = require('../errors/sfs-auth.error');
    expect(() => new SfsOtelMetricsRecorder()).toThrow(ConfigError);
    expect(() => new SfsOtelMetricsRecorder()).toThrow(/needs @opentelemetry\/api or a meter/);
  });

  it('the error is the module family’s CONFIG_INVALID', () => {
    jest.doMock('prom-client', absent('prom-client'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SfsPrometheusMetricsRecorder } = require('./prometheus-metrics.recorder');
    try {
      new SfsPrometheusMetricsRecorder();
      throw new Error('expected a configuration error');
    } catch (error) {
      expect((error as SfsAuthConfigError).code).toBe('CONFIG_INVALID');
    }
  });
});
