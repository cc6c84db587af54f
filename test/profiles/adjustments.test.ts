/** Adjustments: the named operation changes profiles attach to subscriptions. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { compileSubscriptions, route } from '../../src/pipeline/index.js';

const context = { now: () => 0 };

describe('adjustments', () => {
  it('classic 2: idOnly also moves the ordering key to the id', () => {
    const [subscription] = compileSubscriptions([
      { name: 'Track', trigger: 'type = "track"', action: 'trackEvent', adjust: ['idOnly'] },
    ]);
    const [routed] = route({ type: 'track', userId: 'a@example.com', event: 'E' }, [subscription!], context);
    expect(routed?.result).toMatchObject({
      key: 'id:a@example.com',
      body: { identifiers: { id: 'a@example.com' } },
    });
  });

  it('an unknown adjustment is a configuration error naming where it is', () => {
    const compile = () =>
      compileSubscriptions([
        { name: 'T', trigger: 'type = "track"', action: 'trackEvent', adjust: ['idsOnly'] },
      ]);
    expect(compile).toThrow(ConfigError);
    expect(compile).toThrow(
      'subscriptions[0].adjust[0]: unknown adjustment "idsOnly"; use one of idOnly, unixTimes, anonymousNames, anonymousScreenNames, applePlatforms',
    );
  });
});
