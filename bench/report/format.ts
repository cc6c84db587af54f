/** Number formats shared by the report's tables. */

export const num = (n: number | null | undefined, digits = 0): string =>
  n !== null && n !== undefined && Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '—';

export const perSecond = (n: number | null | undefined): string => `${num(n)}/s`;

/** A ratio: two significant digits below 10 (0.099, 0.55, 1.0), whole numbers above (39). */
export function ratio(ours: number | null | undefined, base: number | null | undefined): string {
  if (ours === null || ours === undefined || base === null || base === undefined || !(base > 0)) return '—';
  const r = ours / base;
  if (!Number.isFinite(r)) return '—';
  if (r >= 10) return `${num(r)}×`;
  return `${r.toPrecision(2)}×`;
}
