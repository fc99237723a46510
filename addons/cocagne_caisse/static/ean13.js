/* EAN-13 reading for the cashier screen: check digit, in-store codes with an
 * embedded weight or price (printed by the shop's scale), and lookup of a
 * scanned code in the catalogue.
 * Pure functions: a browser global `CaisseEAN`, or `module.exports` in node. */
(function (root, factory) {
  if (typeof module === 'object' && module.exports) {
    module.exports = factory();
  } else {
    root.CaisseEAN = factory();
  }
}(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  /** The check digit of the first 12 digits (weights 1, 3, 1, 3…). */
  function checkDigit(first12) {
    let sum = 0;
    for (let i = 0; i < 12; i += 1) {
      sum += Number(first12[i]) * (i % 2 ? 3 : 1);
    }
    return (10 - (sum % 10)) % 10;
  }

  function isEAN13(code) {
    return /^\d{13}$/.test(code);
  }

  /** True when code is 13 digits whose last one is the right check digit. */
  function isValid(code) {
    return isEAN13(code) && checkDigit(code) === Number(code[12]);
  }

  /** The parts of an in-store code: prefix (2 digits), scale code (5),
   * value (5: grams after the weight prefix, cents after the price prefix),
   * check digit; null when the prefix is neither. */
  function decodeEmbedded(code, point) {
    if (!isEAN13(code)) {
      return null;
    }
    const prefix = code.slice(0, 2);
    const kind = prefix === point.weight_prefix ? 'weight'
      : prefix === point.price_prefix ? 'price' : null;
    if (!kind) {
      return null;
    }
    return {kind, scaleCode: code.slice(2, 7), value: Number(code.slice(7, 12))};
  }

  /** The price "2.40" in cents, read as text so that no float is involved. */
  function priceCents(price) {
    const [units, fraction = ''] = String(price).split('.');
    return Number(units) * 100 + Number((fraction + '00').slice(0, 2));
  }

  /** numerator / denominator × 10^digits rounded half-up, as a Number
   * with `digits` decimals (BigInt: exact whatever the magnitudes). */
  function divide(numerator, denominator, digits) {
    const scale = 10n ** BigInt(digits);
    const n = BigInt(numerator) * scale;
    const d = BigInt(denominator);
    const scaled = (2n * n + d) / (2n * d);
    return Number(scaled) / Number(scale);
  }

  /** The quantity an in-store code stands for, or null when it does not fit
   * the product (a weight on a product sold by the piece, no unit price). */
  function embeddedQuantity(decoded, product) {
    const digits = product.digits || 0;
    if (decoded.kind === 'weight') {
      return product.weighed ? divide(decoded.value, 1000, digits) : null;
    }
    const unit = priceCents(product.price);
    return unit > 0 ? divide(decoded.value, unit, digits) : null;
  }

  /** The product and quantity of a scanned code.
   * Returns {product, quantity} (quantity null when it must be weighed or
   * counted by the cashier: a plain barcode of a product sold by weight),
   * or {error: 'checksum'} for a misread 13-digit code, or
   * {error: 'unknown'} when no product matches. */
  function lookup(code, products, point) {
    const scanned = String(code).trim();
    const byBarcode = products.find(
      (product) => (product.barcodes || []).includes(scanned));
    if (byBarcode) {
      return {product: byBarcode, quantity: byBarcode.weighed ? null : 1};
    }
    if (isEAN13(scanned) && !isValid(scanned)) {
      return {error: 'checksum'};
    }
    const decoded = decodeEmbedded(scanned, point);
    const product = decoded && products.find(
      (candidate) => candidate.scale_code === decoded.scaleCode);
    const quantity = product ? embeddedQuantity(decoded, product) : null;
    if (quantity === null) {
      return {error: 'unknown'};
    }
    return {product, quantity};
  }

  return {checkDigit, isValid, decodeEmbedded, lookup};
}));
