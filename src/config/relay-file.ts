/**
 * What a relay configuration file may contain: every key, its type, bounds, default and meaning.
 * The validator, the JSON Schema and docs/configuration.md are all derived from this.
 * Durations are in the unit their key names (`...Ms`, `...Hours`); validate.ts converts to ms.
 */
import { REGIONS, type Region, TRACK_LIMITS } from '../customerio/index.js';
import { MAX_SUBSCRIPTIONS } from '../pipeline/index.js';
import { allProfiles, type ProfileSetting, profileNames } from '../profiles/index.js';
import {
  boolean,
  integer,
  type Loose,
  list,
  number,
  type Output,
  object,
  optional,
  record,
  string,
} from './fields.js';

// Names show up in admin API paths, metrics labels and logs: keep them plain.
const NAME = {
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
  patternText: 'up to 64 letters, digits, "-", "_" or ".", starting with a letter or digit',
};

const HOUR_LIMIT = 24 * 30;

/** `${NAME}` as written in a file (spelt out so that it does not read as a template slip). */
export function variable(name: string, fallback?: string): string {
  return `$\{${name}${fallback === undefined ? '' : `:-${fallback}`}}`;
}

/** A profile's setting as a key of `settings` (its default is applied by the profile). */
function settingField(setting: ProfileSetting) {
  const description = setting.description;
  return optional(
    setting.type === 'boolean' ? boolean({ description }) : string({ description, minLength: 1 }),
  );
}

const subscription = object(
  {
    // Free text, like the presets' "Create or Update Person": it is only shown, never a path.
    name: string({ description: 'Unique within the destination; shown in the delivery log.' }),
    trigger: string({
      description:
        'When it runs, in the trigger language, e.g. `type = "track" and event = "Order Completed"`.',
      example: 'type = "track"',
    }),
    action: string({
      description: 'The Customer.io action it performs, e.g. `trackEvent` or `createUpdatePerson`.',
      example: 'trackEvent',
    }),
    mapping: optional(
      record({
        description:
          "Field mappings overriding the action's defaults field by field (`@path`, `@template`, ...); `null` removes a default.",
      }),
    ),
    enabled: boolean({
      description: 'A disabled subscription stays in the file but never runs.',
      default: true,
    }),
  },
  { description: 'A subscription: when its trigger matches an event, its action runs with its mapping.' },
);

