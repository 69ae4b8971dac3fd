import type { FieldError, FieldName } from './card';

// The payment API's language codes (rus, kaz, eng), as the bank's pages use them.
export type Language = 'rus' | 'kaz' | 'eng';

export const HTML_LANG: Record<Language, string> = { rus: 'ru', kaz: 'kk', eng: 'en' };

export interface Texts {
  labels: Record<FieldName, string>;
  placeholders: Record<FieldName, string>;
  errors: Record<FieldError, string>;
  pay: string;
  processing: string;
  redirecting: string;
  failed: string;
  network: string;
  savedCard: string;
}

export const TEXTS: Record<Language, Texts> = {
  eng: {
    labels: { number: 'Card number', expiry: 'Expiry (MM/YY)', cvc: 'CVC', holder: 'Name on card' },
    placeholders: { number: '1234 5678 9012 3456', expiry: 'MM/YY', cvc: '123', holder: 'ARMAN ALI' },
    errors: {
      required: 'This field is required',
      invalid_number: 'The card number is not valid',
      invalid_expiry: 'Enter the expiry as MM/YY',
      expired: 'This card has expired',
      invalid_cvc: 'The security code is not valid',
      invalid_holder: 'Enter the name as printed on the card',
    },
    pay: 'Pay',
    processing: 'Processing the payment…',
    redirecting: 'Redirecting to your bank for confirmation…',
    failed: 'The payment did not go through',
    network: 'Could not reach the payment service. Check your connection and try again.',
    savedCard: 'Saved card',
  },
  rus: {
    labels: { number: 'Номер карты', expiry: 'Срок действия (ММ/ГГ)', cvc: 'CVC', holder: 'Имя на карте' },
    placeholders: { number: '1234 5678 9012 3456', expiry: 'ММ/ГГ', cvc: '123', holder: 'ARMAN ALI' },
    errors: {
      required: 'Заполните это поле',
      invalid_number: 'Неверный номер карты',
      invalid_expiry: 'Введите срок действия в формате ММ/ГГ',
      expired: 'Срок действия карты истёк',
      invalid_cvc: 'Неверный код безопасности',
      invalid_holder: 'Введите имя, как на карте',
    },
    pay: 'Оплатить',
    processing: 'Платёж обрабатывается…',
    redirecting: 'Переход в ваш банк для подтверждения…',
    failed: 'Платёж не прошёл',
    network: 'Не удалось связаться с платёжным сервисом. Проверьте соединение и попробуйте снова.',
    savedCard: 'Сохранённая карта',
  },
  kaz: {
    labels: { number: 'Карта нөмірі', expiry: 'Жарамдылық мерзімі (АА/ЖЖ)', cvc: 'CVC', holder: 'Картадағы аты' },
    placeholders: { number: '1234 5678 9012 3456', expiry: 'АА/ЖЖ', cvc: '123', holder: 'ARMAN ALI' },
    errors: {
      required: 'Бұл өрісті толтырыңыз',
      invalid_number: 'Карта нөмірі қате',
      invalid_expiry: 'Мерзімді АА/ЖЖ түрінде енгізіңіз',
      expired: 'Картаның мерзімі өтіп кеткен',
      invalid_cvc: 'Қауіпсіздік коды қате',
      invalid_holder: 'Атыңызды картадағыдай енгізіңіз',
    },
    pay: 'Төлеу',
    processing: 'Төлем өңделуде…',
    redirecting: 'Растау үшін банкіңізге өту…',
    failed: 'Төлем өтпеді',
    network: 'Төлем қызметіне қосылу мүмкін болмады. Байланысты тексеріп, қайталап көріңіз.',
    savedCard: 'Сақталған карта',
  },
};
