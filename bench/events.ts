/**
 * A deterministic mix of Segment-spec events for benchmarks: the shares of types and special
 * events a typical product sends, with realistic property sizes (a few hundred bytes to ~2 KB).
 */

// Small, fast, seedable PRNG (mulberry32): the same events on every run.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EVENTS = [
  'Order Completed',
  'Product Viewed',
  'Signed Up',
  'Cart Updated',
  'Checkout Started',
  'Plan Changed',
];
const SPECIAL = [
  'Application Installed',
  'Application Opened',
  'Application Uninstalled',
  'User Deleted',
  'User Suppressed',
  'Relationship Deleted',
  'Object Deleted',
  'Report Delivery Event',
  'Report Content Event',
];

export function mixedEvents(count: number, seed = 42): Record<string, unknown>[] {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const out: Record<string, unknown>[] = [];
  const base = Date.UTC(2026, 0, 1);
  for (let i = 0; i < count; i++) {
    const user = Math.floor(rnd() * 5000);
    const anonymous = rnd() < 0.2;
    const at = new Date(base + i * 1000).toISOString();
    const common: Record<string, unknown> = {
      messageId: `msg-${seed}-${i}`,
      timestamp: at,
      sentAt: at,
      anonymousId: `anon-${user}`,
      ...(anonymous ? {} : { userId: `user-${user}` }),
      context: {
        library: { name: 'analytics.js', version: '5.2.1' },
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/605.1.15',
        page: { path: '/pricing', url: 'https://example.com/pricing', title: 'Pricing', referrer: '' },
        locale: 'en-US',
      },
    };
    const r = rnd();
    if (r < 0.25) {
      out.push({
        ...common,
        type: 'identify',
        traits: {
          email: `user-${user}@example.com`,
          name: `User ${user}`,
          plan: pick(['free', 'pro', 'enterprise']),
          created_at: new Date(base - user * 86_400_000).toISOString(),
          last_login: at,
          logins: Math.floor(rnd() * 500),
          company: { name: `Company ${user % 300}`, size: Math.floor(rnd() * 1000), industry: 'software' },
          phone: '+1 555 010 2030',
          tags: ['beta', 'newsletter'],
        },
      });
    } else if (r < 0.65) {
      out.push({
        ...common,
        type: 'track',
        event: pick(EVENTS),
        properties: {
          order_id: `o-${i}`,
          total: Math.round(rnd() * 50_000) / 100,
          currency: 'USD',
          coupon: rnd() < 0.3 ? 'SPRING' : null,
          shipped_at: new Date(base + i * 2000).toISOString(),
          products: [
            { sku: 'A-1', price: 19.99, quantity: 1 },
            { sku: 'B-2', price: 5, quantity: 3 },
          ],
          meta: { source: 'web', campaign: 'spring', delivered_at: at },
        },
      });
    } else if (r < 0.8) {
      out.push({
        ...common,
        type: 'page',
        name: 'Pricing',
        properties: { url: 'https://example.com/pricing', path: '/pricing', title: 'Pricing', referrer: '' },
      });
    } else if (r < 0.85) {
      out.push({
        ...common,
        type: 'screen',
        name: pick(['Home', 'Checkout', 'Settings']),
        properties: { step: 2 },
      });
    } else if (r < 0.9) {
      out.push({
        ...common,
        type: 'group',
        groupId: `company-${user % 300}`,
        traits: {
          name: `Company ${user % 300}`,
          plan: 'enterprise',
          objectTypeId: '1',
          relationshipAttributes: { role: 'admin' },
        },
      });
    } else if (r < 0.92) {
      out.push({ ...common, type: 'alias', userId: `user-${user}`, previousId: `anon-${user}` });
    } else {
      const event = pick(SPECIAL);
      out.push({
        ...common,
        type: 'track',
        userId: `user-${user}`,
        event,
        properties: {
          deliveryId: `dlv-${i}`,
          metric: 'opened',
          objectId: `company-${user % 300}`,
          actionType: 'viewed_content',
          email: `user-${user}@example.com`,
        },
        context: {
          ...(common['context'] as object),
          device: { token: `tok-${user}`, type: pick(['ios', 'android']) },
          app: { version: '3.2.1' },
        },
      });
    }
  }
  return out;
}