const destination = object(
  {
    name: string({ description: 'Unique name of the destination (one per Customer.io workspace).', ...NAME }),
    siteId: string({
      description: "The workspace's Track API Site ID (Customer.io: Settings > API credentials).",
      secret: true,
      example: variable('CIO_SITE_ID'),
    }),
    apiKey: string({
      description: `The workspace's Track API key. Keep it out of the file: write \`${variable('CIO_API_KEY')}\`.`,
      secret: true,
      example: variable('CIO_API_KEY'),
    }),
    region: string<Region>({
      description: "The workspace's data center.",
      enum: Object.keys(REGIONS) as Region[],
      default: 'us',
    }),
    endpoint: optional(
      string({
        description:
          'Another Track API base URL used instead of the region, e.g. a proxy (`https://cio-proxy.internal`) or the emulator. It must be https unless `allowInsecureEndpoint` is true.',
        format: 'uri',
        example: 'https://cio-proxy.internal',
      }),
    ),
    allowInsecureEndpoint: boolean({
      description:
        'Allow an `http://` endpoint, which sends events and the API key unencrypted: only for the local emulator (`http://127.0.0.1:9090`) or a proxy on the same machine.',
      default: false,
    }),
    profile: string({
      description:
        'Whose behaviour to reproduce: `actions` (Segment Customer.io Actions, Customer.io Data Pipelines), `classic` (Segment Customer.io Classic) or `rudderstack`. Its presets apply when `subscriptions` is empty or absent; its filter rules and `settings` always apply.',
      enum: profileNames(),
      default: 'actions',
    }),
    settings: optional(
      object(
        Object.fromEntries(allProfiles().flatMap((p) => p.settings.map((s) => [s.key, settingField(s)]))),
        {
          description:
            "The profile's settings; each key belongs to one profile (named at the start of its description).",
        },
      ),
    ),
    subscriptions: optional(
      list(subscription, {
        description: "This destination's subscriptions; when absent or empty, the profile's presets apply.",
        maxItems: MAX_SUBSCRIPTIONS,
      }),
    ),
    sources: optional(
      list(string({ description: 'The name of a source.' }), {
        description: 'Names of the sources this destination takes events from; absent means all sources.',
        minItems: 1,
      }),
    ),
    batch: object(
      {
        maxOperations: integer({
          description: 'Operations per `/api/v2/batch` request.',
          min: 1,
          max: TRACK_LIMITS.maxBatchOperations,
          default: TRACK_LIMITS.defaultBatchOperations,
          unit: 'operations',
        }),
        maxBytes: integer({
          description: "Size of a batch request body; Customer.io's limit is 500,000.",
          min: 1024,
          max: TRACK_LIMITS.batchBytes,
          default: TRACK_LIMITS.batchBytes,
          unit: 'bytes',
        }),
        lingerMs: integer({
          description: 'How long a batch that is not full waits for more operations before it is sent.',
          min: 0,
          max: 60_000,
          default: 200,
          unit: 'ms',
        }),
      },
      { description: 'How operations are grouped into batch requests.' },
    ),
    rateLimit: object(
      {
        requestsPerSecond: number({
          description:
            'Requests per second to this workspace (token bucket); it also slows down when Customer.io answers 429.',
          min: 0.1,
          max: 10_000,
          default: 100,
          unit: 'requests/s',
        }),
      },
      { description: 'How fast requests are sent.' },
    ),
    ordering: boolean({
      description:
        "Deliver each person's operations in order: while one waits for a retry, that person's later operations wait too.",
      default: true,
    }),
    concurrency: integer({
      description: 'Requests in flight at once.',
      min: 1,
      max: 64,
      default: 4,
      unit: 'requests',
    }),
    timeoutMs: integer({
      description: 'How long one request may take before it counts as failed (and is retried).',
      min: 1,
      max: 600_000,
      default: 30_000,
      unit: 'ms',
    }),
    retry: object(
      {
        minBackoffMs: integer({
          description: 'Wait before the first retry; it doubles with each attempt, with jitter.',
          min: 1,
          max: 3_600_000,
          default: 1000,
          unit: 'ms',
        }),
        maxBackoffMs: integer({
          description: 'Longest wait between two attempts; at least `minBackoffMs`.',
          min: 1,
          max: 86_400_000,
          default: 300_000,
          unit: 'ms',
        }),
        maxAgeHours: number({
          description:
            'An operation is dead-lettered once its first attempt is older than this and `minAttempts` were made.',
          min: 0,
          max: HOUR_LIMIT,
          default: 4,
          unit: 'hours',
        }),
        minAttempts: integer({
          description: 'Attempts made before an operation may be dead-lettered, however old it is.',
          min: 1,
          max: 100,
          default: 3,
          unit: 'attempts',
        }),
      },
      {
        description:
          'Retries of 408, 429, 5xx, timeouts and network errors; `Retry-After` is honoured when longer.',
      },
    ),
  },
  { description: 'A Customer.io workspace that events are delivered to.' },
);

