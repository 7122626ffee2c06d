// @ts-check
// Building the page node by node: text from customers, bots and agents is always set as text,
// never parsed as HTML.

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | boolean | undefined>} [attributes] `true` sets an empty attribute
 * @param {ReadonlyArray<Node | string>} [children] strings become text nodes
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attributes = {}, children = []) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, "");
    else if (typeof value === "string") element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

/**
 * Sets text only when it changed: no needless mutations inside live regions.
 * @param {Element} element
 * @param {string} text
 */
export function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element;
}

/**
 * A `<dl>` of label/value rows.
 * @param {Array<[string, string]>} rows
 * @param {string} [className]
 */
export function definitionList(rows, className) {
  return el(
    "dl",
    className ? { class: className } : {},
    rows.flatMap(([term, value]) => [el("dt", {}, [term]), el("dd", {}, [value])]),
  );
}

let counter = 0;
/** @param {string} prefix an id unique on the page */
export function uniqueId(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}
