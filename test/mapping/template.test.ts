import { describe, expect, it } from 'vitest';
import { compileError, run } from './helpers.js';

const event = {
  userId: 'u1',
  traits: {
    email: 'ada@example.com',
    first: 'Ada',
    n: 0,
    f: false,
    nil: null,
    obj: { a: 1 },
    list: [1, null, [2, 3]],
  },
  properties: { 'first name': 'Ada', injected: '{{userId}}' },
};

describe('@template', () => {
  it('fills {{path}} placeholders from the event root', () => {
    expect(run({ '@template': 'Hi {{traits.first}} <{{ traits.email }}>' }, event)).toBe(
      'Hi Ada <ada@example.com>',
    );
    expect(run({ '@template': '{{properties["first name"]}}' }, event)).toBe('Ada');
    expect(run({ '@template': '{{{traits.first}}}!' }, event)).toBe('Ada!');
  });

  it('renders missing and null as empty text', () => {
    expect(run({ '@template': '[{{traits.missing}}][{{traits.nil}}][{{nope.deeper}}]' }, event)).toBe(
      '[][][]',
    );
  });

  it('converts other values as String() does', () => {
    expect(run({ '@template': '{{traits.n}} {{traits.f}} {{traits.obj}} {{traits.list}}' }, event)).toBe(
      '0 false [object Object] 1,,2,3',
    );
  });

  it('does not call an event-supplied toString', () => {
    const hostile = { traits: { obj: { toString: 'x', valueOf: 'y' }, list: [{ toString: 1 }] } };
    expect(run({ '@template': '{{traits.obj}}|{{traits.list}}' }, hostile)).toBe(
      '[object Object]|[object Object]',
    );
  });

  it('returns fixed text as it is, and "" for an empty template', () => {
    expect(run({ '@template': 'plain' }, event)).toBe('plain');
    expect(run({ '@template': '' }, event)).toBe('');
  });

  it('leaves unmatched braces as text, as Segment does', () => {
    expect(run({ '@template': '{{traits.first} {traits.first}}' }, event)).toBe(
      '{{traits.first} {traits.first}}',
    );
  });

  it('never scans a value for placeholders (Segment re-scans {{{...}}} output)', () => {
    expect(run({ '@template': '{{{properties.injected}}}' }, event)).toBe('{{userId}}');
    expect(run({ '@template': '{{properties.injected}}' }, event)).toBe('{{userId}}');
  });

  it('reads own properties only', () => {
    expect(run({ '@template': '{{constructor}}{{traits.first.length}}{{__proto__}}' }, event)).toBe('');
  });

  it('rejects bad templates when compiling', () => {
    const cases: [unknown, string][] = [
      [5, '@template must be text with placeholders such as "{{traits.first_name}}" (got 5)'],
      ['a {{ }} b', '@template placeholder {{ }} is empty; put a path in it such as {{traits.email}}'],
      [
        '{{a..b}}',
        '@template placeholder {{a..b}} is not a valid path: it has an empty key at character 3; write placeholders like {{traits.email}} or {{properties["first name"]}}',
      ],
      [
        'x {{{ $.traits.email }}}',
        '@template placeholder {{{ $.traits.email }}} starts with "$", but placeholders are read from the event without "$."; write {{traits.email}}',
      ],
    ];
    for (const [template, message] of cases) {
      const error = compileError({ email: { '@template': template } }, 'm');
      expect(error.path).toBe('m.email.@template');
      expect(error.message).toBe(message);
    }
  });
});
