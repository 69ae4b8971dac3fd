import {
  brandOf,
  CardData,
  cvcLength,
  digits,
  FieldError,
  FieldName,
  formatExpiry,
  formatNumber,
  validateCard,
} from './card';
import type { Texts } from './i18n';

export interface CardElement {
  readonly element: HTMLElement;
  // the card as the API takes it, or null after showing every error next to its field
  validate(): CardData | null;
  showError(field: FieldName, message: string): void;
  focus(): void;
  clear(): void;
  destroy(): void;
}

let seq = 0;

const FIELDS: { name: FieldName; autocomplete: string; inputmode?: string; maxlength: number }[] = [
  { name: 'number', autocomplete: 'cc-number', inputmode: 'numeric', maxlength: 23 },
  { name: 'expiry', autocomplete: 'cc-exp', inputmode: 'numeric', maxlength: 7 },
  { name: 'cvc', autocomplete: 'cc-csc', inputmode: 'numeric', maxlength: 4 },
  { name: 'holder', autocomplete: 'cc-name', maxlength: 100 },
];

// Plain labelled inputs in the host page: keyboard and screen readers work as with any form; each
// error sits in a role="alert" element tied to its input by aria-describedby, so it is announced.
export function mountCardFields(
  container: HTMLElement,
  texts: Texts,
  options: { allowExpired?: boolean } = {},
): CardElement {
  const id = `epay-${++seq}`;
  const root = document.createElement('div');
  root.className = 'epay-card';
  root.setAttribute('role', 'group');
  root.setAttribute('aria-label', texts.labels.number.split(' ')[0]);
  const inputs = {} as Record<FieldName, HTMLInputElement>;
  const errors = {} as Record<FieldName, HTMLElement>;
  for (const f of FIELDS) {
    const wrap = document.createElement('div');
    wrap.className = `epay-field epay-field-${f.name}`;
    const label = document.createElement('label');
    label.htmlFor = `${id}-${f.name}`;
    label.textContent = texts.labels[f.name];
    const input = document.createElement('input');
    input.id = `${id}-${f.name}`;
    input.name = f.name;
    input.setAttribute('autocomplete', f.autocomplete);
    input.placeholder = texts.placeholders[f.name];
    input.maxLength = f.maxlength;
    input.spellcheck = false;
    if (f.inputmode) input.inputMode = f.inputmode;
    const error = document.createElement('p');
    error.id = `${id}-${f.name}-error`;
    error.className = 'epay-error';
    error.setAttribute('role', 'alert');
    input.setAttribute('aria-describedby', error.id);
    wrap.append(label, input);
    if (f.name === 'number') {
      const brand = document.createElement('span');
      brand.className = 'epay-brand';
      brand.id = `${id}-brand`;
      wrap.append(brand);
      input.addEventListener('input', () => {
        input.value = formatNumber(input.value);
        const b = brandOf(input.value);
        brand.textContent = b === 'unknown' ? '' : b.toUpperCase();
        root.dataset.brand = b;
        inputs.cvc.maxLength = cvcLength(b);
      });
    }
    if (f.name === 'expiry') input.addEventListener('input', () => (input.value = formatExpiry(input.value)));
    if (f.name === 'cvc') input.addEventListener('input', () => (input.value = digits(input.value)));
    input.addEventListener('blur', () => {
      if (input.value) check(f.name);
    });
    input.addEventListener('input', () => setError(f.name, null));
    wrap.append(error);
    root.append(wrap);
    inputs[f.name] = input;
    errors[f.name] = error;
  }
  container.append(root);

  function setError(name: FieldName, message: string | null): void {
    errors[name].textContent = message ?? '';
    if (message) inputs[name].setAttribute('aria-invalid', 'true');
    else inputs[name].removeAttribute('aria-invalid');
  }

  function values() {
    return {
      number: inputs.number.value,
      expiry: inputs.expiry.value,
      cvc: inputs.cvc.value,
      holder: inputs.holder.value,
    };
  }

  function check(only?: FieldName): CardData | null {
    const result = validateCard(values(), options);
    for (const f of FIELDS) {
      if (only && f.name !== only) continue;
      const e: FieldError | undefined = result.ok ? undefined : result.errors[f.name];
      setError(f.name, e ? texts.errors[e] : null);
    }
    return result.ok ? result.card : null;
  }

  return {
    element: root,
    validate: () => {
      const card = check();
      if (!card) {
        const first = FIELDS.find((f) => inputs[f.name].getAttribute('aria-invalid') === 'true');
        if (first) inputs[first.name].focus();
      }
      return card;
    },
    showError: (field, message) => {
      setError(field, message);
      inputs[field].focus();
    },
    focus: () => inputs.number.focus(),
    clear: () => {
      for (const f of FIELDS) {
        inputs[f.name].value = '';
        setError(f.name, null);
      }
    },
    destroy: () => root.remove(),
  };
}
