/**
 * @module
 * A destructive button that asks once more: every delete in the dashboard works the same way.
 */
import { useState } from "preact/hooks";

export function ConfirmButton(props: { label: string; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" class="danger" onClick={() => setAsking(true)}>{props.label}</button>
    );
  }
  return (
    <span class="row">
      <button type="button" class="danger" onClick={props.onConfirm}>Confirm: {props.label}</button>
      <button type="button" onClick={() => setAsking(false)}>Keep</button>
    </span>
  );
}
