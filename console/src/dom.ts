/** Small DOM helpers: everything from the API is set as text, never parsed as HTML. */

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

/** An element with text content and attributes. */
export function el(
  tag: string,
  text?: string | null,
  attributes: Record<string, string> = {},
): HTMLElement {
  const element = document.createElement(tag);
  if (text !== undefined && text !== null) element.textContent = text;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

/** Shows `message` in an alert element, or hides it when null. */
export function showAlert(element: HTMLElement, message: string | null): void {
  element.textContent = message ?? '';
  element.hidden = message === null;
}

/** `2026-11-28 12:30:05 UTC`, or an en dash for none. */
export function when(iso: string | null): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '–';
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
