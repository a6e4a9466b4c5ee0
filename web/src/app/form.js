// A form generated from one catalog route: one labelled input per field (name = the API field
// name), HTML constraints from the field's schema, the spec's example as placeholder, and the
// core's validation errors shown next to their fields.
import { h } from './dom.js';
import { helpText, methodsOf } from './catalog.js';
import { humanizeMessage, titleOf } from './format.js';

const LIST_TYPES = new Set(['list[float]', 'list[str]']);
const MAP_TYPES = new Set(['dict[str, int]', 'dict[str, float]', 'dict[str, list[float]]']);

function exampleText(field) {
  const example = field.example;
  if (example == null) return '';
  if (Array.isArray(example)) return example.join(', ');
  if (typeof example === 'object') return JSON.stringify(example);
  return String(example);
}

function boundsOf(schema = {}) {
  const min = schema.minimum ?? schema.exclusiveMinimum;
  return { min, max: schema.maximum ?? schema.exclusiveMaximum };
}

function inputFor(field, id, describedBy) {
  const common = { id, name: field.name, 'aria-describedby': describedBy, required: field.required };
  if (field.type === 'enum' && field.choices) {
    const options = field.choices.map((choice) =>
      h('option', { value: choice, selected: choice === field.default }, choice),
    );
    if (!field.required && field.default == null) options.unshift(h('option', { value: '' }, '(not set)'));
    return h('select', common, options);
  }
  const placeholder = exampleText(field) ? `e.g. ${exampleText(field)}` : field.default != null ? `default ${field.default}` : '';
  if (field.type === 'float' || field.type === 'int') {
    const { min, max } = boundsOf(field.schema);
    return h('input', {
      ...common,
      type: 'number',
      inputmode: field.type === 'int' ? 'numeric' : 'decimal',
      step: field.type === 'int' ? '1' : 'any',
      min,
      max,
      placeholder,
      autocomplete: 'off',
    });
  }
  if (field.type === 'date') return h('input', { ...common, type: 'date' });
  if (LIST_TYPES.has(field.type) || MAP_TYPES.has(field.type)) {
    return h('textarea', { ...common, rows: 3, placeholder, spellcheck: 'false' });
  }
  return h('input', { ...common, type: 'text', placeholder, autocomplete: 'off' });
}

/** The JSON value of one input, or undefined when left empty (the field is then absent). */
export function readField(field, input) {
  const raw = input.value.trim();
  if (raw === '') return undefined;
  if (field.type === 'float' || field.type === 'int') {
    const number = Number(raw);
    return Number.isFinite(number) ? number : raw; // the core reports a non-number at the field
  }
  if (field.type === 'list[float]') {
    return raw.split(/[\s,;]+/).filter(Boolean).map((item) => (Number.isFinite(Number(item)) ? Number(item) : item));
  }
  if (field.type === 'list[str]') return raw.split(/[\n,]+/).map((s) => s.trim()).filter(Boolean);
  if (MAP_TYPES.has(field.type)) {
    if (raw.startsWith('{')) {
      try {
        return JSON.parse(raw);
      } catch {
        return raw;
      }
    }
    // "click: 120" lines, as a person would type them
    const map = {};
    for (const line of raw.split(/[\n,]+/)) {
      const [key, ...rest] = line.split(/[:=]/);
      if (!key?.trim()) continue;
      const value = Number(rest.join(':').trim());
      map[key.trim()] = Number.isFinite(value) ? value : rest.join(':').trim();
    }
    return map;
  }
  return raw;
}

