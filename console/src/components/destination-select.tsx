/** The configured destinations, and a select to pick one (the first until another is chosen). */
import { useState } from 'preact/hooks';
import { call } from '../api';
import { useLoad } from '../load';
import type { DestinationStatus } from '../types';

export function useDestinationChoice(): {
  names: string[];
  destination: string;
  choose: (name: string) => void;
} {
  const loaded = useLoad(() => call<{ destinations: DestinationStatus[] }>('/destinations'), []);
  const names = loaded.result?.ok ? loaded.result.value.destinations.map((d) => d.name) : [];
  const [chosen, choose] = useState('');
  return { names, destination: chosen || names[0] || '', choose };
}

export function DestinationSelect(props: {
  id: string;
  names: string[];
  value: string;
  onChange: (name: string) => void;
}) {
  return (
    <>
      <label for={props.id}>Destination</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {props.names.map((name) => (
          <option key={name}>{name}</option>
        ))}
      </select>
    </>
  );
}
