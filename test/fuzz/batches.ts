/**
 * Batches that mix valid and invalid events, each event knowing whether it must be kept and, for
 * a kept one, the messageId and person the store must hold afterwards.
 */
import fc from 'fast-check';
import {
  cleanString,
  type Doc,
  doc,
  nastyString,
  object,
  objectDoc,
  PROTOTYPE_KEYS,
  pollutingObject,
  scalar,
  toValue,
} from './adversarial.js';

export const EVENT_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const;

export interface PlannedEvent {
  doc: Doc;
  valid: boolean;
  /** For a valid event: its messageId (undefined: the relay makes one up) and its person. */
  messageId?: string;
  personKey?: string;
}

type Entries = Array<readonly [string, Doc]>;

/** Text an id may hold: well-formed Unicode without NUL (events/validate.ts). */
export function isUsableId(text: string): boolean {
  return !/\p{Cs}/u.test(text) && !text.includes('\u0000');
}

/** An id as a client may send it: any non-empty text (hostile or not) or a finite number. */
const id = fc
  .oneof(
    { arbitrary: cleanString, weight: 2 },
    { arbitrary: nastyString.filter((text) => text !== ''), weight: 2 },
    { arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), weight: 1 },
  )
  .map((value) => ({ doc: scalar(value), text: String(value) }));

/** `levels` objects or arrays inside each other, as JSON text. */
function nestedText(levels: number, array: boolean): Doc {
  const text = array
    ? `${'['.repeat(levels)}${']'.repeat(levels)}`
    : `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
  return { kind: 'raw', text };
}

const extras: fc.Arbitrary<Entries> = fc.array(
  fc.oneof(
    // Deep but within the limit: the event is level 1, properties level 2 (events/limits.ts).
    fc
      .tuple(fc.integer({ min: 30, max: 99 }), fc.boolean())
      .map(
        ([levels, array]) =>
          [
            'properties',
            array ? object([['list', nestedText(levels - 1, true)]]) : nestedText(levels, false),
          ] as const,
      ),
    fc.tuple(fc.constantFrom('properties', 'traits', 'context'), objectDoc),
    fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.oneof(doc, pollutingObject)),
    fc.tuple(
      fc.constantFrom('timestamp', 'sentAt', 'originalTimestamp'),
      fc.constantFrom('2024-05-01T12:00:00Z', '2024-05-01T12:00:00', 1714564800, 'garbage').map(scalar),
    ),
  ),
  { maxLength: 4 },
);

/**
 * An event of any type with the fields its type requires, and hostile ids: valid unless an id
 * holds NUL or a lone surrogate.
 */
export const typedEvent: fc.Arbitrary<PlannedEvent> = fc
  .record({
    type: fc.constantFrom(...EVENT_TYPES, 'TRACK', 'Page'),
    user: fc.option(id, { freq: 3 }),
    anonymous: id,
    messageId: fc.option(fc.oneof(cleanString, nastyString), { freq: 4 }),
    name: nastyString.filter((text) => text !== ''),
    other: id,
    extras,
  })
  .map(({ type, user, anonymous, messageId, name, other, extras }) => {
    const entries: Entries = [...extras, ['type', scalar(type)], ['anonymousId', anonymous.doc]];
    if (user !== null) entries.push(['userId', user.doc]);
    const ids = [anonymous.text, ...(user === null ? [] : [user.text])];
    if (messageId !== null) {
      entries.push(['messageId', scalar(messageId)]);
      ids.push(messageId);
    }
    switch (type.toLowerCase()) {
      case 'track':
        entries.push(['event', scalar(name)]);
        break;
      case 'page':
      case 'screen':
        entries.push(['name', scalar(name)]);
        break;
      case 'group':
        entries.push(['groupId', other.doc]);
        ids.push(other.text);
        break;
      case 'alias':
        entries.push(['previousId', other.doc]);
        ids.push(other.text);
        break;
    }
    if (!ids.every(isUsableId)) return { doc: object(entries), valid: false };
    return {
      doc: object(entries),
      valid: true,
      // An empty messageId counts as none: the relay makes one up.
      ...(messageId === null || messageId === '' ? {} : { messageId }),
      personKey: user?.text ?? anonymous.text,
    };
  });

const track = (extra: Entries): Doc =>
  object([
    ['type', scalar('track')],
    ['event', scalar('Order Completed')],
    ['userId', scalar('u-1')],
    ...extra,
  ]);

/** Events that must be refused, each for one reason. */
export const invalidEvent: fc.Arbitrary<PlannedEvent> = fc
  .oneof(
    fc.oneof(
      nastyString.map(scalar),
      fc.constant<Doc>({ kind: 'array', items: [] }),
      fc.constant(scalar(null)),
    ),
    fc.constant(
      object([
        ['event', scalar('x')],
        ['userId', scalar('u')],
      ]),
    ),
    nastyString
      .filter((text) => !EVENT_TYPES.includes(text.toLowerCase() as never))
      .map((type) =>
        object([
          ['type', scalar(type)],
          ['userId', scalar('u')],
        ]),
      ),
    fc.constant(
      object([
        ['type', scalar('identify')],
        ['userId', scalar(null)],
        ['anonymousId', scalar('')],
      ]),
    ),
    fc.constantFrom<Doc>(
      track([['userId', object([])]]),
      track([['userId', scalar(true)]]),
      track([['anonymousId', { kind: 'array', items: [] }]]),
      track([['event', scalar('')]]),
      track([['event', scalar(12)]]),
      track([['messageId', scalar('m'.repeat(101))]]),
      track([['messageId', object([])]]),
      track([['properties', { kind: 'array', items: [] }]]),
      track([['properties', scalar('a string')]]),
      track([['context', scalar(7)]]),
      track([['timestamp', object([])]]),
      track([['sentAt', scalar(false)]]),
      object([
        ['type', scalar('group')],
        ['userId', scalar('u')],
      ]),
      object([
        ['type', scalar('alias')],
        ['userId', scalar('u')],
        ['previousId', scalar('')],
      ]),
      object([
        ['type', scalar('page')],
        ['userId', scalar('u')],
        ['name', scalar(3)],
      ]),
    ),
    // Nested deeper than the limit of 100 levels.
    fc
      .tuple(fc.integer({ min: 100, max: 6000 }), fc.boolean())
      .map(([levels, array]) =>
        track([
          ['properties', array ? object([['list', nestedText(levels, true)]]) : nestedText(levels, false)],
        ]),
      ),
    // Over the 32 KB event limit, but eight of them still fit in a 500 KB request.
    fc
      .constantFrom('x', '\u0000')
      .map((c) => track([['properties', object([['big', scalar(c.repeat(c === 'x' ? 33_000 : 6_000))]])]])),
  )
  .map((d) => ({ doc: d, valid: false }));

/** 1 to 8 events, valid and invalid in random order, at least one of each most of the time. */
export function mixedBatch(): fc.Arbitrary<PlannedEvent[]> {
  const event = fc.oneof({ arbitrary: typedEvent, weight: 3 }, { arbitrary: invalidEvent, weight: 2 });
  return fc.array(event, { minLength: 1, maxLength: 8 });
}

/** For checks that need the value (not the text) of a planned event. */
export function plannedValue(event: PlannedEvent): unknown {
  return toValue(event.doc);
}