export function formatForInput(field, value) {
  if (value == null) return '';
  if (Array.isArray(value)) return value.join(field.type === 'list[str]' ? '\n' : ', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Builds the form of `route`. Options: idPrefix (unique per page), compact (dashboard cards),
 * submitLabel, withExample (a "Use example values" button), onSubmit(form), onInput(form).
 */
export function createRouteForm(route, { idPrefix = route.id, compact = false, submitLabel = 'Calculate', withExample = true, onSubmit, onInput } = {}) {
  const inputs = new Map();
  const errorSlots = new Map();
  const methods = methodsOf(route);
  const methodOfField = new Map(methods.flatMap((m) => m.fields.map((name) => [name, m.key])));
  const formError = h('p', { class: 'form-error', id: `${idPrefix}-form-error`, role: 'alert', hidden: true });

  function fieldRow(field) {
    const id = `${idPrefix}-${field.name}`;
    const help = helpText(field);
    const helpId = `${id}-help`;
    const errorId = `${id}-error`;
    const input = inputFor(field, id, help ? `${helpId} ${errorId}` : errorId);
    inputs.set(field.name, input);
    const error = h('p', { class: 'field-error', id: errorId, hidden: true });
    errorSlots.set(field.name, error);
    return h(
      'div',
      { class: `field field-${field.type.replace(/\W+/g, '-')}` },
      h('label', { for: id }, titleOf(field), field.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : h('span', { class: 'opt' }, ' (optional)')),
      input,
      help && !compact ? h('p', { class: 'help', id: helpId }, help) : help ? h('p', { class: 'help visually-hidden', id: helpId }, help) : null,
      error,
    );
  }

  const plainFields = route.fields.filter((f) => !methodOfField.has(f.name));
  const body = [h('div', { class: 'fields' }, plainFields.map(fieldRow))];

  let methodRadios = [];
  const methodSets = new Map();
  if (methods.length) {
    const name = `${idPrefix}-method`;
    methodRadios = methods.map((m, i) => {
      // the catalog's method title, in the fields' labels: "Method 1: ARPU × Number of accounts"
      const summary = humanizeMessage(m.title.replace(/^Method \d+:\s*/, ''), route.fields, { all: true }).replace(/ x /g, ' × ');
      return h('label', { class: 'method-option' },
        h('input', { type: 'radio', name, value: m.key, checked: i === 0, onchange: () => selectMethod(m.key, true) }),
        ` Method ${m.key}: ${summary}`);
    });
    body.push(h('fieldset', { class: 'method-choice' }, h('legend', {}, 'Calculation method'), methodRadios));
    for (const m of methods) {
      const set = h('fieldset', { class: 'fields method-fields', 'data-method': m.key },
        h('legend', { class: 'visually-hidden' }, `Method ${m.key} inputs`),
        m.fields.map((n) => fieldRow(route.fields.find((f) => f.name === n))));
      methodSets.set(m.key, set);
      body.push(set);
    }
  }

  function selectMethod(key, fromUser) {
    for (const radio of methodRadios) radio.querySelector('input').checked = radio.querySelector('input').value === key;
    for (const [k, set] of methodSets) {
      set.disabled = k !== key;
      set.hidden = k !== key;
    }
    if (fromUser) onInput?.(api);
  }
  if (methods.length) selectMethod(methods[0].key, false);

  const submit = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  const exampleButton = withExample && h('button', { type: 'button', class: 'secondary', onclick: () => { fillExample(); onSubmit?.(api); } }, 'Use example values');
  const form = h(
    'form',
    { class: `route-form${compact ? ' compact' : ''}`, novalidate: true, 'aria-label': `${route.short_name} inputs`,
      onsubmit: (event) => { event.preventDefault(); onSubmit?.(api); },
      oninput: () => onInput?.(api), onchange: () => onInput?.(api) },
    body,
    formError,
    h('div', { class: 'actions' }, submit, exampleButton),
  );

  function currentMethod() {
    return methodRadios.map((r) => r.querySelector('input')).find((i) => i.checked)?.value ?? null;
  }

  /** The request body, and errors found before asking the core (a number field holding text). */
  function read() {
    const request = {};
    const local = [];
    const method = currentMethod();
    for (const field of route.fields) {
      const owner = methodOfField.get(field.name);
      if (owner && owner !== method) continue;
      const input = inputs.get(field.name);
      if (input.validity?.badInput) {
        local.push({ loc: ['body', field.name], msg: 'Enter a number' });
        continue;
      }
      const value = readField(field, input);
      if (value !== undefined) request[field.name] = value;
    }
    return { body: request, localErrors: local };
  }

  function clearErrors() {
    formError.hidden = true;
    formError.textContent = '';
    for (const [name, slot] of errorSlots) {
      slot.hidden = true;
      slot.textContent = '';
      inputs.get(name).removeAttribute('aria-invalid');
    }
  }

  /** Shows a 4xx `detail`: pydantic entries next to their fields, a sentence above the buttons. */
  function showErrors(detail) {
    clearErrors();
    const general = [];
    if (Array.isArray(detail)) {
      const byField = new Map();
      for (const entry of detail) {
        const name = Array.isArray(entry.loc) ? entry.loc[1] : undefined;
        if (errorSlots.has(name)) byField.set(name, [...(byField.get(name) ?? []), entry.msg]);
        else general.push(entry.msg);
      }
      for (const [name, messages] of byField) {
        const slot = errorSlots.get(name);
        slot.textContent = humanizeMessage(messages.join('; '), route.fields);
        slot.hidden = false;
        inputs.get(name).setAttribute('aria-invalid', 'true');
      }
    } else if (detail != null) {
      general.push(typeof detail === 'string' ? detail : JSON.stringify(detail));
    }
    if (general.length) {
      formError.textContent = humanizeMessage(general.join(' '), route.fields);
      formError.hidden = false;
    }
  }

  /** Raw input strings (and the method) for URL and localStorage state. */
  function getState() {
    const state = {};
    const method = currentMethod();
    if (method) state.method = method;
    for (const [name, input] of inputs) {
      const owner = methodOfField.get(name);
      if (owner && owner !== method) continue;
      if (input.value !== '' && !(input.tagName === 'SELECT' && input.value === (route.fields.find((f) => f.name === name).default ?? ''))) {
        state[name] = input.value;
      }
    }
    return state;
  }

  function setState(state = {}) {
    if (methods.length) {
      const fromFields = methods.find((m) => m.fields.some((n) => state[n] != null))?.key;
      selectMethod(state.method ?? fromFields ?? methods[0].key, false);
    }
    for (const [name, input] of inputs) {
      const field = route.fields.find((f) => f.name === name);
      if (state[name] != null) input.value = formatForInput(field, state[name]);
      else input.value = input.tagName === 'SELECT' ? (field.default ?? '') : '';
    }
  }

  /** The spec's example values; with alternative methods, those of the method on screen. */
  function fillExample() {
    if (!methods.length) return setState({ ...route.example_request });
    const current = methodRadios.map((r) => r.querySelector('input')).find((i) => i.checked)?.value ?? methods[0].key;
    const state = { method: current };
    for (const field of route.fields) {
      const owner = methodOfField.get(field.name);
      if (field.example != null && (owner == null || owner === current)) state[field.name] = field.example;
    }
    return setState(state);
  }

  const api = { form, route, read, showErrors, clearErrors, getState, setState, fillExample, inputs };
  return api;
}

/** Runs a route through the client's fetch; answers {status, data}. */
export async function callRoute(client, route, body) {
  const response = await client.fetch(route.endpoint, {
    method: route.method ?? 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, data: await response.json() };
}
