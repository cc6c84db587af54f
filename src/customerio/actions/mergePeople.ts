import type { ActionDef } from '../fields.js';
import { personIdentifier, personKey } from '../identifiers.js';

export const mergePeople: ActionDef = {
  key: 'mergePeople',
  title: 'Merge People',
  description: 'Merge two people: the secondary is merged into the primary, then deleted.',
  defaultTrigger: 'type = "alias"',
  endpoint: 'v2',
  fields: {
    primary: {
      label: 'Primary User',
      type: 'string',
      description: 'The person that remains after the merge, by id, email or cio_<cio_id>.',
      required: true,
      default: { '@path': '$.userId' },
    },
    secondary: {
      label: 'Secondary User',
      type: 'string',
      description: 'The person merged into the primary and deleted, by id, email or cio_<cio_id>.',
      required: true,
      default: { '@path': '$.previousId' },
    },
  },
  build(p) {
    // Both sides resolve like any person identifier: cio_ prefix, email shape, else id (correction 6).
    const primary = personIdentifier(p['primary'] as string);
    return {
      endpoint: 'v2',
      body: {
        type: 'person',
        action: 'merge',
        primary,
        secondary: personIdentifier(p['secondary'] as string),
      },
      key: personKey(primary)!,
    };
  },
};
