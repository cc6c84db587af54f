/** JSON text (as the store keeps events and bodies) shown indented; other text shown as it is. */
export function JsonBlock({ text, label }: { text: string | undefined; label: string }) {
  if (text === undefined || text === '') return <p class="hint">{label}: none</p>;
  return (
    <figure class="json">
      <figcaption>{label}</figcaption>
      <pre>{pretty(text)}</pre>
    </figure>
  );
}

export function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