export const relayFile = object(
  {
    $schema: optional(
      string({ description: 'The JSON Schema of this file, for editors; ignored by the relay.' }),
    ),
    server: object(
      {
        host: string({
          description: 'Address the HTTP server listens on.',
          default: '0.0.0.0',
        }),
        port: integer({
          description: 'Port the HTTP server listens on; 0 picks a free port.',
          min: 0,
          max: 65_535,
          default: 8787,
        }),
      },
      { description: 'The HTTP server: ingest (`/v1/...`), admin API and console.' },
    ),
    store: object(
      {
        sqlite: string({
          description:
            "SQLite database file; a relative path is read from the configuration file's folder. `:memory:` keeps nothing (tests).",
          default: './data/relay.db',
        }),
        postgres: optional(
          string({
            description: `PostgreSQL connection URL (\`postgres://user:password@host:5432/database\`); when set, it is used instead of \`sqlite\` and any number of relays may share it. Write \`${variable('DATABASE_URL')}\`.`,
            secret: true,
            example: variable('DATABASE_URL'),
          }),
        ),
        claimLeaseMs: integer({
          description:
            'PostgreSQL only: how long the jobs a relay took stay reserved for it after it stops renewing them (it crashed or lost the database); then another relay takes them over.',
          min: 1000,
          max: 600_000,
          default: 30_000,
          unit: 'ms',
        }),
      },
      { description: 'Where accepted events and delivery jobs are kept.' },
    ),
    admin: object(
      {
        token: optional(
          string({
            description:
              'Bearer token for the admin API (`/admin`); without one the admin API is closed. At least 16 characters.',
            minLength: 16,
            secret: true,
            example: variable('ADMIN_TOKEN'),
          }),
        ),
        publicMetrics: boolean({
          description:
            'Serve `GET /metrics` (Prometheus) without the admin token, for scrapers that cannot send one; keep the port private then. By default `/metrics` takes the admin token like the admin API.',
          default: false,
        }),
      },
      { description: 'The admin API, the console and `/metrics`.' },
    ),

    dedupe: object(
      {
        windowHours: number({
          description:
            'Events with a messageId already seen from the same source this recently are dropped; 0 turns deduplication off.',
          min: 0,
          max: HOUR_LIMIT,
          default: 24,
          unit: 'hours',
        }),
      },
      { description: 'Deduplication by messageId.' },
    ),
    deliveryLog: object(
      {
        maxEntries: integer({
          description: 'Recent deliveries kept (what was received, sent and answered); 0 keeps none.',
          min: 0,
          max: 10_000_000,
          default: 10_000,
          unit: 'entries',
        }),
        maxAgeHours: number({
          description: 'Entries older than this are removed.',
          min: 0,
          max: HOUR_LIMIT,
          default: 24,
          unit: 'hours',
        }),
      },
      { description: 'The searchable log of recent deliveries shown by the admin API and console.' },
    ),
    deadLetters: object(
      {
        maxAgeHours: number({
          description:
            'Dead letters are deleted this long after they died unless replayed or dropped before; 0 keeps them until then.',
          min: 0,
          max: HOUR_LIMIT,
          default: 0,
          unit: 'hours',
        }),
      },
      { description: 'Events Customer.io refused for good, kept for inspection and replay.' },
    ),
    sources: list(
      object(
        {
          name: string({ description: 'Unique name of the source, e.g. `web` or `ios`.', ...NAME }),
          writeKey: string({
            description: `The key SDKs send (Basic auth user, or \`writeKey\` in the body); unique per source. Write \`${variable('WRITE_KEY')}\`.`,
            secret: true,
            example: variable('WRITE_KEY'),
          }),
          rateLimit: optional(
            object(
              {
                requestsPerSecond: number({
                  description: 'Ingest requests per second accepted with this write key, on average.',
                  min: 0.1,
                  max: 1_000_000,
                  unit: 'requests/s',
                }),
                burst: optional(
                  integer({
                    description:
                      'Requests accepted at once after a quiet spell; default: one second’s worth.',
                    min: 1,
                    max: 1_000_000,
                    unit: 'requests',
                  }),
                ),
              },
              {
                description:
                  "A limit on requests with this write key (token bucket, per relay process); above it the relay answers 429 with Retry-After. Segment's and RudderStack's Node SDKs wait for it; Customer.io's Node SDK retries 3 times within about a second and then drops the batch, so size the limit for peaks, not averages. Absent: no limit.",
              },
            ),
          ),
        },
        { description: 'An app or site sending events, identified by its write key.' },
      ),
      { description: 'Where events come from; at least one.', minItems: 1 },
    ),
    destinations: list(destination, {
      description: 'The Customer.io workspaces events are delivered to; at least one.',
      minItems: 1,
    }),
  },
  {
    description: `cio-relay configuration (YAML or JSON). \`${variable('VAR')}\` and \`${variable('VAR', 'default')}\` read the environment.`,
  },
);

/** A configuration file once checked against `relayFile`, defaults applied. */
export type RelayFile = Output<typeof relayFile>;

/** The same while it may still have problems: see `Loose`. */
export type LooseRelayFile = NonNullable<Loose<RelayFile>>;
