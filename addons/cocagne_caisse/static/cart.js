/* Sale arithmetic for the cashier screen: line amounts, total, payments,
 * change, and checks of what the cashier types, with French messages.
 * Money is handled in integer cents, quantities and rates as scaled
 * integers (BigInt where products could pass 2^53): float sums drift by a
 * cent, and a till must match the server's ticket to the cent.
 * Pure functions: a browser global `CaisseCart`, or `module.exports` in node. */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) {
    module.exports = factory();
  } else {
    root.CaisseCart = factory();
  }
}(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  const QUANTITY_SCALE = 6;  // millionths: finer than any product's digits
  const RATE_SCALE = 4;      // a rate of 0.0525 is 5.25 %

  /** Count of decimals written in a number typed as "1,234" or "1.234". */
  function decimalsOf(text) {
    const match = /[.,](\d*)$/.exec(text);
    return match ? match[1].length : 0;
  }

  /** The text of a typed or JSON number, "," read as ".", or null when it
   * is not a plain decimal number. */
  function normalise(value) {
    if (typeof value === 'number') {
      // toFixed keeps 1e-7 out of exponent notation
      return Number.isFinite(value)
        ? value.toFixed(Math.max(decimalsOf(String(value)), QUANTITY_SCALE))
        : null;
    }
    const text = String(value ?? '').trim().replace(',', '.');
    return /^-?(\d+\.?\d*|\.\d+)$/.test(text) ? text : null;
  }

  /** value × 10^scale as a BigInt, rounded half-up beyond `scale`
   * decimals; null when value is not a number. */
  function toScaled(value, scale) {
    const text = normalise(value);
    if (text === null) {
      return null;
    }
    const negative = text.startsWith('-');
    const [units, fraction = ''] = text.replace('-', '').split('.');
    const kept = BigInt((units || '0') + fraction.padEnd(scale, '0').slice(0, scale));
    const roundUp = Number(fraction[scale] || 0) >= 5 ? 1n : 0n;
    const scaled = kept + roundUp;
    return negative ? -scaled : scaled;
  }

  /** numerator / denominator rounded half-up (away from zero on ties, as
   * Python's ROUND_HALF_UP), both BigInt, denominator > 0. */
  function divideHalfUp(numerator, denominator) {
    const sign = numerator < 0n ? -1n : 1n;
    const magnitude = numerator * sign;
    return sign * ((2n * magnitude + denominator) / (2n * denominator));
  }

  /** An amount ("2.40", 2.4, "2,40") in integer cents, or null. */
  function toCents(amount) {
    const scaled = toScaled(amount, 2);
    return scaled === null ? null : Number(scaled);
  }

  /** Integer cents as the API writes amounts: "2.40", "-1.00". */
  function centsToString(cents) {
    const sign = cents < 0 ? '-' : '';
    const magnitude = Math.abs(cents);
    const units = Math.floor(magnitude / 100);
    return `${sign}${units}.${String(magnitude % 100).padStart(2, '0')}`;
  }

  /** numerator / denominator rounded half to even (as Tryton rounds an
   * amount to the currency), both BigInt, denominator > 0. */
  function divideHalfEven(numerator, denominator) {
    const sign = numerator < 0n ? -1n : 1n;
    const magnitude = numerator * sign;
    let quotient = magnitude / denominator;
    const twice = 2n * (magnitude % denominator);
    if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) {
      quotient += 1n;
    }
    return sign * quotient;
  }

  /** The line's amount in cents, computed as the server does: the unit
   * price less the discount rounded half-up to the price's decimals
   * (price_digits, 4 when not given), then quantity × that price rounded
   * half to even to the cent.
   * line: {quantity: number, price: "2.40", discount: "0.05" or "0",
   * price_digits: 2}. */
  function lineAmount(line) {
    const digits = BigInt(line.price_digits ?? 4);
    const quantity = toScaled(line.quantity, QUANTITY_SCALE);
    const price = toScaled(line.price, 2);
    const kept = 10n ** BigInt(RATE_SCALE) - toScaled(line.discount || '0', RATE_SCALE);
    // the unit price in 10^-digits: price (cents) × kept / 10^RATE_SCALE
    const unitPrice = divideHalfUp(
      price * kept * 10n ** digits, 100n * 10n ** BigInt(RATE_SCALE));
    const denominator = 10n ** (BigInt(QUANTITY_SCALE - 2) + digits);
    return Number(divideHalfEven(quantity * unitPrice, denominator));
  }

  /** Sum of the (rounded) line amounts, in cents, as the ticket shows it. */
  function cartTotal(lines) {
    return lines.reduce((sum, line) => sum + lineAmount(line), 0);
  }

  function sumPayments(payments) {
    return payments.reduce((sum, payment) => sum + toCents(payment.amount), 0);
  }

  /** What is left to pay, in cents, never below zero. */
  function remaining(totalCents, payments) {
    return Math.max(0, totalCents - sumPayments(payments));
  }

  /** The change to give back in cents, and a French error when the
   * payments cannot be accepted: change is only given from cash, so
   * card and cheque payments together may not exceed the total.
   * methods: [{id, cash}] of the catalogue. */
  function change(totalCents, payments, methods) {
    const cashIds = new Set(methods.filter((m) => m.cash).map((m) => m.id));
    const others = sumPayments(payments.filter((p) => !cashIds.has(p.method)));
    if (others > totalCents) {
      return {
        change: 0,
        error: 'Les paiements par carte ou chèque dépassent le total de la '
          + 'vente : la monnaie ne se rend qu’en espèces.',
      };
    }
    return {change: Math.max(0, sumPayments(payments) - totalCents), error: null};
  }

  /** A payment amount typed by the cashier: {cents} or {error}. */
  function parseAmount(input) {
    const cents = toCents(input);
    if (cents === null || decimalsOf(String(input).trim()) > 2) {
      return {error: 'Saisissez un montant en euros, avec deux décimales au plus.'};
    }
    if (cents <= 0) {
      return {error: 'Saisissez un montant supérieur à zéro.'};
    }
    return {cents};
  }

  /** A quantity typed by the cashier (or read on a scale), checked for
   * the product {name, unit, weighed, digits, max_quantity}:
   * {quantity: number} or {error: French message}. */
  function parseQuantity(input, product) {
    const text = normalise(input);
    const what = product.weighed ? 'le poids' : 'la quantité';
    if (text === null) {
      return {error: `Saisissez ${what} en chiffres, par exemple 1,25.`};
    }
    const quantity = Number(text);
    if (quantity <= 0) {
      return {error: product.weighed
        ? 'Le poids doit être supérieur à zéro : posez le produit sur la balance.'
        : 'La quantité doit être supérieure à zéro.'};
    }
    const digits = product.digits || 0;
    if (decimalsOf(String(input).trim()) > digits) {
      return {error: digits
        ? `Saisissez ${what} avec ${digits} décimale(s) au plus.`
        : 'Saisissez un nombre entier.'};
    }
    const max = product.max_quantity;
    if (max !== null && max !== undefined && quantity > max) {
      const unit = product.unit ? `\u00a0${product.unit}` : '';
      return {error: `${frenchNumber(quantity)}${unit} de ${product.name} : `
        + `c’est plus que le maximum de ${frenchNumber(max)}${unit}. `
        + `Vérifiez ${what}.`};
    }
    return {quantity};
  }

  function frenchNumber(number) {
    return String(number).replace('.', ',');
  }

  /** A discount typed in percent, limited to the user's maximum rate
   * ("0.05"): {rate: "0.05", message: French text or null}. */
  function clampDiscount(percentInput, maxRate) {
    const typed = String(percentInput ?? '').trim().replace('%', '');
    const percent = typed === '' ? 0n : toScaled(typed, RATE_SCALE - 2);
    const max = toScaled(maxRate || '0', RATE_SCALE);
    if (percent === null || percent < 0n) {
      return {rate: '0', message: 'Saisissez la remise en pourcentage, par exemple 5.'};
    }
    if (percent > max) {
      return {rate: rateToString(max), message: max
        ? `Remise limitée à ${percentText(max)} % pour votre compte.`
        : 'Votre compte ne permet pas d’accorder de remise.'};
    }
    return {rate: rateToString(percent), message: null};
  }

  /** A rate in ten-thousandths as the API writes it: 500n → "0.05". */
  function rateToString(scaled) {
    if (scaled === 0n) {
      return '0';
    }
    const digits = String(scaled).padStart(RATE_SCALE + 1, '0');
    const point = digits.length - RATE_SCALE;
    return `${digits.slice(0, point)}.${digits.slice(point)}`.replace(/\.?0+$/, '');
  }

  /** A rate in ten-thousandths as a French percentage: 525n → "5,25". */
  function percentText(scaled) {
    return frenchNumber(Number(scaled) / 100);
  }

  /** A rate "0.05" as the percentage the discount field shows: "5". */
  function rateToPercent(rate) {
    return percentText(toScaled(rate || '0', RATE_SCALE));
  }

  return {
    toCents, centsToString, lineAmount, cartTotal, remaining, change,
    parseAmount, parseQuantity, clampDiscount, rateToPercent,
  };
}));
