/** A moment (epoch ms) in the reader's local time, with the exact UTC time on hover. */
export function When({ at }: { at: number | null | undefined }) {
  if (at === null || at === undefined) return <span>–</span>;
  const date = new Date(at);
  return (
    <time dateTime={date.toISOString()} title={date.toISOString()}>
      {date.toLocaleString()}
    </time>
  );
}
