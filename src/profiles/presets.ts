/**
 * Building blocks shared by the `classic` and `rudderstack` presets: mapping values and the
 * triggers that split mobile lifecycle events between device operations and ordinary events.
 */

/** The first of `paths` that exists (a chain of `@if exists`), else `fallback`. */
export function firstOf(paths: readonly string[], fallback?: unknown): unknown {
  return paths.reduceRight<unknown>(
    (otherwise, path) => ({
      '@if': {
        exists: { '@path': path },
        then: { '@path': path },
        ...(otherwise !== undefined && { else: otherwise }),
      },
    }),
    fallback,
  );
}

/** `Viewed {name} Screen` from the first non-blank of `paths`, else `Viewed {missing} Screen`. */
export function screenName(paths: readonly string[], missing: string): unknown {
  return paths.reduceRight<unknown>(
    (otherwise, path) => ({
      '@if': {
        blank: { '@path': path },
        then: { '@template': `Viewed {{${path.slice(2)}}} Screen` },
        else: otherwise,
      },
    }),
    `Viewed ${missing} Screen`,
  );
}

/** A trigger literal: JSON string syntax is the trigger language's. */
export function quote(text: string): string {
  return JSON.stringify(text);
}

/**
 * Device events: `register` names add or update the device when the event has a device token and
 * a userId; `Application Uninstalled` deletes it (and is refused without a token). Any other track
 * call, a registration without token or userId included, is an ordinary event.
 */
export function deviceTriggers(register: readonly string[]) {
  const names = register.map((name) => `event = ${quote(name)}`).join(' or ');
  const registers = `(${names}) and context.device.token exists and userId exists`;
  const uninstall = 'event = "Application Uninstalled"';
  return {
    register: `type = "track" and ${registers}`,
    uninstall: `type = "track" and ${uninstall}`,
    event: `type = "track" and not (${registers}) and not ${uninstall}`,
  };
}

/** Whose device, and its token: from the SDKs' place only (not properties.device_id). */
export const DEVICE_IDS = {
  person_id: { '@path': '$.userId' },
  device_id: { '@path': '$.context.device.token' },
} as const;

/** A device's fields as both profiles map them. Neither reference sends the app version. */
export const DEVICE_MAPPING = { ...DEVICE_IDS, app_version: null } as const;
